"""Graph rows -> RDF descriptions. Pure: no store, no I/O, no FastAPI.

A *description* is ``(subject, [(predicate, object), ...])`` with no repeated pair; writers
stream descriptions, single-entity documents add them to an rdflib Graph. The tables below
are the export contract (docs/graph-model.md -> ontology/cqf.ttl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from app.graph.labels import NodeLabel
from app.rdf.iris import Iris
from app.rdf.vocab import CQF

Pair = tuple[URIRef, Node]
Description = tuple[Node, list[Pair]]
L = NodeLabel

# (graph property, predicate, value kind); kinds: str, en/fr, int, bool, decimal, iri, date,
# year.
COMMON: tuple[tuple[str, URIRef, str], ...] = (
    ("code", SKOS.notation, "str"),
    ("name", SKOS.prefLabel, "en"), ("name_fr", SKOS.prefLabel, "fr"),
    ("description", SKOS.definition, "en"), ("description_fr", SKOS.definition, "fr"),
    ("status", CQF.evidenceStatus, "str"),
)
PROPERTIES: dict[NodeLabel, tuple[tuple[str, URIRef, str], ...]] = {
    L.FRAMEWORK: (("kind", CQF.frameworkKind, "str"), ("jurisdiction", CQF.jurisdiction, "str"),
                  ("historical", CQF.historical, "bool")),
    L.LEVEL: (("level", CQF.levelCode, "str"), ("ordinal", CQF.ordinal, "int"),
              ("knowledge", CQF.knowledgeDescriptor, "en"),
              ("skills", CQF.skillsDescriptor, "en"),
              ("autonomy", CQF.autonomyDescriptor, "en"),
              ("qualification_examples", CQF.qualificationExamples, "en")),
    L.COMPETENCY: (("trade_only", CQF.tradeOnly, "bool"), ("uri", SKOS.exactMatch, "iri")),
    L.PROFICIENCY_LEVEL: (("rank", CQF.rank, "int"),
                          ("description_status", CQF.descriptionStatus, "str")),
    L.JOB_FAMILY: (("anchor", CQF.anchor, "str"),),
    L.GENERIC_ROLE: (("role_family", CQF.roleFamily, "str"),),
    L.OCCUPATION: (("kind", CQF.occupationKind, "str"), ("uri", SKOS.exactMatch, "iri"),
                   ("isco_code", CQF.iscoCode, "str")),
    L.PICARD_STANDARD: (("kind", CQF.standardKind, "str"),
                        ("version", CQF.standardVersion, "str")),
    L.INSTITUTION: (("country", CQF.country, "str"), ("incu_member", CQF.incuMember, "bool")),
    L.PROGRAMME: (("ects", CQF.ects, "decimal"), ("language", DCTERMS.language, "str"),
                  ("url", RDFS.seeAlso, "iri")),
    L.COURSE: (("ects", CQF.ects, "decimal"), ("language", DCTERMS.language, "str"),
               ("url", RDFS.seeAlso, "iri")),
    L.ADMINISTRATION: (("country", CQF.country, "str"),),
}
# Classes also typed with their SKOS superclass, for consumers that do not reason.
SKOS_TYPE: dict[NodeLabel, URIRef] = {L.FRAMEWORK: SKOS.ConceptScheme, L.LEVEL: SKOS.Concept,
                                      L.COMPETENCY: SKOS.Concept,
                                      L.PROFICIENCY_LEVEL: SKOS.Concept}
# type -> (predicate, ((from label, to label), ...), reified as a cqf:QualifiedRelation)
RELATIONSHIPS: dict[str, tuple[URIRef, tuple[tuple[NodeLabel, NodeLabel], ...], bool]] = {
    "IN_FRAMEWORK": (SKOS.inScheme, ((L.LEVEL, L.FRAMEWORK),), False),
    "IN_GROUP": (CQF.inGroup, ((L.COMPETENCY, L.COMPETENCY_GROUP),), False),
    "BROADER": (SKOS.broader, ((L.COMPETENCY, L.COMPETENCY),), False),
    "IN_FAMILY": (CQF.inFamily, ((L.JOB_PROFILE, L.JOB_FAMILY),
                                 (L.PROFESSIONAL_TASK, L.JOB_FAMILY)), False),
    "IN_DOMAIN": (CQF.inDomain, ((L.JOB_PROFILE, L.FUNCTIONAL_DOMAIN),), False),
    "HAS_ROLE": (CQF.hasRole, ((L.JOB_PROFILE, L.GENERIC_ROLE),), False),
    "IN_ADMINISTRATION": (CQF.inAdministration, ((L.JOB_PROFILE, L.ADMINISTRATION),), False),
    "AT_LEVEL": (CQF.atLevel, ((L.JOB_PROFILE, L.LEVEL), (L.PROGRAMME, L.LEVEL)), False),
    "REQUIRES": (CQF.requires, ((L.JOB_PROFILE, L.COMPETENCY),), True),
    "PERFORMS": (CQF.performs, ((L.JOB_PROFILE, L.PROFESSIONAL_TASK),), True),
    "DRAWS_ON": (CQF.drawsOn, ((L.PROFESSIONAL_TASK, L.COMPETENCY),), True),
    "RELATED_OCCUPATION": (CQF.relatedOccupation, ((L.JOB_FAMILY, L.OCCUPATION),), True),
    "IN_ISCO_GROUP": (CQF.inIscoGroup, ((L.OCCUPATION, L.OCCUPATION),), False),
    "PART_OF": (CQF.partOf, ((L.PICARD_STANDARD, L.PICARD_STANDARD),
                             (L.COURSE, L.PROGRAMME)), False),
    "OFFERED_BY": (CQF.offeredBy, ((L.PROGRAMME, L.INSTITUTION),), False),
    "RECOGNISED_AGAINST": (CQF.recognisedAgainst, ((L.PROGRAMME, L.PICARD_STANDARD),), True),
    "DEVELOPS": (CQF.develops, ((L.COURSE, L.COMPETENCY),), True),
    "ALIGNS_WITH": (CQF.alignsWith, ((L.COURSE, L.PICARD_STANDARD),), True),
    "USES_SCALE": (CQF.usesScale, ((L.ADMINISTRATION, L.FRAMEWORK),), False),
}
QUALIFIERS: tuple[tuple[str, URIRef, str], ...] = (
    ("evidence", CQF.evidence, "str"), ("assessment", CQF.assessment, "str"),
    ("review_status", CQF.reviewStatus, "str"), ("date", DCTERMS.date, "date"),
    ("note", SKOS.note, "en"), ("status", CQF.evidenceStatus, "str"),
)
MAPPING_FIELDS: tuple[tuple[str, URIRef, str], ...] = (
    ("id", DCTERMS.identifier, "str"), ("confidence", CQF.confidence, "decimal"),
    ("method", CQF.mappingMethod, "str"), ("asserted_by", CQF.assertedBy, "str"),
    ("review_status", CQF.reviewStatus, "str"), ("date", DCTERMS.date, "date"),
    ("historical", CQF.historical, "bool"), ("note", SKOS.note, "en"),
    ("status", CQF.evidenceStatus, "str"),
)
MATCH_TYPES = ("exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch")
_SOURCE_KEYS = ("source_document", "source_publisher", "source_year", "source_url")
_SAFE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _terms(value: Any, kind: str) -> Iterator[Node]:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if v is None or v == "":
            continue
        if kind in ("en", "fr"):
            yield Literal(str(v), lang=kind)
        elif kind == "int":
            yield Literal(int(v))
        elif kind == "bool":
            yield Literal(bool(v))
        elif kind == "decimal":
            yield Literal(Decimal(str(v)), datatype=XSD.decimal)
        elif kind == "iri":
            if _SAFE_IRI.match(str(v)):
                yield URIRef(str(v))
        elif kind == "year":
            yield Literal(str(int(v)).zfill(4), datatype=XSD.gYear)
        elif kind == "date" and _ISO_DATE.match(str(v)):
            yield Literal(str(v), datatype=XSD.date)
        else:
            yield Literal(str(v))


def _pairs(props: Mapping[str, Any],
           table: Iterable[tuple[str, URIRef, str]]) -> list[Pair]:
    return [(pred, term) for key, pred, kind in table for term in _terms(props.get(key), kind)]


def _dedupe(pairs: list[Pair]) -> list[Pair]:
    return list(dict.fromkeys(pairs))


class Sources:
    """Mints one ``cqf:Source`` per distinct (document, publisher, year, url); remembers which
    it already described, so a stream describes each source once."""

    def __init__(self, iris: Iris) -> None:
        self.iris = iris
        self.seen: set[URIRef] = set()

    def link(self, props: Mapping[str, Any], out: list[Description]) -> list[Pair]:
        if not props.get("source_document"):
            return []
        key = tuple(props.get(k) for k in _SOURCE_KEYS)
        iri = self.iris.source(key)
        if iri not in self.seen:
            self.seen.add(iri)
            out.append((iri, _dedupe([(RDF.type, CQF.Source)] + _pairs(props, (
                ("source_document", DCTERMS.title, "str"),
                ("source_publisher", DCTERMS.publisher, "str"),
                ("source_year", DCTERMS.issued, "year"),
                ("source_url", RDFS.seeAlso, "iri"))))))
        return [(PROV.wasDerivedFrom, iri)]


def node(label: NodeLabel, props: Mapping[str, Any], iris: Iris, sources: Sources,
         alignments: Mapping[str, list[Pair]] | None = None) -> list[Description]:
    out: list[Description] = []
    pairs: list[Pair] = [(RDF.type, CQF[label.value])]
    if label in SKOS_TYPE:
        pairs.append((RDF.type, SKOS_TYPE[label]))
    pairs += _pairs(props, COMMON + PROPERTIES.get(label, ()))
    pairs += (alignments or {}).get(str(props["code"]), [])
    pairs += sources.link(props, out)
    return [(iris.entity(label, str(props["code"])), _dedupe(pairs))] + out


def relationship(rel_type: str, from_label: NodeLabel, from_code: str, to_label: NodeLabel,
                 to_code: str, props: Mapping[str, Any] | None, iris: Iris,
                 sources: Sources) -> list[Description]:
    predicate, _, reified = RELATIONSHIPS[rel_type]
    subject, obj = iris.entity(from_label, from_code), iris.entity(to_label, to_code)
    out: list[Description] = [(subject, [(predicate, obj)])]
    if reified:
        props = props or {}
        pairs: list[Pair] = [(RDF.type, CQF.QualifiedRelation), (RDF.subject, subject),
                             (RDF.predicate, predicate), (RDF.object, obj)]
        if props.get("proficiency"):
            pairs.append((CQF.proficiency,
                          iris.entity(L.PROFICIENCY_LEVEL, str(props["proficiency"]))))
        pairs += _pairs(props, QUALIFIERS)
        pairs += sources.link(props, out)
        out.insert(1, (iris.statement(rel_type, from_code, to_code), _dedupe(pairs)))
    return out


def match_predicate(match_type: str) -> URIRef:
    return SKOS[match_type] if match_type in MATCH_TYPES else SKOS.relatedMatch


def mapping(from_code: str, to_code: str, props: Mapping[str, Any], iris: Iris,
            sources: Sources, with_direct: bool = True) -> list[Description]:
    """The reified ``cqf:Mapping`` (and, unless told otherwise, the direct SKOS triple)."""
    subject, obj = iris.entity(L.LEVEL, from_code), iris.entity(L.LEVEL, to_code)
    predicate = match_predicate(str(props.get("match_type")))
    out: list[Description] = [(subject, [(predicate, obj)])] if with_direct else []
    pairs: list[Pair] = [(RDF.type, CQF.Mapping), (RDF.subject, subject),
                         (RDF.predicate, predicate), (RDF.object, obj)]
    pairs += _pairs(props, MAPPING_FIELDS)
    pairs += sources.link(props, out)
    out.append((iris.mapping(str(props["id"])), _dedupe(pairs)))
    return out

"""Graph rows -> RDF descriptions. Pure: no store, no I/O, no FastAPI.

A *description* is ``(subject, [(predicate, object), ...])`` with no repeated pair; writers
stream descriptions, single-entity documents add them to an rdflib Graph. The tables below
are the export contract (docs/graph-model.md -> ontology/cqf.ttl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from app.domain.vocab import CATALOGUE_LABELS, MatchType, NodeLabel, ReviewStatus
from app.rdf import schemes, sssom
from app.rdf.iris import Iris
from app.rdf.terms import RDFLIB, Terms, decimal_lexical, is_language_tag, is_web_iri
from app.rdf.vocab import CQF

# rdflib terms (``RdflibTerms``) or their N-Triples text (``NTriplesTerms``)
Pair = tuple[Any, Any]
Description = tuple[Any, list[Pair]]
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
                  ("historical", CQF.historical, "bool"), ("country", CQF.country, "str"),
                  ("referencing_status", CQF.referencingStatus, "str"),
                  ("referencing_year", CQF.referencingYear, "year")),
    L.LEVEL: (("level", CQF.levelCode, "str"), ("ordinal", CQF.ordinal, "int"),
              ("knowledge", CQF.knowledgeDescriptor, "en"),
              ("knowledge_fr", CQF.knowledgeDescriptor, "fr"),
              ("skills", CQF.skillsDescriptor, "en"), ("skills_fr", CQF.skillsDescriptor, "fr"),
              ("autonomy", CQF.autonomyDescriptor, "en"),
              ("autonomy_fr", CQF.autonomyDescriptor, "fr"),
              ("qualification_examples", CQF.qualificationExamples, "en"),
              ("qualification_examples_fr", CQF.qualificationExamples, "fr")),
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
                                      L.PROFICIENCY_LEVEL: SKOS.Concept,
                                      **{label: SKOS.Concept for label in schemes.FLAT_SCHEMES}}
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
# A mapping whose review is over has a review date (a proposed one has none yet).
REVIEWED = frozenset(ReviewStatus) - {ReviewStatus.PROPOSED}
_MATCH_TYPES = frozenset(MatchType)
# Namespace attributes resolved once (a DefinedNamespace lookup is slow in a hot loop).
_TYPE, _SUBJECT, _PREDICATE, _OBJECT = RDF.type, RDF.subject, RDF.predicate, RDF.object
_QUALIFIED, _MAPPING, _SOURCE = CQF.QualifiedRelation, CQF.Mapping, CQF.Source
_PROFICIENCY, _DERIVED_FROM = CQF.proficiency, PROV.wasDerivedFrom
_REVIEW_DATE = CQF.reviewDate
_EVIDENCE_QUOTE = CQF.evidenceQuote
_CLASS: dict[NodeLabel, URIRef] = {label: CQF[label.value] for label in CATALOGUE_LABELS}
_SOURCE_KEYS = ("source_document", "source_publisher", "source_year", "source_url")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _terms(value: Any, kind: str, t: Terms = RDFLIB) -> Iterator[Any]:
    values = value if isinstance(value, list) else [value]
    for v in values:
        if v is None or v == "":
            continue
        if kind in ("en", "fr"):
            yield t.literal(str(v), lang=kind)
        elif kind == "int":
            yield t.literal(str(int(v)), datatype=XSD.integer)
        elif kind == "bool":
            yield t.literal("true" if v else "false", datatype=XSD.boolean)
        elif kind == "decimal":
            yield t.literal(decimal_lexical(str(v)), datatype=XSD.decimal)
        elif kind == "iri":
            if is_web_iri(str(v)):
                yield t.iri(str(v))
        elif kind == "year":
            yield t.literal(str(int(v)).zfill(4), datatype=XSD.gYear)
        elif kind == "date" and _ISO_DATE.match(str(v)):
            yield t.literal(str(v), datatype=XSD.date)
        elif kind != "date":
            yield t.literal(str(v))


def _pairs(props: Mapping[str, Any], table: Iterable[tuple[str, URIRef, str]],
           t: Terms = RDFLIB) -> list[Pair]:
    return [(t.const(pred), term) for key, pred, kind in table
            for term in _terms(props.get(key), kind, t)]


def _dedupe(pairs: list[Pair]) -> list[Pair]:
    return list(dict.fromkeys(pairs))


class Sources:
    """Mints one ``cqf:Source`` per distinct (document, publisher, year, url); remembers which
    it already described, so a stream describes each source once. ``terms`` decides whether
    descriptions hold rdflib terms or N-Triples text (``app.rdf.terms``)."""

    def __init__(self, iris: Iris, terms: Terms = RDFLIB) -> None:
        self.iris, self.terms = iris, terms
        self.seen: dict[str, Any] = {}  # repr of a source key -> its IRI, once described
        # the qualifier pairs of a reified relationship, by its qualifying values: a bulk
        # export meets the same few combinations (proficiency, source, status) on most edges
        self.qualifiers: dict[tuple[Any, ...], list[Pair]] = {}

    def link(self, props: Mapping[str, Any], out: list[Description]) -> list[Pair]:
        if not props.get("source_document"):
            return []
        t = self.terms
        key = tuple(props.get(k) for k in _SOURCE_KEYS)
        iri = self.seen.get(seen_key := repr(key))
        if iri is None:
            iri = self.seen[seen_key] = t.iri(self.iris.source(key))
            out.append((iri, _dedupe([(t.const(_TYPE), t.const(_SOURCE))] + _pairs(props, (
                ("source_document", DCTERMS.title, "str"),
                ("source_publisher", DCTERMS.publisher, "str"),
                ("source_year", DCTERMS.issued, "year"),
                ("source_url", RDFS.seeAlso, "iri")), t))))
        return [(t.const(_DERIVED_FROM), iri)]


def node(label: NodeLabel, props: Mapping[str, Any], iris: Iris, sources: Sources,
         alignments: Mapping[str, list[Pair]] | None = None) -> list[Description]:
    """``alignments`` must be in the same term kind as ``sources.terms``."""
    t = sources.terms
    out: list[Description] = []
    pairs: list[Pair] = [(t.const(_TYPE), t.const(_CLASS.get(label) or CQF[label.value]))]
    if label in SKOS_TYPE:
        pairs.append((t.const(_TYPE), t.const(SKOS_TYPE[label])))
    pairs += _pairs(props, COMMON + PROPERTIES.get(label, ()), t)
    pairs += (alignments or {}).get(str(props["code"]), [])
    in_scheme, scheme_out = schemes.membership(label, props, iris, t)
    pairs += in_scheme
    pairs += sources.link(props, out)
    return [(t.iri(iris.entity(label, str(props["code"]))), _dedupe(pairs))] + out + scheme_out


def relationship(rel_type: str, from_label: NodeLabel, from_code: str, to_label: NodeLabel,
                 to_code: str, props: Mapping[str, Any] | None, iris: Iris,
                 sources: Sources) -> list[Description]:
    t = sources.terms
    predicate, _, reified = RELATIONSHIPS[rel_type]
    subject = t.iri(iris.entity(from_label, from_code))
    obj = t.iri(iris.entity(to_label, to_code))
    out: list[Description] = [(subject, [(t.const(predicate), obj)])]
    if rel_type == "IN_FRAMEWORK":  # a framework's levels: a flat scale, each a top concept
        out += schemes.top_concept(subject, obj, t)
    if reified:
        pairs: list[Pair] = [(t.const(_TYPE), t.const(_QUALIFIED)),
                             (t.const(_SUBJECT), subject),
                             (t.const(_PREDICATE), t.const(predicate)),
                             (t.const(_OBJECT), obj)]
        # none of these four predicates is a qualifier's, so only the qualifiers can repeat
        out.insert(1, (t.iri(iris.statement(rel_type, from_code, to_code)),
                       pairs + _qualifiers(props or {}, iris, sources, out)))
    return out


_QUALIFYING = ("proficiency", *(key for key, _, _ in QUALIFIERS), *_SOURCE_KEYS)
_QUALIFIER_CACHE = 4096


def _qualifiers(props: Mapping[str, Any], iris: Iris, sources: Sources,
                out: list[Description]) -> list[Pair]:
    """A reified relationship's proficiency, qualifiers and source (deduplicated), made once
    per distinct set of values (``sources.qualifiers``, bounded)."""
    try:
        key = tuple(props.get(k) for k in _QUALIFYING)
        cached = sources.qualifiers.get(key)
    except TypeError:  # a list value: not hashable, made every time
        key, cached = None, None
    if cached is not None:
        return cached
    t = sources.terms
    pairs: list[Pair] = []
    if props.get("proficiency"):
        pairs.append((t.const(_PROFICIENCY), t.iri(
            iris.entity(L.PROFICIENCY_LEVEL, str(props["proficiency"])))))
    pairs += _pairs(props, QUALIFIERS, t)
    pairs += sources.link(props, out)  # describes the source the first time only
    pairs = _dedupe(pairs)
    if key is not None:
        if len(sources.qualifiers) >= _QUALIFIER_CACHE:
            sources.qualifiers.clear()
        sources.qualifiers[key] = pairs
    return pairs


def match_predicate(match_type: str) -> URIRef:
    return SKOS[match_type] if match_type in _MATCH_TYPES else SKOS.relatedMatch


def evidence_quote(props: Mapping[str, Any], t: Terms = RDFLIB) -> list[Pair]:
    """The verbatim quote that states a mapping, as a literal in the quote's own language
    (a plain string when the stored tag is missing or not a language tag)."""
    quote = props.get("evidence_quote")
    if not quote:
        return []
    language = str(props.get("evidence_language") or "")
    return [(t.const(_EVIDENCE_QUOTE),
             t.literal(str(quote), lang=language if is_language_tag(language) else None))]


def mapping(from_code: str, to_code: str, props: Mapping[str, Any], iris: Iris,
            sources: Sources, with_direct: bool = True) -> list[Description]:
    """The reified ``cqf:Mapping`` (and, unless told otherwise, the direct SKOS triple)."""
    t = sources.terms
    subject = t.iri(iris.entity(L.LEVEL, from_code))
    obj = t.iri(iris.entity(L.LEVEL, to_code))
    predicate = t.const(match_predicate(str(props.get("match_type"))))
    out: list[Description] = [(subject, [(predicate, obj)])] if with_direct else []
    pairs: list[Pair] = [(t.const(_TYPE), t.const(_MAPPING)),
                         (t.const(_SUBJECT), subject), (t.const(_PREDICATE), predicate),
                         (t.const(_OBJECT), obj)]
    pairs += _pairs(props, MAPPING_FIELDS, t)
    reviewed = sssom.mapping_date(props) if props.get("review_status") in REVIEWED else None
    if reviewed:  # the SSSOM mapping_date of a reviewed mapping
        pairs.append((t.const(_REVIEW_DATE), t.literal(reviewed, datatype=XSD.date)))
    pairs += evidence_quote(props, t)
    pairs += sources.link(props, out)
    out.append((t.iri(iris.mapping(str(props["id"]))), _dedupe(pairs)))
    return out

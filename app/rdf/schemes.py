"""SKOS concept schemes: every concept the export writes is in one, and is a top concept of it
where nothing is broader than it. Pure: no store, no I/O.

- a level is in its framework (``skos:inScheme``, from ``IN_FRAMEWORK``); levels have no
  hierarchy, so each is a top concept of its framework;
- a competency is in the CQF competency scheme, or in the ESCO competency scheme when it is
  an ESCO concept (group ``ESCO``); it is a top concept there unless it has a broader one;
- a proficiency level is in the proficiency scale;
- every other kind the ontology makes a ``skos:Concept`` (competency groups, job families, job
  profiles, tasks, functional domains, generic roles, occupations, PICARD standards) is in
  the scheme of its kind (``FLAT_SCHEMES``); these kinds have no ``skos:broader`` in the
  graph, so each member is a top concept of its scheme.

The schemes below are minted by the service (``/id/scheme/...``); frameworks are schemes of
their own. So every export scope and release dump conforms to ``cqfsh:Concept`` ("every
concept is in a skos:ConceptScheme") with the ontology included.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rdflib import URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from app.domain.vocab import NodeLabel
from app.rdf.iris import COMPETENCY_SCHEME, ESCO_SCHEME, PROFICIENCY_SCHEME, SCHEME_KIND, Iris
from app.rdf.terms import Terms

Pair = tuple[Any, Any]
Description = tuple[Any, list[Pair]]
ESCO_GROUP = "ESCO"
ESCO_SKILLS = URIRef("http://data.europa.eu/esco/concept-scheme/skills")
# code -> (English name, English definition)
SCHEMES: dict[str, tuple[str, str]] = {
    COMPETENCY_SCHEME: ("CQF competencies",
                        "The competencies of the Customs Qualifications Framework graph "
                        "(CustCompEU operational competencies and the illustrative "
                        "placeholders), except those taken from ESCO."),
    ESCO_SCHEME: ("ESCO competencies used by the CQF",
                  "The ESCO skill and knowledge concepts the CQF graph uses; each is "
                  "skos:exactMatch its ESCO concept."),
    PROFICIENCY_SCHEME: ("CQF proficiency scale",
                         "The proficiency levels at which a competency is required or "
                         "developed: aware, trained, advanced, expert."),
}
# A flat scheme per kind: label -> (scheme code, English name, English definition).
FLAT_SCHEMES: dict[NodeLabel, tuple[str, str, str]] = {
    NodeLabel.COMPETENCY_GROUP: ("competency-groups", "CQF competency groups",
                                 "The groups of the CQF competencies (core values, "
                                 "professional, operational, management, ESCO skills)."),
    NodeLabel.JOB_FAMILY: ("job-families", "CQF job families",
                           "The families of related customs jobs in the CQF graph."),
    NodeLabel.JOB_PROFILE: ("job-profiles", "CQF job profiles",
                            "The job profiles of the CQF graph, each in a job family."),
    NodeLabel.PROFESSIONAL_TASK: ("tasks", "CQF professional tasks",
                                  "The tasks performed in customs work, drawing on "
                                  "competencies."),
    NodeLabel.FUNCTIONAL_DOMAIN: ("functional-domains", "CustCompEU functional domains",
                                  "The functional domains of customs work (CustCompEU)."),
    NodeLabel.GENERIC_ROLE: ("generic-roles", "CustCompEU generic roles",
                             "The generic roles of customs work (CustCompEU)."),
    NodeLabel.OCCUPATION: ("occupations", "Occupations used by the CQF",
                           "The ISCO-08 groups and ESCO occupations the CQF graph uses."),
    NodeLabel.PICARD_STANDARD: ("picard-standards", "WCO PICARD Professional Standards",
                                "The tiers, knowledge areas and themes of the WCO PICARD "
                                "Professional Standards the CQF graph uses."),
}
SCHEMES.update({code: (name, definition) for code, name, definition in FLAT_SCHEMES.values()})
FLAT_LABEL_OF: dict[str, NodeLabel] = {code: label for label, (code, _, _) in
                                       FLAT_SCHEMES.items()}


def competency_scheme(props: Mapping[str, Any]) -> str:
    return ESCO_SCHEME if props.get("group") == ESCO_GROUP else COMPETENCY_SCHEME


def scheme_of(label: NodeLabel, props: Mapping[str, Any]) -> str | None:
    """The minted scheme a node of ``label`` is in (None: a level, in its framework)."""
    if label is NodeLabel.COMPETENCY:
        return competency_scheme(props)
    if label is NodeLabel.PROFICIENCY_LEVEL:
        return PROFICIENCY_SCHEME
    if label in FLAT_SCHEMES:
        return FLAT_SCHEMES[label][0]
    return None


def top_concept(concept: Any, scheme: Any, t: Terms) -> list[Description]:
    """``concept skos:topConceptOf scheme`` and its inverse, as two descriptions."""
    return [(concept, [(t.const(SKOS.topConceptOf), scheme)]),
            (scheme, [(t.const(SKOS.hasTopConcept), concept)])]


def membership(label: NodeLabel, props: Mapping[str, Any], iris: Iris,
               t: Terms) -> tuple[list[Pair], list[Description]]:
    """``(pairs for the node, descriptions of its scheme)``: ``skos:inScheme`` for a
    concept; a proficiency level or a member of a flat scheme is also a top concept. A
    competency's top-concept status depends on its relationships (``top_concept`` from the
    caller, when it has no broader competency)."""
    code = scheme_of(label, props)
    if code is None:
        return [], []
    scheme = t.iri(iris.other(SCHEME_KIND, code))
    pairs = [(t.const(SKOS.inScheme), scheme)]
    if label is NodeLabel.PROFICIENCY_LEVEL or label in FLAT_SCHEMES:
        concept = t.iri(iris.entity(label, str(props["code"])))
        pairs.append((t.const(SKOS.topConceptOf), scheme))
        return pairs, [(scheme, [(t.const(SKOS.hasTopConcept), concept)])]
    return pairs, []


def scheme_descriptions(iris: Iris, t: Terms) -> list[Description]:
    """The minted schemes themselves (their members say ``skos:inScheme``)."""
    out = []
    for code, (name, definition) in SCHEMES.items():
        pairs = [(t.const(RDF.type), t.const(SKOS.ConceptScheme)),
                 (t.const(SKOS.notation), t.literal(code)),
                 (t.const(SKOS.prefLabel), t.literal(name, lang="en")),
                 (t.const(SKOS.definition), t.literal(definition, lang="en")),
                 (t.const(DCTERMS.publisher), t.literal("CQF Graph project"))]
        if code == ESCO_SCHEME:
            pairs.append((t.const(RDFS.seeAlso), t.const(ESCO_SKILLS)))
        out.append((t.iri(iris.other(SCHEME_KIND, code)), pairs))
    return out

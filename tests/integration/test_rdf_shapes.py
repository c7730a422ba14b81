"""SHACL: the seed graph's export conforms; broken data does not."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, SKOS

from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.rdf.ontology import shapes_graph
from app.rdf.vocab import CQF
from app.services.linked_data.export import Scope, export

BASE = "http://cqf.test/id/"


@pytest.fixture(scope="module")
def data(seeded_falkordb: GraphStore) -> Graph:
    text = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.DATA))
    return Graph().parse(data=text, format="nt")


def _violations(graph: Graph) -> set[tuple[str, str]]:
    conforms, report, _ = pyshacl.validate(graph, shacl_graph=shapes_graph(), inference="none")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert conforms == (not results)
    return {(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))
            for r in results}


def test_every_exported_class_has_a_shape(data: Graph) -> None:
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    exported = {o for o in data.objects(None, RDF.type) if str(o).startswith(str(CQF._NS))}
    assert exported <= targeted


def test_the_seed_graph_export_conforms(data: Graph) -> None:
    assert _violations(data) == set()


def test_broken_data_is_caught(data: Graph) -> None:
    broken = Graph()
    for triple in data:
        broken.add(triple)
    level = URIRef(BASE + "level/EQF/6")
    broken.remove((level, SKOS.inScheme, None))
    broken.set((level, CQF.evidenceStatus, Literal("official-ish")))
    mapping = next(broken.subjects(RDF.type, CQF.Mapping))
    broken.set((mapping, CQF.confidence, Literal(1.5)))
    broken.remove((mapping, RDF.predicate, None))
    broken.add((mapping, RDF.predicate, SKOS.broader))
    # SKOS and SSSOM completeness (one validation run: SHACL-SPARQL costs seconds)
    competency = URIRef(BASE + "competency/OPS-P01")
    broken.remove((competency, SKOS.inScheme, None))
    aware = URIRef(BASE + "proficiency-level/aware")
    broken.remove((aware, SKOS.topConceptOf, None))
    eqf6 = URIRef(BASE + "level/EQF/7")
    broken.remove((URIRef(BASE + "framework/EQF"), SKOS.hasTopConcept, eqf6))
    accepted = next(m for m in broken.subjects(RDF.type, CQF.Mapping)
                    if str(broken.value(m, CQF.reviewStatus)) == "accepted" and m != mapping)
    broken.remove((accepted, CQF.reviewDate, None))
    found = _violations(broken)
    assert (str(competency), str(SKOS.inScheme)) in found
    assert {str(aware), str(eqf6), str(accepted)} <= {focus for focus, _ in found}
    assert (str(level), str(SKOS.inScheme)) in found
    assert (str(level), str(CQF.evidenceStatus)) in found
    assert (str(mapping), str(CQF.confidence)) in found
    assert (str(mapping), str(RDF.predicate)) in found


# --- SKOS and SSSOM completeness ---------------------------------------------------------------

SCHEME_ORPHANS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?c WHERE { ?c a skos:Concept
  FILTER NOT EXISTS { ?c skos:inScheme ?s . ?s a skos:ConceptScheme } }"""
TOPLESS = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?s WHERE { ?s a skos:ConceptScheme FILTER EXISTS { ?c skos:inScheme ?s }
  FILTER NOT EXISTS { ?s skos:hasTopConcept ?t } }"""


def test_every_concept_is_in_a_scheme_with_top_concepts(seeded_falkordb: GraphStore,
                                                        data: Graph) -> None:
    """Read by a second parser (pyoxigraph) from the Turtle export, not rdflib's graph."""
    import pyoxigraph

    turtle = "".join(export(seeded_falkordb, Iris(BASE), "turtle", Scope.DATA))
    store = pyoxigraph.Store()
    store.load(turtle.encode(), format=pyoxigraph.RdfFormat.TURTLE)
    assert list(store.query(SCHEME_ORPHANS)) == []
    assert list(store.query(TOPLESS)) == []
    competencies = set(data.subjects(RDF.type, CQF.Competency))
    assert len(competencies) == 78
    schemes = {str(s) for c in competencies for s in data.objects(c, SKOS.inScheme)}
    assert schemes == {BASE + "scheme/competencies", BASE + "scheme/esco-competencies"}
    esco = URIRef(BASE + "competency/ESCO%3Ainspect-cargo")
    assert (esco, SKOS.topConceptOf, URIRef(BASE + "scheme/esco-competencies")) in data
    scale = URIRef(BASE + "scheme/proficiency-scale")
    levels = set(data.subjects(RDF.type, CQF.ProficiencyLevel))
    assert levels and set(data.objects(scale, SKOS.hasTopConcept)) == levels
    eqf6, eqf = URIRef(BASE + "level/EQF/6"), URIRef(BASE + "framework/EQF")
    assert (eqf6, SKOS.topConceptOf, eqf) in data and (eqf, SKOS.hasTopConcept, eqf6) in data


def test_reviewed_mappings_carry_their_review_date(data: Graph) -> None:
    mappings = set(data.subjects(RDF.type, CQF.Mapping))
    reviewed = {m for m in mappings
                if str(data.value(m, CQF.reviewStatus)) in ("accepted", "rejected")}
    assert reviewed and all(data.value(m, CQF.reviewDate) is not None for m in reviewed)

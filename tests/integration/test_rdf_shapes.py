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
from app.services.rdf_export import Scope, export

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
    found = _violations(broken)
    assert (str(level), str(SKOS.inScheme)) in found
    assert (str(level), str(CQF.evidenceStatus)) in found
    assert (str(mapping), str(CQF.confidence)) in found
    assert (str(mapping), str(RDF.predicate)) in found

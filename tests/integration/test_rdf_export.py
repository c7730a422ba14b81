"""The streamed export: lossless in every format, counted against the graph, page by page."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from app.graph.port import GraphStore, StoreUnavailable
from app.rdf.iris import Iris
from app.rdf.ontology import ontology_graph
from app.rdf.vocab import CQF
from app.services.linked_data.export import Scope, export
from tests.support.rdf_counts import expected_data_triples

BASE = "http://cqf.test/id/"
RDFLIB_FORMAT = {"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}
RAPPER_FORMAT = {"ntriples": "ntriples", "turtle": "turtle", "rdfxml": "rdfxml"}


@pytest.fixture(scope="module")
def dumps(seeded_falkordb: GraphStore) -> dict[str, str]:
    return {fmt: "".join(export(seeded_falkordb, Iris(BASE), fmt, Scope.DATA, page_size=50))
            for fmt in RDFLIB_FORMAT}


def _parse(text: str, fmt: str) -> Graph:
    return Graph().parse(data=text, format=RDFLIB_FORMAT[fmt])


@pytest.mark.parametrize("fmt", list(RDFLIB_FORMAT))
def test_export_holds_exactly_what_the_graph_holds(fmt: str, dumps: dict[str, str],
                                                   seeded_falkordb: GraphStore) -> None:
    assert len(_parse(dumps[fmt], fmt)) == expected_data_triples(seeded_falkordb)


def test_every_format_carries_the_same_triples(dumps: dict[str, str]) -> None:
    reference = set(_parse(dumps["ntriples"], "ntriples"))
    for fmt in ("turtle", "jsonld", "rdfxml"):
        assert set(_parse(dumps[fmt], fmt)) == reference, fmt


def test_page_size_does_not_change_the_export(seeded_falkordb: GraphStore,
                                              dumps: dict[str, str]) -> None:
    big = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.DATA, page_size=5000))
    assert set(_parse(big, "ntriples")) == set(_parse(dumps["ntriples"], "ntriples"))


@pytest.mark.parametrize("fmt", list(RAPPER_FORMAT))
def test_raptor_reads_the_same_number_of_triples(fmt: str, dumps: dict[str, str],
                                                 tmp_path: Path) -> None:
    if shutil.which("rapper") is None:
        print("SKIP rapper: raptor2-utils is not installed (apt-get install raptor2-utils)")
        pytest.skip("rapper (raptor2-utils) is not installed")
    path = tmp_path / f"dump.{fmt}"
    path.write_text(dumps[fmt], encoding="utf-8")
    done = subprocess.run(["rapper", "-q", "-i", RAPPER_FORMAT[fmt], "-o", "ntriples",
                           str(path)], capture_output=True, text=True, check=True)
    rapper_graph = Graph().parse(data=done.stdout, format="nt")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    assert len(lines) == len(_parse(dumps[fmt], fmt))
    assert set(rapper_graph) == set(_parse(dumps["ntriples"], "ntriples"))


def test_levels_are_concepts_in_their_framework_and_mappings_are_skos(
        dumps: dict[str, str]) -> None:
    graph = _parse(dumps["turtle"], "turtle")
    eqf6, eqf = URIRef(BASE + "level/EQF/6"), URIRef(BASE + "framework/EQF")
    assert (eqf6, RDF.type, SKOS.Concept) in graph
    assert (eqf6, SKOS.inScheme, eqf) in graph
    assert (eqf6, SKOS.exactMatch, URIRef("http://data.europa.eu/snb/eqf/6")) in graph
    mapping = next(graph.subjects(RDF.type, CQF.Mapping))
    s, p, o = (graph.value(mapping, x) for x in (RDF.subject, RDF.predicate, RDF.object))
    assert (s, p, o) in graph
    assert graph.value(mapping, CQF.mappingMethod) is not None


def test_esco_uris_are_exact_matches(dumps: dict[str, str]) -> None:
    graph = _parse(dumps["ntriples"], "ntriples")
    customs_officer = URIRef(
        "http://data.europa.eu/esco/occupation/5f16819d-50b9-475b-a2d8-607ee6d99a9d")
    assert any(graph.subjects(SKOS.exactMatch, customs_officer))


def test_ontology_scope_is_the_ontology(seeded_falkordb: GraphStore) -> None:
    text = "".join(export(seeded_falkordb, Iris(BASE), "turtle", Scope.ONTOLOGY))
    assert set(_parse(text, "turtle")) == set(ontology_graph())


def test_framework_filter_keeps_its_levels_and_their_mappings(
        seeded_falkordb: GraphStore) -> None:
    text = "".join(export(seeded_falkordb, Iris(BASE), "ntriples", Scope.DATA, "IE-NFQ"))
    graph = _parse(text, "ntriples")
    levels = set(graph.subjects(RDF.type, CQF.Level))
    assert levels and all(str(level).startswith(BASE + "level/IE-NFQ/") for level in levels)
    for mapping in graph.subjects(RDF.type, CQF.Mapping):
        ends = {graph.value(mapping, RDF.subject), graph.value(mapping, RDF.object)}
        assert ends & levels
    assert not set(graph.subjects(RDF.type, CQF.Competency))


class CountingStore:
    """The real store, with a log of the reads made (to see when output is produced)."""

    def __init__(self, store: GraphStore) -> None:
        self._store, self.reads = store, 0

    def read(self, query: Any, params: Any = None) -> list[dict[str, Any]]:
        self.reads += 1
        return self._store.read(query, params)


def test_first_bytes_come_before_the_last_page_is_read(seeded_falkordb: GraphStore) -> None:
    store = CountingStore(seeded_falkordb)
    chunks = export(store, Iris(BASE), "ntriples", Scope.DATA, page_size=20)  # type: ignore[arg-type]
    first = next(c for c in chunks if c)
    reads_at_first = store.reads
    rest = "".join(chunks)
    assert first and rest
    assert reads_at_first <= 2 < store.reads


class FailingStore(CountingStore):
    """The real store until its ``fail_at``-th read, which finds the store gone."""

    def __init__(self, store: GraphStore, backend: str, fail_at: int) -> None:
        super().__init__(store)
        self.backend, self.fail_at = backend, fail_at
        self._lock = threading.Lock()

    def read(self, query: Any, params: Any = None) -> list[dict[str, Any]]:
        with self._lock:  # pages may be read on several threads
            self.reads += 1
            failing = self.reads == self.fail_at
        if failing:
            raise StoreUnavailable("the store went away")
        return self._store.read(query, params)


@pytest.mark.parametrize("backend", ["falkordb", "neo4j"])  # parallel and one-at-a-time reads
def test_a_store_failure_mid_export_ends_the_stream_with_that_error(
        seeded_falkordb: GraphStore, backend: str) -> None:
    store = FailingStore(seeded_falkordb, backend, fail_at=12)
    chunks = export(store, Iris(BASE), "ntriples", Scope.DATA, page_size=20)  # type: ignore[arg-type]
    with pytest.raises(StoreUnavailable, match="went away"):
        for _ in chunks:
            pass


def test_a_reader_that_stops_early_leaves_no_reading_thread(seeded_falkordb: GraphStore) -> None:
    chunks = export(seeded_falkordb, Iris(BASE), "ntriples", Scope.DATA, page_size=20)
    for _, _ in zip(range(5), chunks, strict=False):
        pass
    chunks.close()  # a client that went away
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(
            t.name.startswith("export-read") for t in threading.enumerate()):
        time.sleep(0.1)
    assert not [t.name for t in threading.enumerate() if t.name.startswith("export-read")]

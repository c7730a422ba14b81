"""Read-only SPARQL over the live graph and over releases: real queries, the dataset of the
SPARQL 1.1 Protocol, content negotiation, refusals and limits."""

from __future__ import annotations

import csv
import io
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from app.graph.port import GraphStore
from tests.conftest import client_for
from tests.integration.conftest import RELEASE_BASE

BASE = RELEASE_BASE
PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cqf: <https://cqf-graph.org/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""
EQF_LEVELS = PREFIXES + f"""SELECT ?level ?notation WHERE {{
  ?level skos:inScheme <{BASE}framework/EQF> ; skos:notation ?notation .
}} ORDER BY ?notation"""
INTO_EQF6 = PREFIXES + f"""SELECT ?mapping ?from ?type ?document WHERE {{
  ?mapping a cqf:Mapping ; rdf:subject ?from ; rdf:predicate ?type ;
           rdf:object <{BASE}level/EQF/6> ; prov:wasDerivedFrom ?source .
  ?source dcterms:title ?document .
}} ORDER BY ?mapping"""
SPARQL_JSON = "application/sparql-results+json"


def _client(store: GraphStore, releases: Path, monkeypatch: pytest.MonkeyPatch,
            **env: str) -> Iterator[TestClient]:
    monkeypatch.setenv("CQF_RELEASES_DIR", str(releases))
    monkeypatch.setenv("CQF_BASE_IRI", BASE)  # the live graph and the release share IRIs
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with client_for(store) as client:
        yield client


@pytest.fixture
def sparql(seeded_falkordb: GraphStore, released: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    yield from _client(seeded_falkordb, released, monkeypatch)


def _bindings(response) -> list[dict[str, str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text
    body = response.json()
    return [{k: v["value"] for k, v in row.items()} for row in body["results"]["bindings"]]


def test_all_levels_of_eqf(sparql: TestClient, seeded_falkordb: GraphStore) -> None:
    rows = _bindings(sparql.get("/sparql", params={"query": EQF_LEVELS},
                                headers={"Accept": SPARQL_JSON}))
    stored = seeded_falkordb.read("MATCH (l:Level {framework: 'EQF'}) RETURN l.code AS code")
    assert {r["notation"] for r in rows} == {r["code"] for r in stored}
    assert len(rows) == 8
    assert BASE + "level/EQF/6" in {r["level"] for r in rows}


def test_all_mappings_into_eqf6_with_their_sources(sparql: TestClient,
                                                   seeded_falkordb: GraphStore) -> None:
    rows = _bindings(sparql.post("/sparql", content=INTO_EQF6,
                                 headers={"Content-Type": "application/sparql-query"}))
    stored = seeded_falkordb.read(
        "MATCH (a:Level)-[m:MAPS_TO]->(b:Level {code: 'EQF:6'}) "
        "WHERE m.source_document IS NOT NULL RETURN m.id AS id, m.source_document AS doc")
    assert rows and len(rows) == len(stored)
    assert {r["document"] for r in rows} == {r["doc"] for r in stored}
    assert all(r["type"].startswith("http://www.w3.org/2004/02/skos/core#") for r in rows)


def test_form_post_and_xml_and_csv_results(sparql: TestClient) -> None:
    xml = sparql.post("/sparql", data={"query": EQF_LEVELS},
                      headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml")
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    assert len(ET.fromstring(xml.content).findall(".//s:result", ns)) == 8
    text = sparql.get("/sparql", params={"query": EQF_LEVELS}, headers={"Accept": "text/csv"})
    assert text.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(text.text)))
    assert table[0] == ["level", "notation"] and len(table) == 9


def test_ask_and_construct(sparql: TestClient) -> None:
    ask = sparql.get("/sparql", params={"query": PREFIXES + "ASK { ?s a cqf:Level }"})
    assert ask.json() == {"head": {}, "boolean": True}
    graph = sparql.get("/sparql", headers={"Accept": "application/n-triples"}, params={
        "query": PREFIXES + f"CONSTRUCT {{ ?l skos:inScheme ?s }} WHERE {{ ?l skos:inScheme ?s "
                 f"FILTER(?s = <{BASE}framework/EQF>) }}"})
    assert graph.headers["content-type"].startswith("application/n-triples")
    assert len([line for line in graph.text.splitlines() if line.strip()]) == 8


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", params={"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
    lambda c: c.get("/sparql", params={"query": PREFIXES + "DELETE WHERE { ?s ?p ?o }"}),
    lambda c: c.post("/sparql", data={"update": "DROP ALL"}),
    lambda c: c.post("/sparql", content="CLEAR ALL",
                     headers={"Content-Type": "application/sparql-update"}),
])
def test_updates_are_refused(sparql: TestClient, send) -> None:  # type: ignore[no-untyped-def]
    response = send(sparql)
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["type"].endswith("sparql-update-refused")
    assert len(_bindings(sparql.get("/sparql", params={"query": EQF_LEVELS}))) == 8


def test_a_malformed_query_is_a_400_problem(sparql: TestClient) -> None:
    response = sparql.get("/sparql", params={"query": "SELECT WHERE {"})
    assert response.status_code == 400
    assert response.json()["type"].endswith("sparql-malformed-query")
    assert sparql.get("/sparql").status_code == 400


def test_results_beyond_the_limit_are_refused(seeded_falkordb: GraphStore, released: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    for client in _client(seeded_falkordb, released, monkeypatch,
                          CQF_SPARQL_MAX_RESULTS="5"):
        too_many = client.get("/sparql", params={"query": EQF_LEVELS})
        assert too_many.status_code == 422
        assert too_many.json()["type"].endswith("sparql-result-too-large")
        paged = client.get("/sparql", params={"query": EQF_LEVELS + " LIMIT 5"})
        assert len(_bindings(paged)) == 5


def test_a_slow_query_times_out(seeded_falkordb: GraphStore, released: Path,
                                monkeypatch: pytest.MonkeyPatch) -> None:
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f "
            "FILTER(STR(?b) < STR(?d)) }")
    for client in _client(seeded_falkordb, released, monkeypatch,
                          CQF_SPARQL_TIMEOUT_SECONDS="0.2"):
        response = client.get("/sparql", params={"query": slow})
        assert response.status_code == 503
        assert response.json()["type"].endswith("sparql-timeout")


def test_without_a_release_the_live_graph_answers(seeded_falkordb: GraphStore,
                                                  tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    for client in _client(seeded_falkordb, tmp_path / "none", monkeypatch):
        assert client.get("/api/v1/releases").json() == {"items": [], "latest": None}
        response = client.get("/sparql", params={"query": EQF_LEVELS})
        assert len(_bindings(response)) == 8
        assert response.headers["x-cqf-snapshot"].startswith("live ")
        missing = client.get("/sparql", params={"query": EQF_LEVELS, "release": "1.0"})
        assert missing.status_code == 404 and "Accept" in missing.headers["vary"]


# --- SPARQL 1.1 Protocol: negotiation --------------------------------------------------------

CONSTRUCT_EQF = PREFIXES + f"""CONSTRUCT {{ ?l skos:inScheme ?s }} WHERE {{ ?l skos:inScheme ?s
FILTER(?s = <{BASE}framework/EQF>) }}"""
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt",
               "application/rdf+xml": "xml", "application/ld+json": "json-ld"}


def test_select_in_every_results_format(sparql: TestClient) -> None:
    for media in ("application/sparql-results+json", "application/sparql-results+xml",
                  "text/csv", "text/tab-separated-values"):
        response = sparql.get("/sparql", params={"query": EQF_LEVELS}, headers={"Accept": media})
        assert response.status_code == 200, media
        assert response.headers["content-type"].startswith(media)
        assert "Accept" in response.headers["vary"]
    tsv = sparql.get("/sparql", params={"query": EQF_LEVELS},
                     headers={"Accept": "text/tab-separated-values"}).text.splitlines()
    assert tsv[0] == "?level\t?notation" and len(tsv) == 9
    assert tsv[1].startswith(f"<{BASE}level/EQF/") and '"' in tsv[1]


@pytest.mark.parametrize("media", list(RDF_PARSERS))
def test_construct_in_every_graph_format(sparql: TestClient, media: str) -> None:
    response = sparql.get("/sparql", params={"query": CONSTRUCT_EQF}, headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = Graph().parse(data=response.text, format=RDF_PARSERS[media])
    assert len(graph) == 8
    assert (URIRef(BASE + "level/EQF/6"), SKOS.inScheme, URIRef(BASE + "framework/EQF")) in graph


@pytest.mark.parametrize("query, accept", [
    (EQF_LEVELS, "text/turtle"), (EQF_LEVELS, "image/png"),
    (CONSTRUCT_EQF, "application/sparql-results+json"), (CONSTRUCT_EQF, "text/csv"),
])
def test_an_unservable_accept_is_406(sparql: TestClient, query: str, accept: str) -> None:
    response = sparql.get("/sparql", params={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"
    assert "Accept" in response.headers["vary"]


# --- the dataset: the live graph, a release, default-graph-uri, named-graph-uri --------------

RELEASE_GRAPH = BASE + "release/1.0.0"
LIVE_GRAPH = BASE + "dataset/current"
COUNT_LEVELS = PREFIXES + "SELECT (COUNT(?l) AS ?n) WHERE { ?l a cqf:Level }"


def _count(response) -> int:  # type: ignore[no-untyped-def]
    return int(_bindings(response)[0]["n"])


def test_a_release_by_version_or_by_its_graph_iri(sparql: TestClient) -> None:
    by_version = sparql.get("/sparql", params={"query": COUNT_LEVELS, "release": "1.0.0"})
    assert by_version.headers["x-cqf-release"] == "1.0.0"
    assert by_version.headers["x-cqf-snapshot"] == "release 1.0.0"
    by_graph = sparql.get("/sparql", params={"query": COUNT_LEVELS,
                                             "default-graph-uri": RELEASE_GRAPH})
    assert by_graph.headers["x-cqf-release"] == "1.0.0"
    live = sparql.get("/sparql", params={"query": COUNT_LEVELS})
    assert live.headers["x-cqf-snapshot"].startswith("live ")
    assert _count(by_version) == _count(by_graph) == _count(live) > 100


def test_named_graphs_are_the_protocol_s(sparql: TestClient) -> None:
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    named = sparql.get("/sparql", params={"query": query, "named-graph-uri": RELEASE_GRAPH})
    assert [r["g"] for r in _bindings(named)] == [RELEASE_GRAPH]
    # only named graphs given: the default graph is empty
    empty = sparql.get("/sparql", params={"query": COUNT_LEVELS,
                                          "named-graph-uri": RELEASE_GRAPH})
    assert _count(empty) == 0
    live = sparql.post("/sparql", data={"query": query, "named-graph-uri": LIVE_GRAPH})
    assert [r["g"] for r in _bindings(live)] == [LIVE_GRAPH]


def test_unknown_or_mixed_graphs_are_400_problems(sparql: TestClient) -> None:
    unknown = sparql.get("/sparql", params={"query": COUNT_LEVELS,
                                            "default-graph-uri": "http://example.org/g"})
    assert unknown.status_code == 400
    assert unknown.json()["type"].endswith("sparql-unknown-graph")
    assert LIVE_GRAPH in unknown.json()["detail"] and RELEASE_GRAPH in unknown.json()["detail"]
    mixed = sparql.get("/sparql", params={"query": COUNT_LEVELS,
                                          "default-graph-uri": [RELEASE_GRAPH, LIVE_GRAPH]})
    assert mixed.status_code == 400 and mixed.json()["type"].endswith("sparql-mixed-graphs")


def test_the_live_graph_is_rebuilt_in_the_background(writable_store: GraphStore,
                                                     released: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to the graph starts a rebuild; queries meanwhile are answered at once from
    the previous snapshot (the header says which), and see the change once it is built."""
    new_level = PREFIXES + f"ASK {{ <{BASE}level/EQF/99> a cqf:Level }}"
    for client in _client(writable_store, released, monkeypatch):
        first = client.get("/sparql", params={"query": new_level})
        assert first.json()["boolean"] is False
        before = first.headers["x-cqf-snapshot"]
        live = client.app.state.sparql.live  # type: ignore[attr-defined]
        gate, export = threading.Event(), live.export

        def held(gate: threading.Event = gate, export=export) -> Iterator[str]:  # type: ignore[no-untyped-def]
            gate.wait(60)
            yield from export()

        live.export = held
        writable_store.write(
            "MATCH (f:Framework {code: 'EQF'}) CREATE (l:Level {code: 'EQF:99', "
            "framework: 'EQF', level: '99', ordinal: 99, name: 'test level', "
            "status: 'illustrative', source_document: 'Illustrative test'})-[:IN_FRAMEWORK]->(f)")
        client.app.state.graph_state.forget()  # type: ignore[attr-defined]
        during = client.get("/sparql", params={"query": new_level})
        assert during.status_code == 200 and during.headers["x-cqf-snapshot"] == before
        assert during.json()["boolean"] is False
        gate.set()
        for _ in range(300):  # until the rebuild is in (bounded; no timing asserted)
            after = client.get("/sparql", params={"query": new_level})
            if after.headers["x-cqf-snapshot"] != before:
                break
            time.sleep(0.1)
        assert after.headers["x-cqf-snapshot"] != before
        assert after.json()["boolean"] is True

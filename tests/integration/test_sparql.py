"""Read-only SPARQL over the latest release: real queries, formats, refusals and limits."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

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


def test_without_a_release_the_endpoint_says_so(seeded_falkordb: GraphStore, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    for client in _client(seeded_falkordb, tmp_path / "none", monkeypatch):
        response = client.get("/sparql", params={"query": EQF_LEVELS})
        assert response.status_code == 404
        assert response.json()["type"].endswith("no-release")
        assert "cqf release" in response.json()["detail"]
        assert client.get("/api/v1/releases").json() == {"items": [], "latest": None}

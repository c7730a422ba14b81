"""The same question gets the same answer on both backends, for every read family: catalogue
(lists, details, search with its scores), equivalence, portability, the CQF table (JSON, CSV,
CSVW, XLSX), careers, CASE 1.0 and 1.1, SPARQL and the exports (compared as triple sets and
as rows). Asked on the seed graph, and again after the same write flow through the API."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.access.keys import create_key
from tests.conftest import _neo4j_seeded, client_for, fresh_store

pytestmark = pytest.mark.neo4j  # opens Neo4j itself (fresh_store), beside the embedded store

V1 = "/api/v1"
SEARCHES = ["risk", "valuation", "customs", "customs valuation", "audit", "origin", "data",
            "management of risk", "classification", "enforcement"]
SPARQL = [
    "SELECT ?s ?label WHERE { ?s a <http://www.w3.org/2004/02/skos/core#Concept> ; "
    "<http://www.w3.org/2004/02/skos/core#prefLabel> ?label } ORDER BY ?s ?label LIMIT 200",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
]
WRITTEN_AT = {"reviewed_at"}
WRITTEN = "map:written-by-the-test"
CASE_VERSIONS = ["/ims/case/v1p0", "/ims/case/v1p1"]
LISTS = ["frameworks", "competencies", "job-profiles", "job-families", "mappings",
         "picard-standards", "institutions", "administrations"]


@pytest.fixture(scope="module")
def stores(request: pytest.FixtureRequest) -> Iterator[tuple[GraphStore, GraphStore]]:
    """The seed graph on each backend, each this module's own to write to."""
    falkordb = fresh_store(request, "falkordb")
    seed(falkordb, SEED_DATA_DIR)
    neo4j = fresh_store(request, "neo4j")
    seed(neo4j, SEED_DATA_DIR)
    yield falkordb, neo4j
    falkordb.close()
    neo4j.close()
    _neo4j_seeded["yes"] = False  # written to: the next seeded_neo4j seeds again


def _paths(client: TestClient) -> list[str]:
    """Every read route of the families, with codes taken from the graph itself."""
    paths = [f"{V1}/search?q={q}&limit=50" for q in SEARCHES]
    for name in LISTS:
        paths.append(f"{V1}/{name}?limit=500")
        items = client.get(f"{V1}/{name}", params={"limit": 500}).json().get("items", [])
        codes = [i.get("code") or i.get("id") for i in items][:15]
        paths += [f"{V1}/{name}/{c}" for c in codes if c]
    frameworks = [i["code"] for i in client.get(f"{V1}/frameworks?limit=500").json()["items"]]
    for fw in frameworks[:12]:
        paths.append(f"{V1}/frameworks/{fw}/levels?limit=100")
        levels = client.get(f"{V1}/frameworks/{fw}/levels?limit=100").json().get("items", [])
        for level in levels[:4]:
            paths.append(f"{V1}/equivalences?from={level['code']}")
            paths.append(f"{V1}/equivalences?from={level['code']}&to=EQF")
    paths += [f"{V1}/equivalences?from=IE-NFQ:8&to=NL-NLQF",
              f"{V1}/equivalences?from=ADM-A-GRADES:G5&to=ADM-B-GRADES",
              f"{V1}/equivalences?from=programme:PROG-EXU-MSC",
              f"{V1}/mappings/quality"]
    profiles = [i["code"] for i in client.get(f"{V1}/job-profiles?limit=500").json()["items"]]
    for a, b in zip(profiles[:8], profiles[1:9], strict=False):
        paths += [f"{V1}/job-profiles/{a}/gap/{b}", f"{V1}/job-profiles/{a}/successors"]
    families = [i["code"] for i in client.get(f"{V1}/job-families?limit=500").json()["items"]]
    paths += [f"{V1}/job-families/{f}/career-path" for f in families[:6]]
    paths += [f"{V1}/cqf-table", f"{V1}/cqf-table?lang=fr", f"{V1}/cqf-table?format=csv",
              f"{V1}/cqf-table.csv-metadata.json",
              f"{V1}/cqf-table?frameworks=IE-NFQ,NL-NLQF&administration=ADM-A&lang=fr"]
    for version in CASE_VERSIONS:
        paths.append(f"{version}/CFDocuments")
        for doc in client.get(f"{version}/CFDocuments").json().get("CFDocuments", []):
            paths += [f"{version}/CFDocuments/{doc['identifier']}",
                      f"{version}/CFPackages/{doc['identifier']}"]
    return paths


def _answer(client: TestClient, path: str) -> tuple[int, Any]:
    response = client.get(path)
    media = response.headers.get("content-type", "")
    if "json" in media:
        return response.status_code, response.json()
    if "csv" in media:
        return response.status_code, sorted(csv.reader(io.StringIO(response.text)))
    return response.status_code, response.content


def _xlsx_cells(content: bytes) -> list[list[list[Any]]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True)
    return [[list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book]


def _triples(client: TestClient) -> set[tuple[str, str, str]]:
    from rdflib import Graph

    graph = Graph()
    graph.parse(data=client.get(f"{V1}/export?format=turtle").text, format="turtle")
    return {(str(s), str(p), str(o)) for s, p, o in graph}


def _sssom_rows(client: TestClient) -> list[str]:
    text = client.get(f"{V1}/export/mappings.sssom.tsv").text
    return sorted(line for line in text.splitlines() if line and not line.startswith("#"))


def _all_answers(client: TestClient, paths: list[str]) -> dict[str, Any]:
    answers: dict[str, Any] = {path: _answer(client, path) for path in paths}
    answers["xlsx"] = _xlsx_cells(client.get(f"{V1}/cqf-table?format=xlsx").content)
    answers["export"] = _triples(client)
    answers["sssom"] = _sssom_rows(client)
    for query in SPARQL:
        answers[query] = client.get("/sparql", params={"query": query},
                                    headers={"Accept": "application/sparql-results+json"}).json()
    answers["portability"] = client.post(f"{V1}/portability", json={
        "from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 20, "with_training": True}).json()
    answers["plan"] = client.post(f"{V1}/career-plans", json={
        "from_profile": "JP-AUDIT-OFFICER-PCA"}).json()
    return answers


def _when_written(value: Any, drawn: str | None = None) -> Any:
    """``value`` without what each store's own write drew: the instants of the writes (each
    graph was seeded, and written to, at its own moment) and the random id of the mapping
    created (``drawn``; lists ordered by id are compared as sets where it appears).
    Everything else must be equal."""
    if isinstance(value, str):
        return value.replace(drawn, WRITTEN).replace(drawn.replace(":", "%3A"), WRITTEN) \
            if drawn else value
    if isinstance(value, dict):
        return {k: _when_written(v, drawn) for k, v in value.items() if k not in WRITTEN_AT}
    if isinstance(value, list | tuple | set):
        items = [_when_written(v, drawn) for v in value]
        if isinstance(value, set):
            return set(items)
        if drawn and WRITTEN in repr(items):
            items.sort(key=repr)
        return type(value)(items)
    return value


def _first_difference(a: Any, b: Any, where: str = "") -> str:
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if a.get(k) != b.get(k):
                return _first_difference(a.get(k), b.get(k), f"{where}.{k}")
    if isinstance(a, list | tuple) and isinstance(b, list | tuple) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            if x != y:
                return _first_difference(x, y, f"{where}[{i}]")
    if isinstance(a, set) and isinstance(b, set):
        return f"{where}: only falkordb {sorted(a - b)[:3]}, only neo4j {sorted(b - a)[:3]}"
    return f"{where}: falkordb {str(a)[:300]} | neo4j {str(b)[:300]}"


def _assert_same(falkordb: dict[str, Any], neo4j: dict[str, Any],
                 drawn: tuple[str | None, str | None] = (None, None)) -> None:
    falkordb, neo4j = _when_written(falkordb, drawn[0]), _when_written(neo4j, drawn[1])
    differ = [key for key in falkordb if falkordb[key] != neo4j[key]]
    for key in differ:
        print(f"\nDIFFERS {key}: {_first_difference(falkordb[key], neo4j[key])}")
    assert not differ, f"{len(differ)} of {len(falkordb)} answers differ: {differ}"


def _write_flow(client: TestClient, headers: dict[str, str]) -> str:
    created = client.post(f"{V1}/mappings", headers=headers, json={
        "from_level": "NZ-NZQCF:8", "to_level": "EQF:7", "match_type": "broadMatch",
        "confidence": 0.5, "method": "expert_panel", "date": "2020-01-15",
        "source": {"document": "parity test", "year": 2020}})
    assert created.status_code == 201, created.text
    reviewed = client.post(f"{V1}/mappings/{created.json()['id']}/review", headers=headers,
                           json={"decision": "accept", "reason": "parity test"})
    assert reviewed.status_code == 200, reviewed.text
    return created.json()["id"]


def test_every_read_family_answers_the_same_on_both_backends_before_and_after_writes(
        stores: tuple[GraphStore, GraphStore]) -> None:
    falkordb, neo4j = stores
    with client_for(falkordb) as on_falkordb, client_for(neo4j) as on_neo4j:
        paths = _paths(on_falkordb)
        assert len(paths) > 150
        assert _paths(on_neo4j) == paths
        seeded = _all_answers(on_falkordb, paths), _all_answers(on_neo4j, paths)
        assert all(status == 200 for status, _ in
                   (seeded[0][p] for p in paths)), [p for p in paths if seeded[0][p][0] != 200]
        _assert_same(*seeded)
        drawn = tuple(_write_flow(client, {"X-API-Key": create_key(store, "admin")["key"]})
                      for client, store in ((on_falkordb, falkordb), (on_neo4j, neo4j)))
        written = _all_answers(on_falkordb, paths), _all_answers(on_neo4j, paths)
        assert written[0] != seeded[0]  # the write shows
        _assert_same(*written, drawn=drawn)

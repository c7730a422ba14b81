"""The SPARQL 1.1 Protocol checked with a standard client nobody here wrote (SPARQLWrapper)
against the real ``cqf serve``: the live graph by default, a release by graph IRI, every
result format each query form allows, and HEAD through the real server."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS
from SPARQLWrapper import CSV, JSON, JSONLD, POST, RDFXML, TSV, TURTLE, XML, SPARQLWrapper

from app.graph.embedded import free_loopback_port
from tests.faults.test_service_killed import _wait_ready

PREFIXES = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX cqf: <https://cqf-graph.org/ontology#>
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``cqf serve`` on a fresh embedded store (seeded on start), with release 1.0.0 made by
    ``cqf release`` beside it; yields the service's root URL."""
    root = tmp_path_factory.mktemp("sparql-served")
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CQF_DATA_DIR": str(root / "data"), "CQF_PORT": str(port),
           "CQF_RELEASES_DIR": str(root / "releases"), "CQF_BASE_IRI": f"{base}/id/",
           "CQF_LOG_LEVEL": "WARNING", "CQF_ENV": "development",
           "CQF_RATE_LIMIT_ENABLED": "false"}
    command = [sys.executable, "-c", "from app.cli import main; main()"]
    process = subprocess.Popen(command + ["serve"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        _wait_ready(base, process)
        subprocess.run(command + ["release", "1.0.0"], env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def _client(base: str, query: str, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(f"{base}/sparql")
    client.setQuery(PREFIXES + query)
    client.setReturnFormat(fmt)
    return client


def _eqf(base: str) -> str:
    return f"?l skos:inScheme <{base}/id/framework/EQF>"


def test_select_and_ask_in_every_results_format(served: str) -> None:
    select = f"SELECT ?l ?n WHERE {{ {_eqf(served)} ; skos:notation ?n }} ORDER BY ?n"
    rows = _client(served, select, JSON).queryAndConvert()["results"]["bindings"]
    assert len(rows) == 8 and rows[0]["l"]["value"].startswith(f"{served}/id/level/EQF/")
    xml = _client(served, select, XML).queryAndConvert()
    assert len(xml.getElementsByTagName("result")) == 8
    csv_text = _client(served, select, CSV).queryAndConvert().decode()
    assert csv_text.splitlines()[0] == "l,n" and len(csv_text.splitlines()) == 9
    tsv_text = _client(served, select, TSV).queryAndConvert().decode()
    assert tsv_text.splitlines()[0] == "?l\t?n" and len(tsv_text.splitlines()) == 9
    ask = _client(served, "ASK { ?l a cqf:Level }", JSON).queryAndConvert()
    assert ask["boolean"] is True
    posted = _client(served, select, JSON)
    posted.setMethod(POST)
    assert len(posted.queryAndConvert()["results"]["bindings"]) == 8


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_in_graph_formats(served: str, fmt: str) -> None:
    construct = f"CONSTRUCT {{ ?l skos:inScheme ?s }} WHERE {{ {_eqf(served)} ; skos:inScheme ?s }}"
    result = _client(served, construct, fmt).queryAndConvert()
    graph = result if isinstance(result, Graph) else Graph().parse(data=result,
                                                                   format="turtle")
    assert len(graph) == 8
    assert (URIRef(f"{served}/id/level/EQF/6"), SKOS.inScheme,
            URIRef(f"{served}/id/framework/EQF")) in graph


def test_a_release_as_the_default_graph(served: str) -> None:
    client = _client(served, "SELECT (COUNT(?l) AS ?n) WHERE { ?l a cqf:Level }", JSON)
    live = int(client.queryAndConvert()["results"]["bindings"][0]["n"]["value"])
    client.addDefaultGraph(f"{served}/id/release/1.0.0")
    released = client.query()
    assert released.info()["x-cqf-release"] == "1.0.0"
    assert int(released.convert()["results"]["bindings"][0]["n"]["value"]) == live > 100


def test_head_through_the_real_server(served: str) -> None:
    for path in ("/id/level/EQF/6", "/api/v1/export?format=turtle", "/api/v1/frameworks"):
        get, head = httpx.get(served + path), httpx.head(served + path)
        assert head.status_code == get.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == \
            get.headers["content-type"]


def test_the_served_export_iris_dereference(served: str, tmp_path: Path) -> None:
    """A crawler following the served export: a sample of each kind of IRI answers 200."""
    text = httpx.get(served + "/api/v1/export?format=ntriples", timeout=60).text
    seen: dict[str, str] = {}
    for iri in Graph().parse(data=text, format="nt").all_nodes():
        value = str(iri)
        if value.startswith(f"{served}/id/"):
            seen.setdefault(value.removeprefix(f"{served}/id/").split("/")[0], value)
    assert {"source", "statement", "scheme", "level", "mapping"} <= set(seen)
    for iri in seen.values():
        assert httpx.get(iri, headers={"Accept": "text/turtle"}).status_code == 200, iri


# The headers Java's HttpClient and Apache Jena's ``rsparql --post`` send on an http:// POST.
H2C_UPGRADE = {"Connection": "Upgrade, HTTP2-Settings", "Upgrade": "h2c",
               "HTTP2-Settings": "AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA"}


def _post_raw(base: str, path: str, body: bytes, headers: dict[str, str],
              times: int = 1) -> list[tuple[int, bytes]]:
    """POSTs on one kept-alive connection with exactly these headers (http.client adds only
    Host, Content-Length and Accept-Encoding)."""
    connection = http.client.HTTPConnection(urlsplit(base).netloc, timeout=60)
    answers = []
    try:
        for _ in range(times):
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            answers.append((response.status, response.read()))
    finally:
        connection.close()
    return answers


def test_an_h2c_upgrade_keeps_the_sparql_body(served: str) -> None:
    """Java clients' POSTs propose ``Upgrade: h2c``: the body still arrives (issue 24), on
    the first request of the connection and on the next one."""
    query = b"SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    answers = _post_raw(served, "/sparql", query,
                        {"Content-Type": "application/sparql-query",
                         "Accept": "application/sparql-results+json", **H2C_UPGRADE}, times=2)
    for status, body in answers:
        assert status == 200, body
        assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 1000


def test_an_h2c_upgrade_keeps_the_json_body(served: str) -> None:
    body = json.dumps({"from_profile": "JP-ADM-B-03"}).encode()
    [(status, answer)] = _post_raw(served, "/api/v1/portability", body,
                                   {"Content-Type": "application/json", **H2C_UPGRADE})
    assert status == 200, answer
    results = json.loads(answer)["results"]
    assert results and all(r["profile"]["code"] != "JP-ADM-B-03" for r in results)


RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_a_cheap_query_is_answered_while_two_runaways_run(served: str) -> None:
    """Two clients' runaway queries hold both regular workers until their timeout; a third
    client's cheap query is answered by the reserved worker (it got 503 after 1 s before)."""
    from concurrent.futures import ThreadPoolExecutor

    def runaway() -> int:
        return httpx.get(f"{served}/sparql", params={"query": RUNAWAY},
                         headers={"Accept": "application/sparql-results+json"},
                         timeout=120).status_code

    with ThreadPoolExecutor(max_workers=2) as pool:
        long_ones = [pool.submit(runaway) for _ in range(2)]
        time.sleep(2.0)  # both runaways hold a regular worker now
        assert not any(f.done() for f in long_ones)
        cheap = _client(served, f"ASK {{ {_eqf(served)} }}", JSON).queryAndConvert()
        assert cheap["boolean"] is True
        assert not any(f.done() for f in long_ones)  # answered while they still ran
        assert [f.result() for f in long_ones] == [503, 503]  # stopped at their timeout


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values"])
def test_an_ask_in_csv_or_tsv_is_not_acceptable(served: str, accept: str) -> None:
    """The SPARQL 1.1 CSV/TSV formats have no boolean form: no invented table."""
    response = httpx.get(f"{served}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                         headers={"Accept": accept})
    assert response.status_code == 406 and response.headers["vary"] == "Accept"
    assert "_askResult" not in response.text


def test_a_request_the_server_cannot_read_is_answered_as_a_problem(served: str) -> None:
    """A URL over 64 KiB (the HTTP parser cannot split it) is a 400 problem+json, as the
    OpenAPI document declares, not the server's plain text (schemathesis found it)."""
    connection = http.client.HTTPConnection(urlsplit(served).netloc, timeout=60)
    try:  # httpx refuses such a URL itself
        connection.request("GET", "/sparql?query=%23" + "x" * 70_000)
        response = connection.getresponse()
        body = json.loads(response.read())
    finally:
        connection.close()
    assert response.status == 400
    assert response.getheader("content-type") == "application/problem+json"
    assert body["type"].endswith("/malformed-request")

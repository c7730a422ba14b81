"""HTTP done right, route by route: HEAD on every GET route, 405 with the complete Allow,
Vary: Accept on negotiated answers (errors included), canonical-IRI redirects, and
ETag / Last-Modified / 304 on entity, export and release answers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.graph.state import GraphStateTracker
from app.main import create_app
from app.runtime import Runtime
from app.services.linked_data.releases import make_release
from app.settings import Settings

# Sample values for path parameters; a route answering 404 or 422 to them still has to
# answer HEAD exactly as GET.
SAMPLES = {"code": "EQF", "kind": "competency", "rest": "OPS-P01", "version": "1.0.0",
           "other": "1.0.0", "name": "release.json", "sourced_id": "x", "profile": "x",
           "framework": "EQF", "level": "6", "mapping_id": "x"}
VOLATILE = {"x-request-id", "date"}
BASE = "http://testserver/id/"  # the test client's own address: redirects can be followed
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


@pytest.fixture(scope="module")
def client(seeded_falkordb: GraphStore,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    releases = tmp_path_factory.mktemp("http-releases")
    make_release(seeded_falkordb, releases, "1.0.0", BASE)
    settings = Settings(releases_dir=releases, rate_limit_enabled=False, base_iri=BASE)
    app = create_app(settings, runtime=Runtime(seeded_falkordb, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _concrete(template: str) -> str:
    return re.sub(r"\{(\w+)(:[^}]*)?\}", lambda m: SAMPLES.get(m.group(1), "x"), template)


def _documented(client: TestClient) -> dict[str, set[str]]:
    paths = client.get("/openapi.json").json()["paths"]
    return {path: {m.upper() for m in ops} for path, ops in paths.items()}


def test_head_answers_every_get_route_like_get_without_a_body(client: TestClient) -> None:
    checked = 0
    for template, methods in _documented(client).items():
        if "GET" not in methods or template.startswith("/sparql"):
            continue
        path = _concrete(template)
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        same = {k: v for k, v in get.headers.items() if k not in VOLATILE}
        assert {k: v for k, v in head.headers.items() if k not in VOLATILE} == same, path
        checked += 1
    assert checked > 30
    for page in ("/", "/docs", "/openapi.json"):  # not in the OpenAPI paths, GET all the same
        assert client.head(page).status_code == 200 and client.head(page).content == b""


def test_head_on_the_export_does_not_stream_it(client: TestClient) -> None:
    head = client.head("/api/v1/export?format=turtle")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"].startswith("text/turtle") and head.headers["etag"]


def test_405_names_every_method_of_the_path(client: TestClient) -> None:
    for template, documented in _documented(client).items():
        path = _concrete(template)
        refused = next((m for m in METHODS if m not in documented), None)
        if refused is None:
            continue
        response = client.request(refused, path)
        if response.status_code != 405:  # a broader route (e.g. /id/{kind}/...) took it
            continue
        expected = documented | ({"HEAD"} if "GET" in documented else set())
        assert set(response.headers["allow"].split(", ")) >= expected, path
        assert response.headers["content-type"] == "application/problem+json"
    mappings = client.delete("/api/v1/mappings")
    assert mappings.status_code == 405
    assert mappings.headers["allow"] == "GET, HEAD, POST"


@pytest.mark.parametrize("path, status", [
    ("/id/competency/NOPE", 404), ("/id/unicorn/x", 404), ("/id/level/EQF/6", 406),
    ("/api/v1/export?framework=NOPE", 404), ("/api/v1/export", 406),
])
def test_negotiated_errors_vary_on_accept(client: TestClient, path: str, status: int) -> None:
    accept = "image/png" if status == 406 else "text/turtle"
    response = client.get(path, headers={"Accept": accept})
    assert response.status_code == status
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-type"] == "application/problem+json"


def test_405_on_a_negotiated_route_varies_too(client: TestClient) -> None:
    response = client.delete("/id/competency/OPS-P01")
    assert response.status_code == 405 and "Accept" in response.headers["vary"]
    assert response.headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("asked, canonical", [
    ("/id/competency/ESCO:inspect-cargo", "/id/competency/ESCO%3Ainspect-cargo"),
    ("/id/competency/esco%3Ainspect-cargo", "/id/competency/ESCO%3Ainspect-cargo"),
    ("/id/competency/ops-p01", "/id/competency/OPS-P01"),
    ("/id/level/eqf/6", "/id/level/EQF/6"),
    ("/id/framework/ie-nfq?format=turtle", "/id/framework/IE-NFQ?format=turtle"),
])
def test_non_canonical_iris_redirect_to_the_canonical_one(client: TestClient, asked: str,
                                                          canonical: str) -> None:
    response = client.get(asked, follow_redirects=False)
    assert response.status_code in (301, 308)
    assert response.headers["location"] == "http://testserver" + canonical
    followed = client.get(asked.split("?")[0], headers={"Accept": "application/json"})
    assert followed.status_code == 200
    assert followed.json()["iri"] == "http://testserver" + canonical.split("?")[0]


def test_canonical_iris_answer_directly(client: TestClient) -> None:
    assert client.get("/id/competency/ESCO%3Ainspect-cargo",
                      follow_redirects=False).status_code == 200
    assert client.get("/id/competency/nope-nope", follow_redirects=False).status_code == 404


def _revalidates(client: TestClient, path: str, accept: str = "*/*") -> str:
    first = client.get(path, headers={"Accept": accept})
    assert first.status_code == 200
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    again = client.get(path, headers={"Accept": accept, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    stale = client.get(path, headers={"Accept": accept, "If-None-Match": '"other"'})
    assert stale.status_code == 200
    if not etag.startswith("W/"):  # a strong validator: the very same bytes
        assert stale.content == first.content
    since = client.get(path, headers={"Accept": accept, "If-Modified-Since": modified})
    assert since.status_code == 304
    return etag


def test_entities_export_and_releases_revalidate(client: TestClient) -> None:
    turtle = _revalidates(client, "/id/competency/OPS-P01", "text/turtle")
    assert _revalidates(client, "/id/competency/OPS-P01", "application/ld+json") != turtle
    _revalidates(client, "/id/source/" + re.search(
        r"/id/source/(\w+)", client.get("/id/competency/OPS-P01",
                                        headers={"Accept": "text/turtle"}).text).group(1),
        "text/turtle")
    _revalidates(client, "/api/v1/export?format=ntriples&scope=data")
    _revalidates(client, "/api/v1/export/mappings.sssom.tsv")
    _revalidates(client, "/api/v1/releases/1.0.0")
    _revalidates(client, "/api/v1/releases/1.0.0/files/cqf-1.0.0.ttl")
    _revalidates(client, "/id/release/1.0.0", "text/turtle")


def test_a_change_to_the_graph_changes_the_export_etag(writable_store: GraphStore) -> None:
    app = create_app(Settings(), runtime=Runtime(writable_store, schema_applied=True))
    with TestClient(app) as client:
        before = client.get("/api/v1/export?format=ntriples").headers["etag"]
        writable_store.write("CREATE (:Competency {code: 'NEW-01', name: 'New', "
                             "status: 'illustrative', source_document: 'Illustrative test'})")
        app.state.graph_state.forget()  # what the next check interval does
        response = client.get("/api/v1/export?format=ntriples",
                              headers={"If-None-Match": before})
        assert response.status_code == 200 and response.headers["etag"] != before
        assert "competency/NEW-01" in response.text


# --- exact HTTP (issue 24) ------------------------------------------------------------------

SELECT_ONE = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 1"
CONSTRUCT_ONE = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
RESULT_MEDIA = {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"}
# Requests that answer 200 on the routes declaring more than one type (or a non-JSON one):
# media type -> path, per template.
RELEASE_FILES = {"text/turtle": "cqf-1.0.0.ttl", "application/n-triples": "cqf-1.0.0.nt",
                 "application/ld+json": "cqf-1.0.0.jsonld", "text/plain": "SHA256SUMS",
                 "text/tab-separated-values": "cqf-1.0.0-mappings.sssom.tsv",
                 "application/json": "release.json"}


def _served_path(template: str, media: str) -> str:
    if template == "/sparql":
        query = SELECT_ONE if media in RESULT_MEDIA else CONSTRUCT_ONE
        return "/sparql?" + urlencode({"query": query})
    if template == "/id/{kind}/{code}":
        return "/id/competency/OPS-P01"
    if template == "/api/v1/releases/{version}/files/{name}":
        return "/api/v1/releases/1.0.0/files/" + RELEASE_FILES[media]
    if template == "/api/v1/search":
        return "/api/v1/search?q=customs"
    if template == "/api/v1/equivalences":
        return "/api/v1/equivalences?from=EQF:6"
    return _concrete(template)


def _get_operations(client: TestClient) -> Iterator[tuple[str, list[str]]]:
    for template, operations in client.get("/openapi.json").json()["paths"].items():
        if "get" in operations:
            content = operations["get"]["responses"].get("200", {}).get("content", {})
            yield template, sorted(content)


def test_every_declared_content_type_is_served(client: TestClient) -> None:
    """The OpenAPI document walked: each type a GET route declares for its 200, asked for in
    ``Accept``, is what it answers (``/api/v1/export`` declared JSON and answered it 406)."""
    served = 0
    for template, types in _get_operations(client):
        for media in types:
            response = client.get(_served_path(template, media), headers={"Accept": media})
            assert response.status_code != 406, (template, media)
            if types != ["application/json"]:  # every such route answers these samples
                assert response.status_code == 200, (template, media, response.text[:200])
            if response.status_code == 200:
                answered = response.headers["content-type"].split(";")[0]
                assert answered == media, (template, media, answered)
                served += 1
    assert served > 40


class CountingStore:
    """The real store, counting the reads made through it (what a 304 costs)."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.reads = 0

    def read(self, *args: Any, **kwargs: Any) -> Any:
        self.reads += 1
        return self.store.read(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)


# The GET routes under /api/v1, CASE and SPARQL whose answer depends on more than the graph
# and the request: named by their own validators (exports, releases) or by their body (keys).
OWN_VALIDATORS = ("/api/v1/export", "/api/v1/releases", "/api/v1/keys", "/api/v1/audit")


def test_every_get_answer_has_an_etag_and_revalidates(
        seeded_falkordb: GraphStore, tmp_path: Path) -> None:
    """The OpenAPI document walked: every 200 of a GET under /api/v1, CASE and SPARQL names
    its representation, and the same request with its ETag in If-None-Match gets 304 without
    a body. Where the answer rests on the graph alone, the ETag names the graph's state and
    the request, so the 304 runs no query at all (the route is never called); the same path
    asked for in another type or language is another representation."""
    make_release(seeded_falkordb, tmp_path, "1.0.0", BASE)
    counted = CountingStore(seeded_falkordb)
    settings = Settings(releases_dir=tmp_path, rate_limit_enabled=False, base_iri=BASE)
    app = create_app(settings, runtime=Runtime(counted, schema_applied=True))  # type: ignore[arg-type]
    app.state.graph_state = GraphStateTracker(ttl=3600)  # no other writer: the state holds
    checked = free = 0
    with TestClient(app, raise_server_exceptions=False) as client:
        for template, types in _get_operations(client):
            if not template.startswith(("/api/v1", "/ims/case", "/sparql")) or not types:
                continue
            for media in types:
                path = _served_path(template, media)
                first = client.get(path, headers={"Accept": media})
                if first.status_code != 200:
                    continue
                etag = first.headers.get("etag")
                assert etag, template
                counted.reads = 0
                again = client.get(path, headers={"Accept": media, "If-None-Match": etag})
                assert (again.status_code, again.content) == (304, b""), template
                assert again.headers["etag"] == etag
                head = client.head(path, headers={"Accept": media, "If-None-Match": etag})
                assert head.status_code == 304, template
                if not template.startswith(OWN_VALIDATORS):
                    assert etag.startswith("W/"), template  # the graph state's name
                    assert counted.reads == 0, (template, counted.reads)
                    free += 1
                checked += 1
        french = client.get("/api/v1/frameworks?lang=fr")
        english = client.get("/api/v1/frameworks", headers={"Accept-Language": "fr"})
        assert french.headers["etag"] != english.headers["etag"] != \
            client.get("/api/v1/frameworks").headers["etag"]
    assert checked > 40 and free > 35


def test_a_write_changes_the_etag_of_the_answers_resting_on_the_graph(
        writable_api: TestClient, key_for) -> None:  # type: ignore[no-untyped-def]
    """The ETag derived from the graph state moves with a write through the API: the held
    one then gets the new answer, not a 304."""
    before = writable_api.get("/api/v1/administrations")
    etag = before.headers["etag"]
    assert writable_api.get("/api/v1/administrations",
                            headers={"If-None-Match": etag}).status_code == 304
    written = writable_api.put("/api/v1/administrations/ADM-ETAG", headers=key_for("admin"),
                               json={"name": "ETag Customs", "source_document": "test"})
    assert written.status_code in (200, 201), written.text
    after = writable_api.get("/api/v1/administrations", headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["etag"] != etag
    assert "ADM-ETAG" in after.text


def test_exports_carry_cache_control(client: TestClient) -> None:
    for path in ("/api/v1/export?format=turtle", "/api/v1/export/mappings.sssom.tsv"):
        response = client.get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "public, no-cache", path
    released = client.get("/api/v1/releases/1.0.0/files/cqf-1.0.0.ttl")
    assert "immutable" in released.headers["cache-control"]


def test_allow_lists_head_wherever_get_is_allowed(client: TestClient) -> None:
    for path, expected in (("/api/v1/frameworks", "GET, HEAD"), ("/sparql", "GET, HEAD, POST"),
                           ("/api/v1/export", "GET, HEAD"),
                           ("/ims/case/v1p1/CFDocuments", "GET, HEAD")):
        response = client.put(path)
        assert response.status_code == 405 and response.headers["allow"] == expected, path


@pytest.mark.parametrize("path", ["/api/v1/cqf-table", "/api/v1/export/mappings.sssom.tsv",
                                  "/api/v1/cqf-table?lang=fr"])
def test_a_406_always_varies_on_accept(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["vary"] == "Accept"
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("method, path, body, kind", [
    ("GET", "/sparql?query=ASK{}&query=ASK{}", None, None),
    ("POST", "/sparql", "query=ASK{}&query=ASK{}", "application/x-www-form-urlencoded"),
    ("POST", "/sparql?query=ASK{}", "query=ASK{}", "application/x-www-form-urlencoded"),
    ("POST", "/sparql?query=ASK{}", "ASK {}", "application/sparql-query"),
])
def test_exactly_one_query_per_sparql_request(client: TestClient, method: str, path: str,
                                              body: str | None, kind: str | None) -> None:
    headers = {"Content-Type": kind} if kind else {}
    response = client.request(method, path, content=body, headers=headers)
    assert response.status_code == 400
    assert response.json()["type"].endswith("sparql-several-queries")


def test_large_answers_go_out_in_gzip_once_compressed_and_only_to_clients_asking(
        client: TestClient) -> None:
    """The CQF table and a CASE package (large JSON): in gzip when the client accepts it,
    the same content either way, ``Vary: Accept-Encoding`` on both forms, HEAD like GET,
    revalidation still by the ETag, and compressed once for the many clients asking."""
    import gzip

    kept = client.app.state.compressed_bodies  # type: ignore[attr-defined]
    documents = client.get("/ims/case/v1p0/CFDocuments").json()["CFDocuments"]
    for path in ("/api/v1/cqf-table", f"/ims/case/v1p0/CFPackages/{documents[0]['identifier']}"):
        plain = client.get(path, headers={"Accept-Encoding": "identity"})
        assert plain.status_code == 200 and "content-encoding" not in plain.headers
        assert len(plain.content) >= 32 * 1024, path  # large enough to be compressed
        # the raw bytes on the wire, not httpx's decoded view of them
        with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as packed:
            wire = b"".join(packed.iter_raw())
        once = kept.compressions  # this form is now kept (if an earlier test had not already)
        assert packed.headers["content-encoding"] == "gzip"
        assert int(packed.headers["content-length"]) == len(wire) < len(plain.content) / 3
        assert gzip.decompress(wire) == plain.content
        for answer in (plain, packed):
            assert "Accept-Encoding" in answer.headers["vary"], path
        head = client.head(path, headers={"Accept-Encoding": "gzip"})
        assert head.headers["content-length"] == packed.headers["content-length"]
        assert head.headers["content-encoding"] == "gzip" and head.content == b""
        again = client.get(path, headers={"Accept-Encoding": "gzip, deflate"})
        assert again.content == plain.content  # httpx decodes it
        assert kept.compressions == once, "compressed again for the next client"
        held = client.get(path, headers={"If-None-Match": packed.headers["etag"]})
        assert held.status_code == 304
        refused = client.get(path, headers={"Accept-Encoding": "gzip;q=0, identity"})
        assert "content-encoding" not in refused.headers

"""Every IRI the service mints dereferences: each IRI under the base found in the full export
(plus the SSSOM mapping_set_id and a release's own IRIs) answers 200, in every representation
with the same negotiation as any entity."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.services.linked_data.releases import make_release
from app.settings import Settings

BASE = "http://testserver/id/"
RDF_PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt",
               "application/ld+json": "json-ld", "application/rdf+xml": "xml"}
IRI = re.compile(r"<(" + re.escape(BASE) + r"[^>]*)>")


@pytest.fixture(scope="module")
def client(seeded_falkordb: GraphStore,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    releases = tmp_path_factory.mktemp("deref-releases")
    make_release(seeded_falkordb, releases, "1.0.0", BASE)
    settings = Settings(releases_dir=releases, rate_limit_enabled=False, base_iri=BASE)
    app = create_app(settings, runtime=Runtime(seeded_falkordb, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def minted(client: TestClient) -> list[str]:
    """Every IRI under the base in the full export, the SSSOM TSV and release 1.0.0's VoID."""
    export = client.get("/api/v1/export?scope=all&format=ntriples")
    assert export.status_code == 200
    found = set(IRI.findall(export.text))
    sssom = client.get("/api/v1/export/mappings.sssom.tsv").text
    found |= set(re.findall(r'^# mapping_set_id: "(\S+)"$', sssom, re.M))
    void = client.get("/api/v1/releases/1.0.0/files/void.ttl").text
    found |= set(IRI.findall(Graph().parse(data=void, format="turtle")
                             .serialize(format="nt")))
    return sorted(found)


def _path(iri: str) -> str:
    assert iri.startswith(BASE), iri
    return iri.removeprefix("http://testserver")


def test_every_minted_iri_dereferences(client: TestClient, minted: list[str]) -> None:
    by_kind: dict[str, int] = defaultdict(int)
    failed = []
    for iri in minted:
        response = client.get(_path(iri), headers={"Accept": "text/turtle"},
                              follow_redirects=False)
        by_kind[iri.removeprefix(BASE).split("/")[0]] += 1
        if response.status_code != 200:
            failed.append((iri, response.status_code))
            continue
        graph = Graph().parse(data=response.text, format="turtle")
        if not any(graph.triples((URIRef(iri), None, None))) and \
                not any(graph.triples((None, None, URIRef(iri)))):
            failed.append((iri, "not described"))
    kinds = dict(sorted(by_kind.items()))
    print(f"\nDEREFERENCED {len(minted)} IRIs minted in the export: {kinds}")
    assert not failed, failed[:10]
    # the kinds the issue found dead, and the release's own IRIs, are all there
    assert {"source", "statement", "mapping-set", "release", "scheme"} <= set(by_kind)
    assert len(minted) > 900


def test_each_kind_answers_in_every_representation(client: TestClient,
                                                   minted: list[str]) -> None:
    one_per_kind = {}
    for iri in minted:
        one_per_kind.setdefault(iri.removeprefix(BASE).split("/")[0], iri)
    for kind, iri in sorted(one_per_kind.items()):
        for media, parser in RDF_PARSERS.items():
            response = client.get(_path(iri), headers={"Accept": media})
            assert response.status_code == 200, (kind, media)
            assert response.headers["content-type"].startswith(media), (kind, media)
            assert "Accept" in response.headers["vary"]
            graph = Graph().parse(data=response.text, format=parser)
            assert any(graph.triples((URIRef(iri), None, None))) or \
                any(graph.triples((None, None, URIRef(iri)))), (kind, media)
        page = client.get(_path(iri), headers={"Accept": "text/html"})
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        # every kind is an explorer page: styled, with the site's navigation
        assert "explorer.css" in page.text and 'class="site-nav"' in page.text, kind
        body = client.get(_path(iri), headers={"Accept": "application/json"}).json()
        assert body.get("iri") == iri, kind


def test_a_source_says_what_cites_it(client: TestClient, minted: list[str]) -> None:
    source = next(i for i in minted if "/id/source/" in i)
    body = client.get(_path(source), headers={"Accept": "application/json"}).json()
    assert body["kind"] == "Source" and body["document"]
    assert body["cited_by"] and all(c["iri"].startswith(BASE) for c in body["cited_by"])
    graph = Graph().parse(data=client.get(_path(source), headers={
        "Accept": "text/turtle"}).text, format="turtle")
    citing = {str(s) for s in graph.subjects(None, URIRef(source))}
    assert citing == {c["iri"] for c in body["cited_by"]}


def test_a_qualified_statement_names_its_ends_and_evidence(client: TestClient,
                                                          minted: list[str]) -> None:
    iri = next(i for i in minted if i.startswith(BASE + "statement/requires/"))
    statement = client.get(_path(iri), headers={"Accept": "application/json"}).json()
    assert statement["relationship"] == "REQUIRES"
    assert statement["subject"].startswith(BASE + "job-profile/")
    assert statement["object"].startswith(BASE + "competency/")
    assert statement["attributes"].get("proficiency")
    assert client.get("/id/statement/requires/NOPE/NOPE").status_code == 404
    assert client.get("/id/statement/in-group/OPS-P01/OPS").status_code == 404  # not reified


def test_the_mapping_set_and_release_iris(client: TestClient) -> None:
    latest = client.get("/id/mapping-set/latest", headers={"Accept": "application/json"})
    assert latest.status_code == 200 and len(latest.json()["mappings"]) > 50
    # the first mapping_set_id form, in releases already written, redirects permanently
    old = client.get("/id/mappings/1.0.0.sssom.tsv", follow_redirects=False)
    assert old.status_code == 301
    assert old.headers["location"] == BASE + "mapping-set/1.0.0"
    release = client.get("/id/release/1.0.0", headers={"Accept": "application/json"}).json()
    assert release["version"] == "1.0.0" and release["files"]
    assert client.get("/id/release/9.9.9").status_code == 404

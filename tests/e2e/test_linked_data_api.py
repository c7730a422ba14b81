"""Linked data over HTTP: the export endpoint and dereferenceable entity IRIs."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from app.rdf.vocab import CQF
from app.services.linked_data import identity
from app.settings import Settings
from tests.conftest import client_for

# The service's own base (from its configuration), never the request's Host.
BASE = identity.static_base_iri(Settings())
PARSER = {"text/turtle": "turtle", "application/n-triples": "nt",
          "application/ld+json": "json-ld", "application/rdf+xml": "xml"}


def _graph(response) -> Graph:  # type: ignore[no-untyped-def]
    media = response.headers["content-type"].split(";")[0]
    return Graph().parse(data=response.text, format=PARSER[media])


@pytest.mark.parametrize("media", list(PARSER))
def test_export_negotiates_by_accept(api: TestClient, media: str) -> None:
    response = api.get("/api/v1/export?scope=data&framework=EQF", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    graph = _graph(response)
    assert (URIRef(BASE + "level/EQF/6"), SKOS.inScheme, URIRef(BASE + "framework/EQF")) in graph


def test_export_format_parameter_overrides_accept(api: TestClient) -> None:
    response = api.get("/api/v1/export?format=ntriples&scope=ontology",
                       headers={"Accept": "text/turtle"})
    assert response.headers["content-type"].startswith("application/n-triples")
    assert (CQF.Level, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in \
        _graph(response)


def test_export_refuses_an_unservable_accept(api: TestClient) -> None:
    response = api.get("/api/v1/export", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/problem+json"


def test_export_bad_parameters_are_problems(api: TestClient) -> None:
    assert api.get("/api/v1/export?format=csv").status_code == 422
    assert api.get("/api/v1/export?scope=everything").status_code == 422
    missing = api.get("/api/v1/export?framework=NOPE")
    assert missing.status_code == 404
    assert missing.json()["type"].endswith("/not-found")


@pytest.mark.parametrize("media", list(PARSER))
def test_level_iri_negotiates_rdf(api: TestClient, media: str) -> None:
    response = api.get("/id/level/EQF/6", headers={"Accept": media})
    assert response.status_code == 200
    assert "Accept" in response.headers["vary"]
    graph = _graph(response)
    level = URIRef(BASE + "level/EQF/6")
    assert (level, RDF.type, CQF.Level) in graph
    assert any(graph.subjects(RDF.type, CQF.Mapping))


def test_q_values_pick_the_representation(api: TestClient) -> None:
    accept = "text/html;q=0.2, application/ld+json;q=0.9, text/turtle;q=0.5"
    response = api.get("/id/competency/OPS-P01", headers={"Accept": accept})
    assert response.headers["content-type"].startswith("application/ld+json")
    assert (URIRef(BASE + "competency/OPS-P01"), RDF.type, CQF.Competency) in _graph(response)


def test_json_representation_is_the_entity(api: TestClient) -> None:
    response = api.get("/id/competency/OPS-P01", headers={"Accept": "application/json"})
    body = response.json()
    assert body["code"] == "OPS-P01" and body["iri"] == BASE + "competency/OPS-P01"


def test_html_page_is_readable_and_escaped(api: TestClient) -> None:
    response = api.get("/id/level/EQF/6", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "EQF level 6" in response.text and "Vary" in response.headers
    scripts = re.findall(r"<script[^>]*>", response.text)
    assert all('src="/static/' in tag for tag in scripts)  # no inline script


def test_hostile_text_in_the_data_is_escaped_on_the_html_page(writable_store) -> None:
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    writable_store.write("MATCH (c:Competency {code: 'OPS-P03'}) SET c.name = $name",
                         {"name": hostile})
    with client_for(writable_store) as client:
        page = client.get("/id/competency/OPS-P03", headers={"Accept": "text/html"}).text
    assert hostile not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page


def test_unknown_entities_are_404_problems(api: TestClient) -> None:
    for path in ("/id/competency/NOPE", "/id/level/EQF/99", "/id/unicorn/x", "/id/level/EQF",
                 "/id/mapping/nope"):
        response = api.get(path, headers={"Accept": "text/turtle"})
        assert response.status_code == 404, path
        assert response.headers["content-type"] == "application/problem+json"


def test_unservable_accept_is_406(api: TestClient) -> None:
    response = api.get("/id/level/EQF/6", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert "Accept" in response.headers["vary"]


def test_mapping_iris_dereference(api: TestClient) -> None:
    graph = _graph(api.get("/id/level/IE-NFQ/8", headers={"Accept": "text/turtle"}))
    mapping = next(graph.subjects(RDF.type, CQF.Mapping))
    path = str(mapping).removeprefix(identity.service_root(BASE))
    response = api.get(path, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert (mapping, RDF.type, CQF.Mapping) in _graph(response)


def test_sssom_tsv_has_one_row_per_mapping(api: TestClient, seeded_falkordb) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    response = api.get("/api/v1/export/mappings.sssom.tsv")
    assert response.status_code == 200
    body = [line for line in response.text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t"))
    total = seeded_falkordb.read("MATCH ()-[m:MAPS_TO]->() RETURN count(m) AS n")[0]["n"]
    assert len(rows) == total
    assert {r["predicate_id"] for r in rows} <= {
        f"skos:{t}" for t in ("exactMatch", "closeMatch", "broadMatch", "narrowMatch",
                              "relatedMatch")}
    assert all(r["subject_id"].startswith("cqflevel:") for r in rows)


def test_every_sssom_row_has_its_mapping_date(api: TestClient, seeded_falkordb) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io

    text = api.get("/api/v1/export/mappings.sssom.tsv").text
    assert f'# mapping_set_id: "{BASE}mapping-set/latest"' in text.splitlines()
    body = [line for line in text.splitlines() if not line.startswith("#")]
    rows = list(csv.DictReader(io.StringIO("\n".join(body)), delimiter="\t"))
    reviewed = {r["id"]: str(r["at"])[:10] for r in seeded_falkordb.read(
        "MATCH ()-[m:MAPS_TO]->() RETURN m.id AS id, m.reviewed_at AS at")}
    assert rows and all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", r["mapping_date"]) for r in rows)
    for row in rows:
        mapping_id = re.search(r"(?:^|;)id=([^;]+)", row["other"]).group(1)  # type: ignore[union-attr]
        assert row["mapping_date"] == reviewed[mapping_id]


def test_a_review_dates_the_mapping_in_sssom_and_rdf(writable_api: TestClient,
                                                     key_for) -> None:  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    admin = key_for("admin")
    created = writable_api.post("/api/v1/mappings", headers=admin, json={
        "from_level": "ADM-A-GRADES:G1", "to_level": "EQF:2", "match_type": "broadMatch",
        "confidence": 0.5, "method": "expert_panel", "date": "2020-01-15",
        "source": {"document": "review-date test", "year": 2020}})
    assert created.status_code == 201, created.text
    mapping_id = created.json()["id"]

    def sssom_date() -> str:
        text = writable_api.get("/api/v1/export/mappings.sssom.tsv").text
        row = next(line for line in text.splitlines() if f"id={mapping_id}" in line)
        return row.split("\t")[8]

    assert sssom_date() == "2020-01-15"  # proposed: the mapping's own date, no review date
    iri = f"/id/mapping/{mapping_id}"
    graph = _graph(writable_api.get(iri, headers={"Accept": "text/turtle"}))
    assert graph.value(next(graph.subjects(RDF.type, CQF.Mapping)), CQF.reviewDate) is None
    reviewed = writable_api.post(f"/api/v1/mappings/{mapping_id}/review", headers=admin,
                                 json={"decision": "accept"})
    assert reviewed.status_code == 200
    today = datetime.now(UTC).date().isoformat()
    assert sssom_date() == today
    response = writable_api.get(iri, headers={"Accept": "text/turtle"})
    subject = next(_graph(response).subjects(RDF.type, CQF.Mapping))
    assert str(_graph(response).value(subject, CQF.reviewDate)) == today

"""Institution-owned codes are scoped: a programme is (institution, code), a course
(institution, programme, code) in graph keys, routes, uploads, CASE identifiers and IRIs.
Two institutions may both have ``P1``; a 403 never says that another one holds a code; data
stored before the change is migrated by ``cqf db migrate`` and old IRIs redirect."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.port import GraphStore
from app.services.linked_data import identity
from app.settings import Settings

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


@pytest.fixture
def two(writable_api: TestClient, key_for) -> dict[str, dict[str, str]]:
    """EXU and a second institution, UNI2, each with a key; both create programme P1 with a
    course C1."""
    admin = key_for("admin")
    assert writable_api.put("/api/v1/institutions/UNI2", headers=admin,
                            json={"name": "Second University"}).status_code == 201
    keys = {"EXU": key_for("institution:EXU"), "UNI2": key_for("institution:UNI2")}
    for inst, key in keys.items():
        made = writable_api.put(f"/api/v1/institutions/{inst}/programmes/P1", headers=key,
                                json={"name": f"P1 of {inst}", "level": "EQF:7"})
        assert made.status_code == 201, made.text
        course = writable_api.put(f"/api/v1/institutions/{inst}/programmes/P1/courses/C1",
                                  headers=key, json={"name": f"C1 of {inst}", "develops": [
                                      {"competency": "OPS-P01", "proficiency": "aware"}]})
        assert course.status_code == 201, course.text
    return keys


def test_two_institutions_both_have_programme_p1_and_course_c1(
        writable_api: TestClient, two, writable_store: GraphStore) -> None:
    for inst in ("EXU", "UNI2"):
        programme = writable_api.get(f"/api/v1/institutions/{inst}/programmes/P1").json()
        assert programme["code"] == f"{inst}/P1" and programme["name"] == f"P1 of {inst}"
        assert programme["attributes"]["local_code"] == "P1"
        assert writable_api.get(f"/api/v1/programmes/{inst}/P1").json()["name"] == \
            f"P1 of {inst}"
        course = writable_api.get(f"/api/v1/institutions/{inst}/programmes/P1/courses/C1")
        assert course.json()["name"] == f"C1 of {inst}"
        assert [m["target"] for m in course.json()["mappings"]] == ["OPS-P01"]
    stored = writable_store.read("MATCH (p:Programme) WHERE p.local_code = 'P1' "
                                 "RETURN p.code AS code ORDER BY code")
    assert [r["code"] for r in stored] == ["EXU/P1", "UNI2/P1"]
    # the bare code is ambiguous now: it names no single programme
    assert writable_api.get("/api/v1/programmes/P1").status_code == 404


def test_an_upload_of_one_institution_leaves_the_others_p1_alone(
        writable_api: TestClient, two, writable_store: GraphStore) -> None:
    body = HEADER + "P1,C1,,develops,OPS-P02,trained,,\n"
    response = writable_api.post("/api/v1/institutions/UNI2/mappings:bulk", content=body,
                                 headers={**two["UNI2"], "Content-Type": "text/csv"})
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1 and response.json()["removed"] == 1
    rows = writable_store.read(
        "MATCH (c:Course)-[:DEVELOPS]->(t:Competency) WHERE c.local_code = 'C1' "
        "RETURN c.code AS course, t.code AS target ORDER BY course, target")
    assert [(r["course"], r["target"]) for r in rows] == [
        ("EXU/P1/C1", "OPS-P01"), ("UNI2/P1/C1", "OPS-P02")]


def test_a_403_never_reveals_that_another_institution_holds_a_code(
        writable_api: TestClient, two) -> None:
    taken = writable_api.put("/api/v1/institutions/EXU/programmes/P1", headers=two["UNI2"],
                             json={"name": "takeover"})
    free = writable_api.put("/api/v1/institutions/EXU/programmes/NOBODY", headers=two["UNI2"],
                            json={"name": "takeover"})
    assert taken.status_code == free.status_code == 403
    assert taken.json()["detail"] == free.json()["detail"]
    assert "another institution" not in taken.text and "P1" not in taken.json()["detail"]


def test_iris_are_scoped_and_old_ones_redirect(api: TestClient) -> None:
    new = api.get("/id/programme/EXU/PROG-EXU-MSC", params={"format": "json"})
    assert new.status_code == 200 and new.json()["code"] == "EXU/PROG-EXU-MSC"
    assert new.json()["iri"].endswith("/id/programme/EXU/PROG-EXU-MSC")
    root = identity.static_base_iri(Settings()).removesuffix("/id/")  # redirects name the IRI
    old = api.get("/id/programme/PROG-EXU-MSC", follow_redirects=False)
    assert old.status_code == 308
    assert old.headers["location"] == root + "/id/programme/EXU/PROG-EXU-MSC"
    course = api.get("/id/course/CRS-EXU-01", follow_redirects=False)
    assert course.headers["location"] == root + "/id/course/EXU/PROG-EXU-MSC/CRS-EXU-01"
    turtle = api.get("/id/course/EXU/PROG-EXU-MSC/CRS-EXU-01", params={"format": "turtle"})
    assert turtle.status_code == 200 and "programme/EXU/PROG-EXU-MSC" in turtle.text
    page = api.get("/entity/programme/EXU/PROG-EXU-MSC")
    assert page.status_code == 200 and "MSc in Customs Management" in page.text


def test_case_identifiers_derive_from_the_full_key(writable_api: TestClient, two) -> None:
    from app.domain.case import case_id
    from app.services.linked_data.case_build import programme_id

    ids = {}
    for inst in ("EXU", "UNI2"):
        doc = case_id("CFDocument", "institution", inst)
        package = writable_api.get(f"/ims/case/v1p0/CFPackages/{doc}").json()
        # humanCodingScheme is the institution's own code; the identifier its full key's.
        p1 = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "P1")
        ids[inst] = p1["identifier"]
        assert p1["identifier"] == programme_id(inst, "P1") == case_id("Programme", inst, "P1")
    assert ids["EXU"] != ids["UNI2"]


def test_cqf_db_migrate_scopes_codes_stored_before_and_is_idempotent(
        writable_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    writable_store.write(
        "MATCH (i:Institution {code: 'EXU'}) "
        "CREATE (p:Programme {code: 'OLD-P', name: 'Old', institution: 'EXU'}) "
        "CREATE (c:Course {code: 'OLD-C', name: 'Old course', institution: 'EXU', "
        "programme: 'OLD-P'}) CREATE (c)-[:PART_OF]->(p) CREATE (p)-[:OFFERED_BY]->(i)")
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", writable_store.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", writable_store._graph_name)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_LOG_JSON", "false")
    first = CliRunner().invoke(cli, ["db", "migrate"])
    assert first.exit_code == 0, first.output
    assert "programme codes scoped by institution: 1 node(s) changed" in first.output
    assert "course codes scoped by institution and programme: 1 node(s) changed" in first.output
    rows = writable_store.read(
        "MATCH (c:Course {local_code: 'OLD-C'})-[:PART_OF]->(p:Programme) "
        "RETURN c.code AS course, p.code AS programme, p.local_code AS own")
    assert rows == [{"course": "EXU/OLD-P/OLD-C", "programme": "EXU/OLD-P", "own": "OLD-P"}]
    again = CliRunner().invoke(cli, ["db", "migrate"])
    assert again.exit_code == 0 and "nothing to do" in again.output  # idempotent (issue 23.6)

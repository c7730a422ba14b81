"""Bulk upload of an institution's course mappings: validate everything, write once."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.services.institutions import uploads as course_mappings

URL = "/api/v1/institutions/EXU/mappings:bulk"
HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
GOOD = (HEADER
        + "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P08,advanced,Explains EU customs law,exam\n"
        + "PROG-EXU-MSC,CRS-EXU-01,,aligns_with,PS2008-K04,,,\n"
        + "PROG-EXU-MSC,NEW-101,Customs ethics,develops,OPS-P01,aware,,\n"
        + "PROG-EXU-MSC,NEW-101,,aligns_with,PS2008-K02,,,\n")


@pytest.fixture
def exu(key_for) -> dict[str, str]:
    return key_for("institution:EXU")


def _upload(client: TestClient, headers: dict[str, str], text: str, dry_run: bool = False,
            content_type: str = "text/csv"):  # type: ignore[no-untyped-def]
    return client.post(URL, content=text.encode("utf-8"), params={"dry_run": dry_run},
                       headers={**headers, "content-type": content_type})


def _state(store: GraphStore) -> list[tuple]:
    rows = store.read(
        "MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) WHERE c.institution = 'EXU' "
        "RETURN c.local_code AS c, type(r) AS t, t.code AS k, r.proficiency AS p, "
        "r.review_status AS s ORDER BY c, t, k")
    courses = store.read("MATCH (c:Course) WHERE c.institution = 'EXU' "
                         "RETURN c.local_code AS c ORDER BY c")
    return [tuple(r.values()) for r in rows] + [("course", r["c"]) for r in courses]


BAD_ROWS = {
    "unknown competency": "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-NOPE,trained,,\n",
    "proficiency out of scale": "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P02,guru,,\n",
    "duplicate row": "PROG-EXU-MSC,CRS-EXU-01,,aligns_with,PS2008-K04,,,\n",
    "missing value": "PROG-EXU-MSC,CRS-EXU-02,,develops,,trained,,\n",
    # another institution's course code is not EXU's course: a new one, which needs a name
    "a new course needs a name": "PROG-EXU-MSC,ZZ-FOREIGN,,develops,OPS-P02,trained,,\n",
    "unknown PICARD standard": "PROG-EXU-MSC,CRS-EXU-02,,aligns_with,PS2008-K99,,,\n",
    "no programme with this code": "PROG-CCES-MCA,CRS-EXU-02,,develops,OPS-P02,trained,,\n",
}


@pytest.mark.parametrize("reason", list(BAD_ROWS))
def test_a_file_with_a_bad_row_writes_nothing(writable_api: TestClient,
                                              writable_store: GraphStore, exu, key_for,
                                              reason: str) -> None:
    if reason == "a new course needs a name":  # the same code at another institution
        rtu = key_for("institution:INST-RTU")
        writable_api.put("/api/v1/institutions/INST-RTU/programmes/PROG-RTU-CUSTOMS/courses/"
                         "ZZ-FOREIGN", json={"name": "Foreign"}, headers=rtu)
    before = _state(writable_store)
    response = _upload(writable_api, exu, GOOD + BAD_ROWS[reason])
    assert response.status_code == 422, response.text
    errors = response.json()["errors"]
    assert any(e["line"] == 6 and reason in e["message"] for e in errors), errors
    assert all(e["line"] == 6 for e in errors)
    assert _state(writable_store) == before


def test_every_bad_row_is_listed_at_once(writable_api: TestClient, exu) -> None:
    response = _upload(writable_api, exu, GOOD + "".join(BAD_ROWS[r] for r in (
        "unknown competency", "proficiency out of scale", "missing value")))
    lines = {e["line"] for e in response.json()["errors"]}
    assert lines == {6, 7, 8}
    assert {"line", "column", "message", "location"} <= set(response.json()["errors"][0])


def test_a_clean_file_is_applied_and_the_same_file_again_changes_nothing(
        writable_api: TestClient, writable_store: GraphStore, exu) -> None:
    first = _upload(writable_api, exu, GOOD).json()
    # The seed's OPS-P08 mapping gets new evidence; the file is the full list, so the
    # seed's 29 other EXU mappings go.
    assert (first["added"], first["changed"], first["unchanged"], first["removed"]) == \
        (2, 1, 1, 29)
    assert first["courses_written"] == 1
    after_first = _state(writable_store)
    second = _upload(writable_api, exu, GOOD).json()
    assert (second["added"], second["changed"], second["removed"]) == (0, 0, 0)
    assert second["unchanged"] == 4 and second["courses_written"] == 0
    assert _state(writable_store) == after_first
    assert ("NEW-101", "DEVELOPS", "OPS-P01", "aware", "proposed") in after_first


def test_a_changed_file_applies_only_the_difference(writable_api: TestClient,
                                                    writable_store: GraphStore, exu) -> None:
    _upload(writable_api, exu, GOOD)
    changed = GOOD.replace("OPS-P01,aware", "OPS-P01,trained").replace(
        "PROG-EXU-MSC,NEW-101,,aligns_with,PS2008-K02,,,\n", "") \
        + "PROG-EXU-MSC,NEW-101,,aligns_with,PS2008-K03,,,\n"
    report = _upload(writable_api, exu, changed).json()
    assert (report["added"], report["changed"], report["removed"], report["unchanged"]) == \
        (1, 1, 1, 2)
    state = _state(writable_store)
    assert ("NEW-101", "DEVELOPS", "OPS-P01", "trained", "proposed") in state
    assert not any(r[:3] == ("NEW-101", "ALIGNS_WITH", "PS2008-K02") for r in state)


def test_semicolons_bom_and_json_are_accepted(writable_api: TestClient,
                                              writable_store: GraphStore, exu) -> None:
    csv_semicolon = "\ufeff" + GOOD.replace(",", ";")
    assert _upload(writable_api, exu, csv_semicolon).json()["added"] == 2
    rows = [dict(zip(HEADER.strip().split(","), line.split(","), strict=True))
            for line in GOOD.strip().split("\n")[1:]]
    again = _upload(writable_api, exu, json.dumps(rows), content_type="application/json")
    assert again.status_code == 200 and again.json()["unchanged"] == 4


def test_a_dry_run_validates_and_reports_without_writing(
        writable_api: TestClient, writable_store: GraphStore, exu) -> None:
    before = _state(writable_store)
    report = _upload(writable_api, exu, GOOD, dry_run=True).json()
    assert report["dry_run"] is True and report["added"] == 2
    assert _state(writable_store) == before
    bad = _upload(writable_api, exu, GOOD + BAD_ROWS["unknown competency"], dry_run=True)
    assert bad.status_code == 422


def test_oversized_uploads_are_refused_with_413(writable_api: TestClient, exu,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(course_mappings, "MAX_ROWS", 3)
    too_many = _upload(writable_api, exu, GOOD)
    assert too_many.status_code == 413 and too_many.json()["limit"] == "3 rows"
    assert too_many.headers["content-type"].startswith("application/problem+json")
    huge = writable_api.post(URL, content=b"x" * (course_mappings.MAX_BYTES + 1),
                             headers={**exu, "content-type": "text/csv"})
    assert huge.status_code == 413


def test_an_admin_upload_is_accepted_at_once(writable_api: TestClient,
                                             writable_store: GraphStore, key_for) -> None:
    assert _upload(writable_api, key_for("admin"), GOOD).status_code == 200
    assert ("NEW-101", "DEVELOPS", "OPS-P01", "aware", "accepted") in _state(writable_store)
    audit = writable_api.get("/api/v1/audit", headers=key_for("institution:EXU")).json()
    upload = audit["items"][0]
    assert upload["action"] == "bulk_upload" and upload["after"]["added"] == 2


def test_cypher_in_a_cell_is_refused_as_data(writable_api: TestClient,
                                             writable_store: GraphStore, exu) -> None:
    before = _state(writable_store)
    # the records of the graph, not the service's bookkeeping (keys, audit, part tokens)
    count = ("MATCH (n) WHERE NOT n:ApiKey AND NOT n:AuditEntry AND NOT n:ServiceMeta "
             "RETURN count(n) AS n")
    nodes = writable_store.read(count)[0]["n"]
    evil = "x'}) MATCH (n) DETACH DELETE n //"
    response = _upload(writable_api, exu, GOOD + f"PROG-EXU-MSC,CRS-EXU-01,,develops,\"{evil}\","
                                                 "trained,,\n")
    assert response.status_code == 422
    assert response.json()["errors"][0]["value"] == evil
    assert _state(writable_store) == before
    stored_as_text = _upload(writable_api, exu, GOOD.replace("Explains EU customs law", evil))
    assert stored_as_text.status_code == 200
    assert writable_store.read(count)[0]["n"] == nodes + 1  # the new course, nothing lost

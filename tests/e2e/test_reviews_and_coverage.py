"""Review states decide what counts: PICARD coverage of a hand-built programme and the
reverse look-ups see accepted mappings, proposed ones only when asked, rejected ones never."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

BASE = "/api/v1/institutions/EXU/programmes/P-COV"
COVERAGE = "/api/v1/programmes/EXU/P-COV/picard-coverage"


@pytest.fixture
def keys(key_for) -> dict[str, dict[str, str]]:
    return {"admin": key_for("admin"), "exu": key_for("institution:EXU"),
            "reviewer": key_for("reviewer")}


@pytest.fixture
def programme(writable_api: TestClient, keys) -> TestClient:
    """EXU's programme P-COV (IE-NFQ:8) with course C-A proposing two PICARD alignments."""
    assert writable_api.put(BASE, headers=keys["admin"], json={
        "name": "BSc Customs (test)", "level": "IE-NFQ:8", "ects": 180}).status_code == 201
    course = writable_api.put(f"{BASE}/courses/C-A", headers=keys["exu"], json={
        "name": "Customs and government",
        "develops": [{"competency": "OPS-P01", "proficiency": "advanced",
                      "evidence": "Explains the customs business", "assessment": "essay"}],
        "aligns_with": [{"standard": "PS2008-K01"}, {"standard": "PS2008-K02"}]})
    assert course.status_code == 201, course.text
    return writable_api


def _review(client: TestClient, headers, kind: str, target: str, decision: str,
            reason: str | None = None):  # type: ignore[no-untyped-def]
    return client.post(f"/api/v1/course-mappings/C-A/{kind}/{target}/review", headers=headers,
                       json={"decision": decision, "reason": reason})


def _strategic(report: dict) -> dict:
    return next(t for t in report["tiers"] if t["code"] == "STRATEGIC")


def _areas(report: dict) -> dict[str, dict]:
    return {a["code"]: a for a in _strategic(report)["knowledge_areas"]}


def test_proposed_mappings_count_only_when_asked_for(programme: TestClient) -> None:
    public = programme.get(COVERAGE).json()
    assert not _strategic(public)["covered"] and public["counted_review_statuses"] == ["accepted"]
    assert public["readiness"]["overall"] == "not_ready"
    with_proposed = programme.get(COVERAGE, params={"include": "proposed"}).json()
    areas = _areas(with_proposed)
    assert areas["PS2008-K01"]["covered"] and areas["PS2008-K02"]["covered"]
    assert areas["PS2008-K01"]["proficiency"] == "advanced"
    assert [c["code"] for c in areas["PS2008-K01"]["courses"]] == ["EXU/P-COV/C-A"]


def test_accepted_and_rejected_mappings_change_the_answers(programme: TestClient,
                                                           keys) -> None:
    reviewer = keys["reviewer"]
    assert _review(programme, reviewer, "develops", "OPS-P01", "accepted").status_code == 200
    assert _review(programme, reviewer, "aligns_with", "PS2008-K01", "accepted").status_code \
        == 200
    refused = _review(programme, reviewer, "aligns_with", "PS2008-K02", "rejected",
                      "the course does not treat inter-departmental relations")
    assert refused.status_code == 200 and refused.json()["review_reason"].startswith("the")
    report = programme.get(COVERAGE, params={"include": "proposed"}).json()
    areas = _areas(report)
    assert areas["PS2008-K01"]["covered"] and areas["PS2008-K01"]["proficiency"] == "advanced"
    assert not areas["PS2008-K02"]["covered"]
    strategic = _strategic(report)
    # one of eight areas covered: the tier is not (a tier needs all of its areas)
    assert not strategic["covered"] and strategic["areas_covered"] == 1
    assert "PS2008-K02" in strategic["missing"] and strategic["areas_total"] == 8
    assert strategic["areas"] == "1 of 8 areas"
    verdicts = {c["criterion"].split(" (")[0]: c["verdict"]
                for c in report["readiness"]["criteria"]}
    assert verdicts["bachelor level or higher"] == "met"
    assert "cannot_judge" in verdicts.values()
    assert report["readiness"]["overall"] == "cannot_judge"
    coverage = next(c for c in report["readiness"]["criteria"]
                    if c["code"] == "substantial_coverage")
    assert coverage["facts"] == {"areas_covered": 1, "areas_total": 8, "tiers_covered": 0,
                                 "tiers_total": 2}
    assert "tiers fully covered: 0 of 2" in coverage["detail"]

    developing = programme.get("/api/v1/competencies/OPS-P01/courses").json()["items"]
    assert "EXU/P-COV/C-A" in {c["code"] for c in developing}
    aligned = programme.get("/api/v1/picard-standards/PS2008-K02/courses",
                            params={"include": "proposed"}).json()["items"]
    assert "C-A" not in {c["code"] for c in aligned}


def test_a_reviewer_verdict_is_audited_and_an_admin_acceptance_verifies(
        programme: TestClient, keys) -> None:
    accepted = _review(programme, keys["admin"], "develops", "OPS-P01", "accepted").json()
    assert accepted["status"] == "verified" and accepted["review_status"] == "accepted"
    entries = programme.get("/api/v1/audit", headers=keys["exu"]).json()["items"]
    assert entries[0]["action"] == "review_accepted"
    assert entries[0]["before"]["review_status"] == "proposed"


def test_a_rejection_needs_a_reason_and_institutions_cannot_review(programme: TestClient,
                                                                   keys) -> None:
    no_reason = _review(programme, keys["reviewer"], "aligns_with", "PS2008-K02", "rejected")
    assert no_reason.status_code == 422
    assert no_reason.json()["errors"][0]["location"] == "reason"
    assert _review(programme, keys["exu"], "aligns_with", "PS2008-K02",
                   "accepted").status_code == 403


def test_pending_mappings_are_listed_for_reviewers(programme: TestClient) -> None:
    pending = programme.get("/api/v1/course-mappings",
                            params={"review_status": "proposed", "institution": "EXU"}).json()
    assert {(m["course"], m["kind"], m["target"]) for m in pending["items"]} == {
        ("EXU/P-COV/C-A", "develops", "OPS-P01"), ("EXU/P-COV/C-A", "aligns_with", "PS2008-K01"),
        ("EXU/P-COV/C-A", "aligns_with", "PS2008-K02")}


def test_a_changed_mapping_goes_back_to_review(programme: TestClient, keys) -> None:
    _review(programme, keys["reviewer"], "develops", "OPS-P01", "accepted")
    programme.put(f"{BASE}/courses/C-A", headers=keys["exu"], json={
        "name": "Customs and government",
        "develops": [{"competency": "OPS-P01", "proficiency": "expert"}],
        "aligns_with": [{"standard": "PS2008-K01"}, {"standard": "PS2008-K02"}]})
    course = programme.get(f"{BASE}/courses/C-A").json()
    develops = next(m for m in course["mappings"] if m["kind"] == "develops")
    assert develops["proficiency"] == "expert" and develops["review_status"] == "proposed"


def test_coverage_and_lookups_404_for_unknown_codes(api: TestClient) -> None:
    assert api.get("/api/v1/programmes/EXU/NOPE/picard-coverage").status_code == 404
    assert api.get("/api/v1/programmes/INST-RTU/PROG-EXU-MSC/picard-coverage").status_code \
        == 404
    assert api.get("/api/v1/competencies/NOPE/courses").status_code == 404
    assert api.get("/api/v1/picard-standards/NOPE/courses").status_code == 404


def test_seeded_programme_coverage_is_reported(api: TestClient) -> None:
    report = api.get("/api/v1/programmes/EXU/PROG-EXU-MSC/picard-coverage").json()
    strategic = _strategic(report)
    assert strategic["areas_covered"] >= 1
    assert strategic["covered"] == (strategic["areas_covered"] == strategic["areas_total"])
    assert strategic["areas"] == f"{strategic['areas_covered']} of {strategic['areas_total']} areas"
    operational = next(t for t in report["tiers"] if t["code"] == "OPERATIONAL")
    assert operational["note"] and operational["areas_total"] == 0
    assert operational["note_code"] == "no_knowledge_areas"
    assert operational["covered"] == operational["aligned_directly"]
    assert len(report["themes_2019"]) == 8


def test_programmes_and_courses_an_institution_creates_are_reviewed_too(
        programme: TestClient, keys) -> None:
    course_url = f"{BASE}/courses/C-A"
    assert programme.get(course_url).json()["attributes"]["review_status"] == "proposed"
    assert programme.post(f"{course_url}/review", headers=keys["exu"],
                          json={"decision": "accepted"}).status_code == 403
    done = programme.post(f"{course_url}/review", headers=keys["reviewer"],
                          json={"decision": "rejected", "reason": "not a customs course"})
    assert done.status_code == 200 and done.json()["review_status"] == "rejected"
    course = programme.get(course_url).json()
    assert course["attributes"]["review_reason"] == "not a customs course"
    assert programme.post(f"{BASE}/review", headers=keys["admin"],
                          json={"decision": "accepted"}).json()["status"] == "verified"
    missing = programme.post("/api/v1/institutions/EXU/programmes/NOPE/review",
                             headers=keys["admin"], json={"decision": "accepted"})
    assert missing.status_code == 404
    elsewhere = programme.post("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/C-A/"
                               "review", headers=keys["admin"], json={"decision": "accepted"})
    assert elsewhere.status_code == 404


def _review_state(entity: dict) -> str | None:
    """A programme's or course's review status (an attribute of the entity)."""
    return entity.get("review_status") or entity["attributes"].get("review_status")


def _entries(client: TestClient, headers, target: str) -> list[dict]:  # type: ignore[no-untyped-def]
    return client.get("/api/v1/audit", headers=headers,
                      params={"target_code": target}).json()["items"]


def test_an_owner_s_change_to_a_reviewed_programme_proposes_it_again(programme: TestClient,
                                                                     keys) -> None:
    """Issue 22: an accepted programme edited to another name, level EQF:8 and 600 ECTS
    stayed ``verified``."""
    accepted = programme.post(f"{BASE}/review", headers=keys["admin"],
                              json={"decision": "accepted"})
    assert accepted.json()["status"] == "verified", accepted.text
    verified = {"status": "verified", "limit": 500}
    assert "EXU/P-COV" in {p["code"] for p in programme.get(
        "/api/v1/programmes", params=verified).json()["items"]}
    edited = programme.put(BASE, headers=keys["exu"], json={
        "name": "Something else entirely", "level": "EQF:8", "ects": 600})
    assert edited.status_code == 200, edited.text
    shown = programme.get("/api/v1/programmes/EXU/P-COV").json()
    assert (_review_state(shown), shown["status"]) == ("proposed", "unverified")
    assert "EXU/P-COV" not in {p["code"] for p in programme.get(
        "/api/v1/programmes", params=verified).json()["items"]}
    put = next(e for e in _entries(programme, keys["admin"], "EXU/P-COV")
               if e["action"] == "put")
    assert put["before"]["review_status"] == "accepted"
    previous = put["after"]["previous_review"]
    assert (previous["review_status"], previous["status"]) == ("accepted", "verified")
    assert previous["reviewed_by"] and previous["reviewed_at"]
    # the same values again change nothing: no review is withdrawn by a no-op
    programme.post(f"{BASE}/review", headers=keys["admin"], json={"decision": "accepted"})
    programme.put(BASE, headers=keys["exu"], json={
        "name": "Something else entirely", "level": "EQF:8", "ects": 600})
    assert _review_state(programme.get("/api/v1/programmes/EXU/P-COV").json()) == "accepted"


def test_an_owner_s_change_to_a_reviewed_course_proposes_it_again(programme: TestClient,
                                                                  keys) -> None:
    assert programme.post(f"{BASE}/courses/C-A/review", headers=keys["reviewer"],
                          json={"decision": "accepted"}).status_code == 200
    programme.put(f"{BASE}/courses/C-A", headers=keys["exu"], json={
        "name": "A renamed course",
        "develops": [{"competency": "OPS-P01", "proficiency": "advanced",
                      "evidence": "Explains the customs business", "assessment": "essay"}],
        "aligns_with": [{"standard": "PS2008-K01"}, {"standard": "PS2008-K02"}]})
    course = programme.get(f"{BASE}/courses/C-A").json()
    assert (course["name"], _review_state(course)) == ("A renamed course", "proposed")
    put = _entries(programme, keys["admin"], "EXU/P-COV/C-A")[0]
    withdrawn = put["after"]["changes"]["reviews_withdrawn"]
    assert [(w["course"], w["review_status"]) for w in withdrawn] == [
        ("EXU/P-COV/C-A", "accepted")]


def test_a_changed_accepted_mapping_stops_counting_until_reviewed_again(programme: TestClient,
                                                                        keys) -> None:
    assert _review(programme, keys["admin"], "aligns_with", "PS2008-K01",
                   "accepted").status_code == 200
    assert _areas(programme.get(COVERAGE).json())["PS2008-K01"]["covered"]
    programme.put(f"{BASE}/courses/C-A", headers=keys["exu"], json={
        "name": "Customs and government",
        "develops": [{"competency": "OPS-P01", "proficiency": "advanced",
                      "evidence": "Explains the customs business", "assessment": "essay"}],
        "aligns_with": [{"standard": "PS2008-K01", "evidence": "a new claim"},
                        {"standard": "PS2008-K02"}]})
    assert not _areas(programme.get(COVERAGE).json())["PS2008-K01"]["covered"]
    withdrawn = _entries(programme, keys["admin"], "EXU/P-COV/C-A")[0]["after"]["changes"][
        "reviews_withdrawn"]
    assert [(w["kind"], w["target"], w["review_status"], w["status"]) for w in withdrawn] == [
        ("aligns_with", "PS2008-K01", "accepted", "verified")]
    assert _review(programme, keys["admin"], "aligns_with", "PS2008-K01",
                   "accepted").status_code == 200
    assert _areas(programme.get(COVERAGE).json())["PS2008-K01"]["covered"]


def test_a_course_page_lists_its_mappings_with_their_review_status(programme: TestClient,
                                                                   keys) -> None:
    """A registrar opening the course sees what the institution asserted and where each
    assertion stands (proposed until reviewed), in English and French."""
    from app.web import urls

    path = urls.entity_path("Course", "EXU/P-COV/C-A")
    assert path is not None
    page = programme.get(path).text
    assert "No relationships." not in page
    section = page.split('data-relation="course-mappings"')[1].split("</section>")[0]
    assert section.count('data-review="proposed"') == 3  # one competency, two standards
    assert "PS2008-K01" in section and "OPS-P01" in section and "proposed" in section
    assert _review(programme, keys["reviewer"], "aligns_with", "PS2008-K01",
                   "accepted").status_code == 200
    french = programme.get(path, params={"lang": "fr"}).text
    section = french.split('data-relation="course-mappings"')[1].split("</section>")[0]
    assert section.count('data-review="proposed"') == 2
    assert 'data-review="accepted"' in section and "acceptée" in section
    assert "proposée" in section


def test_the_coverage_picker_names_each_programme_with_its_institution(api: TestClient) -> None:
    page = api.get("/coverage").text
    assert "Customs programme (name not verified) — University of Münster" in page
    assert "Customs programme (name not verified) — Riga Technical University" in page

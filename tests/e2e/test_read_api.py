"""The read API over the seeded embedded store: happy paths, 404s and 422s as problem+json."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

PROBLEM = "application/problem+json"


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body = response.json()
    assert body["status"] == status and body["type"].startswith("https://")
    return body


def test_frameworks_are_listed_with_a_total(api: TestClient) -> None:
    page = api.get("/api/v1/frameworks", params={"limit": 500}).json()
    codes = {item["code"] for item in page["items"]}
    assert {"EQF", "ISCED-2011", "QF-EHEA", "IE-NFQ", "NL-NLQF", "NZ-NZQCF", "UK-SCQF",
            "UK-RQF", "CQF"} <= codes
    assert page["total"] == len(page["items"])


def test_lists_are_paginated(api: TestClient) -> None:
    first = api.get("/api/v1/competencies", params={"limit": 5}).json()
    second = api.get("/api/v1/competencies", params={"limit": 5, "offset": 5}).json()
    assert len(first["items"]) == 5 and first["next_offset"] == 5
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
    assert first["total"] == second["total"] > 10


def test_eqf_has_eight_ordered_levels_with_descriptors(api: TestClient) -> None:
    levels = api.get("/api/v1/frameworks/EQF/levels").json()["items"]
    assert [lv["code"] for lv in levels] == [f"EQF:{n}" for n in range(1, 9)]
    assert all(lv["attributes"]["knowledge"] and lv["attributes"]["autonomy"] for lv in levels)


@pytest.mark.parametrize("path", ["/api/v1/levels/IE-NFQ/8", "/api/v1/levels/IE-NFQ:8"])
def test_a_level_shows_its_framework_and_mappings(api: TestClient, path: str) -> None:
    level = api.get(path).json()
    assert level["code"] == "IE-NFQ:8" and level["status"] == "verified"
    assert level["related"]["framework"][0]["code"] == "IE-NFQ"
    targets = {m["attributes"]["to_level"] for m in level["related"]["mappings"]}
    assert "EQF:6" in targets
    assert level["source"]["document"]


def test_a_job_profile_shows_its_requirements_with_proficiency(api: TestClient) -> None:
    code = api.get("/api/v1/job-profiles", params={"limit": 1}).json()["items"][0]["code"]
    profile = api.get(f"/api/v1/job-profiles/{code}").json()
    assert profile["illustrative"] is True and "not an official" in profile["notice"]
    requires = profile["related"]["requires"]
    assert requires and all(r["attributes"]["proficiency"] in
                            {"aware", "trained", "advanced", "expert"} for r in requires)


def test_a_competency_shows_who_requires_it(api: TestClient) -> None:
    competency = api.get("/api/v1/competencies/OPS-P06").json()
    assert competency["name"] == "Risk Analysis" and competency["status"] == "verified"
    assert competency["illustrative"] is False
    assert competency["related"]["group"][0]["code"] == "OPS"
    assert "required_by" in competency["related"] and "drawn_on_by" in competency["related"]


def test_competencies_filter_by_group_and_text(api: TestClient) -> None:
    ops = api.get("/api/v1/competencies", params={"group": "OPS", "limit": 500}).json()
    assert ops["total"] == 21
    found = api.get("/api/v1/competencies", params={"q": "valuation"}).json()["items"]
    assert [c["code"] for c in found] == ["OPS-P03"]


@pytest.mark.parametrize("path", ["/api/v1/job-families", "/api/v1/tasks",
                                  "/api/v1/picard-standards", "/api/v1/job-profiles"])
def test_each_list_has_a_detail_for_its_first_item(api: TestClient, path: str) -> None:
    first = api.get(path, params={"limit": 1}).json()["items"][0]
    detail = api.get(f"{path}/{first['code']}")
    assert detail.status_code == 200 and detail.json()["code"] == first["code"]


def test_picard_strategic_tier_lists_its_knowledge_areas(api: TestClient) -> None:
    tier = api.get("/api/v1/picard-standards/STRATEGIC").json()
    parts = {p["code"] for p in tier["related"]["parts"]}
    assert {f"PS2008-K0{i}" for i in range(1, 9)} <= parts


def test_search_finds_entities_of_several_kinds(api: TestClient) -> None:
    hits = api.get("/api/v1/search", params={"q": "customs"}).json()["items"]
    assert len({h["kind"] for h in hits}) >= 2
    valuation = api.get("/api/v1/search", params={"q": "Valuation"}).json()["items"]
    assert "OPS-P03" in {h["code"] for h in valuation}


def test_search_kind_is_any_case_and_never_the_service_records(api: TestClient) -> None:
    """``kind=competency`` is ``kind=Competency``; the kinds offered are the catalogue's
    (no ApiKey, no AuditEntry) and asking for one of those names the accepted kinds."""
    lower = api.get("/api/v1/search", params={"q": "Valuation", "kind": "competency"}).json()
    exact = api.get("/api/v1/search", params={"q": "Valuation", "kind": "Competency"}).json()
    assert lower == exact and {h["kind"] for h in lower["items"]} == {"Competency"}
    refused = api.get("/api/v1/search", params={"q": "x", "kind": "ApiKey"})
    assert refused.status_code == 422
    assert "Competency" in refused.text and "accepted" in refused.text
    schema = api.get("/openapi.json").json()["paths"]["/api/v1/search"]["get"]["parameters"]
    offered = str(next(p for p in schema if p["name"] == "kind")["schema"])
    assert "Competency" in offered and "ApiKey" not in offered and "AuditEntry" not in offered
    page = api.get("/search", params={"kind": "level"}).text
    assert '<option value="Level" selected>' in page and "ApiKey" not in page


@pytest.mark.parametrize("path", [
    "/api/v1/frameworks/NOPE", "/api/v1/frameworks/NOPE/levels", "/api/v1/levels/EQF/99",
    "/api/v1/levels/NOPE:1", "/api/v1/competencies/NOPE", "/api/v1/job-profiles/NOPE",
    "/api/v1/tasks/NOPE", "/api/v1/picard-standards/NOPE", "/api/v1/job-families/NOPE",
])
def test_unknown_codes_are_404_problems_naming_the_code(api: TestClient, path: str) -> None:
    body = _problem(api.get(path), 404)
    assert "NOPE" in body["detail"] or "99" in body["detail"]


@pytest.mark.parametrize("params, field", [
    ({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset"),
    ({"status": "official"}, "status"),
])
def test_bad_parameters_are_422_problems_naming_the_field(api: TestClient, params, field) -> None:
    body = _problem(api.get("/api/v1/competencies", params=params), 422)
    assert any(field in e["location"] for e in body["errors"])


def test_several_bad_parameters_are_all_listed(api: TestClient) -> None:
    body = _problem(api.get("/api/v1/frameworks", params={"limit": 9999, "offset": -5}), 422)
    assert {"limit", "offset"} <= {e["location"] for e in body["errors"]}


def test_a_malformed_level_code_is_a_422(api: TestClient) -> None:
    _problem(api.get("/api/v1/levels/no-colon-here"), 422)


def test_a_search_without_words_is_a_422(api: TestClient) -> None:
    _problem(api.get("/api/v1/search", params={"q": "*** ()"}), 422)


@pytest.mark.parametrize("hostile", [
    "' OR 1=1 //", "x'}) DETACH DELETE n //", "\" RETURN 1; MATCH (n) DETACH DELETE n",
    "*) MATCH (n) DELETE n", "@name:{x} | -customs", "\\u0027; CALL db.labels()",
])
def test_injection_through_free_text_changes_nothing(api: TestClient, hostile: str) -> None:
    before = api.get("/api/v1/frameworks", params={"limit": 1}).json()["total"]
    for path, params in [("/api/v1/search", {"q": hostile}),
                         ("/api/v1/competencies", {"q": hostile}),
                         ("/api/v1/job-profiles", {"q": hostile, "administration": hostile}),
                         ("/api/v1/frameworks", {"kind": hostile})]:
        assert api.get(path, params=params).status_code in (200, 422)
    assert api.get(f"/api/v1/competencies/{hostile}").status_code in (404, 422)
    assert api.get("/api/v1/frameworks", params={"limit": 1}).json()["total"] == before


def test_health_reports_live_and_ready(api: TestClient) -> None:
    assert api.get("/health/live").json()["status"] == "ok"
    ready = api.get("/health/ready")
    assert ready.status_code == 200 and ready.json()["checks"]["schema_applied"] is True


def test_openapi_docs_are_served_without_any_cdn(api: TestClient) -> None:
    page = api.get("/docs")
    assert page.status_code == 200 and "cdn." not in page.text
    assert api.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert api.get("/docs-assets/swagger-ui.css").status_code == 200
    paths = api.get("/openapi.json").json()["paths"]
    assert "/api/v1/frameworks/{code}/levels" in paths and "/api/v1/search" in paths


def _parameter_values(openapi: dict, path: str, name: str) -> list[str]:
    parameter = next(p for p in openapi["paths"][path]["get"]["parameters"] if p["name"] == name)
    schema = next(s for s in parameter["schema"]["anyOf"] if "$ref" in s)
    return openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]["enum"]


def test_the_openapi_document_lists_the_vocabulary_a_filter_accepts(api: TestClient) -> None:
    """A client reads the allowed values from the schema instead of guessing at a pattern."""
    openapi = api.get("/openapi.json").json()
    assert _parameter_values(openapi, "/api/v1/competencies", "status") == [
        "verified", "unverified", "illustrative"]
    assert _parameter_values(openapi, "/api/v1/mappings", "method") == [
        "official_referencing", "comparison_study", "expert_panel", "computed", "illustrative"]
    assert _parameter_values(openapi, "/api/v1/mappings", "review_status") == [
        "proposed", "accepted", "rejected", "superseded"]
    illustrative = api.get("/api/v1/mappings", params={"method": "illustrative", "limit": 500})
    assert illustrative.status_code == 200
    items = illustrative.json()["items"]
    assert items and all(m["method"] == "illustrative" and m["illustrative"] for m in items)

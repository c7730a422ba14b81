"""Forgiving input, strict storage: a code typed in any case, and a level written
``FRAMEWORK:LEVEL`` or ``FRAMEWORK/LEVEL``, finds the stored entity everywhere a user types
one (API paths and queries, explorer URLs, linked-data IRIs, uploads, the CLI), and answers
name the canonical code. Error lists speak the user's terms."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from app.cli import app as cli
from app.graph.port import GraphStore
from app.services.linked_data import identity
from app.settings import Settings

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


@pytest.mark.parametrize("path, code", [
    ("/api/v1/levels/nl-nlqf:entry", "NL-NLQF:ENTRY"),
    ("/api/v1/levels/NL-NLQF/entry", "NL-NLQF:ENTRY"),
    ("/api/v1/levels/ie-nfq/8", "IE-NFQ:8"),
    ("/api/v1/competencies/ops-p01", "OPS-P01"),
    ("/api/v1/competencies/esco:INSPECT-CARGO", "ESCO:inspect-cargo"),
    ("/api/v1/frameworks/eqf", "EQF"),
    ("/api/v1/job-profiles/jp-audit-officer-pca", "JP-AUDIT-OFFICER-PCA"),
    ("/api/v1/proficiency-levels/Advanced", "advanced"),
])
def test_api_paths_find_codes_in_any_case_and_answer_the_canonical_code(
        api: TestClient, path: str, code: str) -> None:
    response = api.get(path)
    assert response.status_code == 200, response.text
    assert response.json()["code"] == code


def test_framework_levels_and_list_filters_forgive_case(api: TestClient) -> None:
    levels = api.get("/api/v1/frameworks/ie-nfq/levels").json()
    assert levels["total"] >= 10 and {lv["code"][:7] for lv in levels["items"]} == {"IE-NFQ:"}
    upper = api.get("/api/v1/competencies", params={"group": "OPS", "limit": 1}).json()
    lower = api.get("/api/v1/competencies", params={"group": "ops", "limit": 1}).json()
    assert lower["total"] == upper["total"] > 0


def test_equivalence_query_forgives_case_and_notation(api: TestClient) -> None:
    canonical = api.get("/api/v1/equivalences", params={"from": "IE-NFQ:8", "to": "EQF"}).json()
    typed = api.get("/api/v1/equivalences", params={"from": "ie-nfq/8", "to": "eqf"}).json()
    assert typed["from"] == typed["from_level"] == "IE-NFQ:8" and typed["to"] == "EQF"
    assert typed["equivalences"] == canonical["equivalences"]
    assert [e["level"]["code"] for e in typed["equivalences"]] == ["EQF:6"]


def test_portability_forgives_codes_and_proficiency_names(api: TestClient) -> None:
    exact = api.post("/api/v1/portability", json={
        "competencies": {"OPS-P06": "advanced", "OPS-P02": "trained"}}).json()
    typed = api.post("/api/v1/portability", json={
        "competencies": {"ops-p06": "Advanced", "Ops-P02": " TRAINED "}}).json()
    assert typed["results"] == exact["results"] and typed["total"] > 0
    bad = api.post("/api/v1/portability", json={"competencies": {"OPS-P99": "master"}})
    assert bad.status_code == 422
    errors = bad.json()["errors"]
    assert {e["location"] for e in errors} == {"competencies › OPS-P99"}
    assert any(e.get("accepted", "").startswith("one of aware, trained, advanced, expert")
               and e["example"] == "trained" and e["value"] == "master" for e in errors)
    assert not any("body" in e["location"] for e in errors)


def test_pydantic_errors_name_fields_not_request_parts(api: TestClient) -> None:
    response = api.post("/api/v1/portability", json={"from_profile": "X", "limit": 0})
    # every problem of the request in one answer: the range and the unknown profile
    assert [e["location"] for e in response.json()["errors"]] == ["limit", "from_profile"]


@pytest.mark.parametrize("path", ["/id/level/ie-nfq/8", "/id/level/IE-NFQ:8",
                                  "/id/Competency/ops-p01"])
def test_iris_in_another_form_redirect_to_the_canonical_iri(api: TestClient, path: str) -> None:
    response = api.get(path, params={"format": "json"}, follow_redirects=False)
    assert response.status_code == 308
    target = response.headers["location"]  # the canonical IRI itself (base + path)
    BASE = identity.static_base_iri(Settings())  # noqa: N806 - the service's configured base
    assert target in (f"{BASE}level/IE-NFQ/8?format=json",
                      f"{BASE}competency/OPS-P01?format=json")
    assert api.get(target.removeprefix(BASE[:-4])).json()["code"] in ("IE-NFQ:8", "OPS-P01")


def test_an_unknown_kind_is_named(api: TestClient) -> None:
    response = api.get("/id/nonsense/x")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert "unknown kind 'nonsense'" in detail and "competency" in detail and "level" in detail
    page = api.get("/entity/nonsense/x")
    assert page.status_code == 404 and "unknown kind" in page.text and "nonsense" in page.text


@pytest.mark.parametrize("path", ["/entity/level/IE-NFQ:8", "/entity/level/ie-nfq/8",
                                  "/entity/level/NL-NLQF:entry"])
def test_explorer_entity_pages_forgive_case_and_notation(api: TestClient, path: str) -> None:
    response = api.get(path)
    assert response.status_code == 200, response.text
    assert "IE-NFQ:8" in response.text or "NL-NLQF:ENTRY" in response.text


def test_explorer_equivalence_page_forgives_case(api: TestClient) -> None:
    response = api.get("/equivalence", params={"from": "ie-nfq:8", "to": "eqf"})
    assert response.status_code == 200 and "EQF:6" in response.text


def test_uploads_and_the_cli_forgive_codes_and_store_them_canonically(
        writable_api: TestClient, writable_store: GraphStore, key_for,
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    body = (HEADER + "prog-exu-msc,NEW-F1,Forgiving course,develops,ops-p01,Advanced,,\n"
            + "PROG-EXU-MSC,NEW-F1,,aligns_with,ps2008-k01,,,\n")
    response = writable_api.post("/api/v1/institutions/exu/mappings:bulk?dry_run=true",
                                 headers={**key_for("institution:EXU"),
                                          "Content-Type": "text/csv"}, content=body)
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 2 and response.json()["institution"] == "EXU"
    monkeypatch.setenv("CQF_BACKEND", "falkordb")
    monkeypatch.setenv("CQF_FALKORDB_URL", writable_store.url)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_GRAPH_NAME", writable_store._graph_name)  # type: ignore[attr-defined]
    monkeypatch.setenv("CQF_LOG_JSON", "false")
    upload = tmp_path / "forgiving.csv"
    upload.write_text(body, encoding="utf-8")
    done = CliRunner().invoke(cli, ["import", "mappings", str(upload), "--institution", "exu",
                                    "--dry-run"])
    assert done.exit_code == 0, done.output
    title = next(line for line in done.output.splitlines() if "dry run" in line)
    assert "EXU" in title and "exu" not in title  # the canonical code answers
    counts = next(line for line in done.output.splitlines() if line.startswith("│ 2"))
    assert counts.split("│")[2].strip() == "2"  # both rows would be added


def test_mapping_filters_and_exports_forgive_case(api: TestClient) -> None:
    upper = api.get("/api/v1/mappings", params={"framework": "IE-NFQ", "limit": 1}).json()
    lower = api.get("/api/v1/mappings", params={"framework": "ie-nfq", "limit": 1}).json()
    assert lower["total"] == upper["total"] > 0
    by_level = api.get("/api/v1/mappings", params={"level": "ie-nfq/8"}).json()
    assert by_level["total"] > 0
    export = api.get("/api/v1/export/mappings.sssom.tsv", params={"framework": "ie-nfq"})
    assert export.status_code == 200 and "IE-NFQ" in export.text

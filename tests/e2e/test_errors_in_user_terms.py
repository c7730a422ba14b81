"""Errors in user terms (issue 25.6): every 422 names the field as the user wrote it, what
it accepts and an example — never a regular expression or a validator's phrase — in English
and in French (``lang=fr`` or ``Accept-Language: fr``); one answer lists every problem of a
request; ``FW/L`` works wherever ``FW:L`` does."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

MACHINE_WORDS = ("should", "pattern", "Input", "^", "$", "[A-Z", "less than or equal",
                 "Extra inputs", "Field required")
FRENCH = {"lang": "fr"}


def _errors(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = answer.json()["errors"]
    for error in errors:
        for word in MACHINE_WORDS:
            assert word not in error["message"], error
    return errors


def _one(answer: Any, location: str) -> dict[str, Any]:
    found = [e for e in _errors(answer) if e["location"] == location]
    assert len(found) == 1, answer.text
    return found[0]


def test_a_framework_without_a_level_says_how_a_level_is_written(api: TestClient) -> None:
    error = _one(api.get("/api/v1/equivalences", params={"from": "DK-NQF"}), "from")
    assert "FRAMEWORK:LEVEL" in error["accepted"] and error["example"] == "DK-NQF:6"
    assert error["value"] == "DK-NQF"
    assert error["message"].endswith("e.g. DK-NQF:6")


def test_a_country_name_is_answered_with_what_a_country_code_is(api: TestClient) -> None:
    error = _one(api.get("/api/v1/frameworks", params={"country": "Denmark"}), "country")
    assert error["message"] == "a two-letter country code (ISO 3166-1), in any case, e.g. DK"
    french = _one(api.get("/api/v1/frameworks", params={"country": "Denmark", **FRENCH}),
                  "country")
    assert french["message"].startswith("un code de pays à deux lettres")
    assert french["example"] == "DK"


@pytest.mark.parametrize("headers,params", [({"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"},
                                             {}), ({}, FRENCH)])
def test_a_coverage_out_of_range_says_the_range_in_either_language(
        api: TestClient, headers: dict[str, str], params: dict[str, str]) -> None:
    body = {"competencies": {"OPS-P01": "trained"}, "min_coverage": 2}
    english = _one(api.post("/api/v1/portability", json=body), "min_coverage")
    assert english["message"] == "a number from 0 to 1, e.g. 0.5"
    answer = api.post("/api/v1/portability", json=body, headers=headers, params=params)
    french = _one(answer, "min_coverage")
    assert french["message"] == "un nombre de 0 à 1, par exemple 0.5"
    assert answer.json()["title"] == "Requête non valide"
    assert answer.headers["content-language"] == "fr"


def test_one_answer_lists_every_problem_of_a_portability_request(api: TestClient) -> None:
    answer = api.post("/api/v1/portability", json={
        "competencies": {"NO-SUCH-CODE": "trained", "OPS-P01": "guru"},
        "min_coverage": 2, "limit": 0, "administration": "NO-ADM"})
    locations = [e["location"] for e in _errors(answer)]
    assert set(locations) == {"min_coverage", "limit", "administration",
                              "competencies › NO-SUCH-CODE", "competencies › OPS-P01"}
    proficiency = _one(answer, "competencies › OPS-P01")
    assert proficiency["example"] == "trained" and "expert" in proficiency["accepted"]


def test_a_field_the_request_does_not_have_names_the_fields_it_has(api: TestClient) -> None:
    error = _one(api.post("/api/v1/career-plans", json={"target": "OPS-P2"}), "target")
    assert "target_profile" in error["message"]
    required = _one(api.post("/api/v1/career-plans", json={"target": "OPS-P2"}),
                    "target_profile")
    assert required["message"].startswith("required: ")


def test_malformed_json_is_a_400_in_french_too(api: TestClient) -> None:
    answer = api.post("/api/v1/portability", content=b'{"limit": ', params=FRENCH,
                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 400
    assert answer.json()["errors"][0]["message"].startswith("JSON non valide à la ligne 1")


def test_a_mapping_may_name_its_levels_with_a_slash(writable_api: TestClient,
                                                    key_for) -> None:  # type: ignore[no-untyped-def]
    answer = writable_api.post("/api/v1/mappings", headers=key_for("admin"), json={
        "from_level": "no-nqf/6", "to_level": "isced-2011/6", "match_type": "broadMatch",
        "confidence": 0.5, "method": "expert_panel",
        "source": {"document": "test", "year": 2026}})
    assert answer.status_code == 201, answer.text
    assert answer.json()["from_level"] == "NO-NQF:6"

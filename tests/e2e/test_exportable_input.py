"""What a write stores, the RDF export can write: a source or page address that no serialiser
accepts as an IRI, or a quote language that is no language tag, is refused at the write with
422 problem+json naming the field (the export's own checks, ``app.rdf.terms``), in English
and French -- never stored to be skipped by every export after."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

# a private-use code point: a valid URL to a regex, not an IRI (RFC 3987) to any serialiser
PRIVATE_USE_URL = "https://example.org/report\ue000.pdf"
MAPPING = {"from_level": "NO-NQF:5", "to_level": "EQF:5", "match_type": "closeMatch",
           "confidence": 0.8, "method": "official_referencing", "review_status": "accepted"}
SOURCE = {"document": "Referencing report", "url": "https://example.org/report",
          "quote": "Niveau 5 entspricht EQR-Niveau 5.", "quote_language": "de"}


def _errors(answer: Any) -> dict[str, str]:
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    return {e["location"]: e["message"] for e in answer.json()["errors"]}


@pytest.mark.parametrize(("field", "value", "english", "french"), [
    ("url", PRIVATE_USE_URL, "not a web address the RDF formats can carry",
     "pas une adresse web que les formats RDF peuvent porter"),
    ("quote_language", "en-a", "not a well-formed language tag",
     "pas une étiquette de langue bien formée"),
])
def test_a_mapping_source_no_rdf_format_can_carry_is_refused_naming_the_field(
        writable_api: TestClient, key_for, field: str, value: str, english: str,  # type: ignore[no-untyped-def]
        french: str) -> None:
    admin = key_for("admin")
    body = {**MAPPING, "source": {**SOURCE, field: value}}
    said = _errors(writable_api.post("/api/v1/mappings", headers=admin, json=body))
    assert english in said[f"source › {field}"]
    said_fr = _errors(writable_api.post("/api/v1/mappings", json=body,
                                        headers={**admin, "Accept-Language": "fr"}))
    assert french in said_fr[f"source › {field}"]
    assert writable_api.get("/api/v1/mappings/map:NO-NQF:5>EQF:5").status_code == 404
    stored = writable_api.post("/api/v1/mappings", headers=admin,
                               json={**MAPPING, "source": SOURCE})
    assert stored.status_code == 201, stored.text


def test_a_programme_or_course_page_no_rdf_format_can_carry_is_refused(
        writable_api: TestClient, key_for) -> None:  # type: ignore[no-untyped-def]
    admin = key_for("admin")
    base = "/api/v1/institutions/IRI-U"
    assert writable_api.put(base, headers=admin, json={"name": "IRI U"}).status_code == 201
    for path, body in ((f"{base}/programmes/P1", {"name": "P"}),
                       (f"{base}/programmes/P1/courses/C1", {"name": "C"})):
        said = _errors(writable_api.put(path, headers=admin,
                                        json={**body, "url": PRIVATE_USE_URL}))
        assert "not a web address the RDF formats can carry" in said["url"]
        fine = writable_api.put(path, headers=admin,
                                json={**body, "url": "https://example.org/p?q=1"})
        assert fine.status_code == 201, fine.text

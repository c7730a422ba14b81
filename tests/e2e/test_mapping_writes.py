"""Writing mappings and grade scales: ownership, review states, audit, effect on answers."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.domain.vocab import MappingMethod

EQUIV = "/api/v1/equivalences"
SCALE = {
    "name": "Grades of administration X (test)", "source_document": "X staff regulations",
    "levels": [{"level": f"G{i}", "name": f"Grade {i}", "ordinal": i} for i in range(1, 6)],
}


def _mapping(source: str, target: str, match_type: str = "broadMatch", **extra) -> dict:
    return {"from_level": source, "to_level": target, "match_type": match_type,
            "confidence": 0.8, "method": "expert_panel",
            "source": {"document": "X HR decision 12/2026", "year": 2026}, **extra}


@pytest.fixture
def admin(key_for) -> dict[str, str]:
    return key_for("admin")


@pytest.fixture
def with_x(writable_api: TestClient, admin, key_for) -> dict[str, str]:
    """Administration X registered with a scale; returns X's own key headers."""
    put = writable_api.put("/api/v1/administrations/ADM-X", headers=admin,
                           json={"name": "Administration X (test)", "source_document": "test"})
    assert put.status_code == 200, put.text
    x = key_for("administration:ADM-X")
    scale = writable_api.put("/api/v1/administrations/ADM-X/scale", headers=x, json=SCALE)
    assert scale.status_code == 200, scale.text
    return x


def test_an_administration_registers_its_scale_and_maps_it(writable_api: TestClient,
                                                           with_x) -> None:
    levels = writable_api.get("/api/v1/frameworks/ADM-X-GRADES/levels").json()["items"]
    assert [lv["code"] for lv in levels] == [f"ADM-X-GRADES:G{i}" for i in range(1, 6)]
    created = writable_api.post("/api/v1/mappings", headers=with_x,
                                json=_mapping("ADM-X-GRADES:G4", "CQF:3"))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["review_status"] == "proposed" and body["asserted_by"] == "administration:ADM-X"
    assert body["source"]["document"] == "X HR decision 12/2026"


def test_a_proposed_mapping_counts_only_after_acceptance(writable_api: TestClient, with_x,
                                                         admin) -> None:
    mapping_id = writable_api.post("/api/v1/mappings", headers=with_x,
                                   json=_mapping("ADM-X-GRADES:G4", "CQF:3")).json()["id"]
    question = {"from": "ADM-X-GRADES:G4", "to": "ADM-A-GRADES"}
    assert writable_api.get(EQUIV, params=question).json()["equivalences"] == []
    proposed = writable_api.get(EQUIV, params={**question, "include": "proposed"}).json()
    assert proposed["equivalences"] and proposed["notice"]

    review = writable_api.post(f"/api/v1/mappings/{mapping_id}/review", headers=admin,
                               json={"decision": "accept"})
    assert review.status_code == 200 and review.json()["review_status"] == "accepted"
    grade_to_grade = writable_api.get(EQUIV, params=question).json()
    assert grade_to_grade["equivalences"]
    assert grade_to_grade["equivalences"][0]["path"][0]["mapping_id"] == mapping_id

    rejected = writable_api.post(f"/api/v1/mappings/{mapping_id}/review", headers=admin,
                                 json={"decision": "reject", "reason": "grade re-evaluated"})
    assert rejected.json()["review_reason"] == "grade re-evaluated"
    assert writable_api.get(EQUIV, params=question).json()["equivalences"] == []


def test_every_mapping_write_leaves_an_audit_entry(writable_api: TestClient, with_x,
                                                   admin) -> None:
    mapping_id = writable_api.post("/api/v1/mappings", headers=with_x,
                                   json=_mapping("ADM-X-GRADES:G2", "CQF:1")).json()["id"]
    writable_api.post(f"/api/v1/mappings/{mapping_id}/review", headers=admin,
                      json={"decision": "supersede", "reason": "replaced"})
    assert writable_api.delete(f"/api/v1/mappings/{mapping_id}",
                               headers=with_x).status_code == 204
    assert writable_api.get(f"/api/v1/mappings/{mapping_id}").status_code == 404
    entries = writable_api.get("/api/v1/audit", headers=admin).json()
    items = entries["items"] if isinstance(entries, dict) else entries
    actions = [e["action"] for e in items if e.get("target_code") == mapping_id]
    assert {"mapping.create", "mapping.supersede", "mapping.retract"} <= set(actions)


@pytest.mark.parametrize("role, status", [
    (None, 401), ("bogus", 401), ("administration:ADM-A", 403), ("institution:EXU", 403),
])
def test_only_the_owner_or_an_admin_may_write(writable_api: TestClient, with_x, key_for,
                                              role, status) -> None:
    headers = {"X-API-Key": "cqf_nope_nope"} if role == "bogus" else (
        key_for(role) if role else {})
    before = writable_api.get("/api/v1/mappings", params={"limit": 1}).json()["total"]
    responses = [
        writable_api.post("/api/v1/mappings", headers=headers,
                          json=_mapping("ADM-X-GRADES:G4", "CQF:3")),
        writable_api.put("/api/v1/administrations/ADM-X/scale", headers=headers, json=SCALE),
        writable_api.post("/api/v1/mappings/map:IE-NFQ:8>EQF:6/review", headers=headers,
                          json={"decision": "reject", "reason": "x"}),
        writable_api.delete("/api/v1/mappings/map:IE-NFQ:8>EQF:6", headers=headers),
    ]
    assert [r.status_code for r in responses] == [status] * 4
    assert all(r.headers["content-type"].startswith("application/problem+json")
               for r in responses)
    assert writable_api.get("/api/v1/mappings", params={"limit": 1}).json()["total"] == before


def test_a_reviewer_may_review_but_not_assert(writable_api: TestClient, key_for) -> None:
    reviewer = key_for("reviewer")
    assert writable_api.post("/api/v1/mappings", headers=reviewer,
                             json=_mapping("IE-NFQ:9", "NL-NLQF:7")).status_code == 403
    review = writable_api.post("/api/v1/mappings/map:IE-NFQ:8>EQF:6/review", headers=reviewer,
                               json={"decision": "accept"})
    assert review.status_code == 200


@pytest.mark.parametrize("body, location", [
    (_mapping("NOPE:1", "CQF:3"), "from_level"),
    (_mapping("ADM-X-GRADES:G4", "ADM-X-GRADES:G5"), "to_level"),
    (_mapping("ADM-X-GRADES:G4", "CQF:3", confidence=1.5), "confidence"),
    (_mapping("ADM-X-GRADES:G4", "CQF:3", match_type="sameAs"), "match_type"),
    (_mapping("ADM-X-GRADES:G4", "CQF:3", method="gut_feeling"), "method"),
    ({**_mapping("ADM-X-GRADES:G4", "CQF:3"), "source": {}}, "source › document"),
])
def test_bad_mappings_are_refused_and_nothing_is_written(writable_api: TestClient, with_x,
                                                         body, location) -> None:
    before = writable_api.get("/api/v1/mappings", params={"limit": 1}).json()["total"]
    response = writable_api.post("/api/v1/mappings", headers=with_x, json=body)
    assert response.status_code == 422
    assert location in {e["location"] for e in response.json()["errors"]}
    assert writable_api.get("/api/v1/mappings", params={"limit": 1}).json()["total"] == before


def test_rejecting_needs_a_reason(writable_api: TestClient, admin) -> None:
    response = writable_api.post("/api/v1/mappings/map:IE-NFQ:8>EQF:6/review", headers=admin,
                                 json={"decision": "reject"})
    assert response.status_code == 422


def test_a_scale_cannot_take_a_public_framework_code(writable_api: TestClient, with_x) -> None:
    response = writable_api.put("/api/v1/administrations/ADM-X/scale", headers=with_x,
                                json={**SCALE, "framework": "EQF"})
    assert response.status_code == 409  # one code, one thing (issue 22.3): taken, 409
    assert len(writable_api.get("/api/v1/frameworks/EQF/levels").json()["items"]) == 8


def _levels(client: TestClient, framework: str) -> list[tuple[str, str]]:
    items = client.get(f"/api/v1/frameworks/{framework}/levels").json()["items"]
    return [(lv["code"], lv["name"]) for lv in items]


@pytest.mark.parametrize("framework", ["eqf", "Eqf", "ie-nfq", "cqf", "isced-2011",
                                       "adm-a-grades", "ADM-A-GRADES"])
def test_an_administration_never_shadows_a_reference_framework(writable_api: TestClient,
                                                                with_x, framework) -> None:
    """Issue 22: ``PUT .../ADM-X/scale {"framework": "eqf"}`` answered 200 and afterwards
    ``/frameworks/eqf`` and ``/levels/eqf:6`` answered the invented levels."""
    stored = writable_api.get(f"/api/v1/frameworks/{framework}").json()["code"]
    levels = _levels(writable_api, stored)
    response = writable_api.put("/api/v1/administrations/ADM-X/scale", headers=with_x,
                                json={**SCALE, "framework": framework})
    assert response.status_code == 409, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["existing_code"] == stored
    assert writable_api.get(f"/api/v1/frameworks/{framework}").json()["code"] == stored
    assert _levels(writable_api, framework) == levels  # no read answers a shadow
    first = levels[0][0].split(":", 1)[1]
    level = writable_api.get(f"/api/v1/levels/{framework}:{first}").json()
    assert (level["code"], level["name"]) == levels[0]


def test_an_administration_rewrites_its_own_scale_in_any_case(writable_api: TestClient,
                                                               with_x) -> None:
    lower = {**SCALE, "framework": "adm-x-grades",
             "levels": [{"level": f"g{i}", "name": f"Rank {i}", "ordinal": i}
                        for i in range(1, 6)]}
    response = writable_api.put("/api/v1/administrations/adm-x/scale", headers=with_x,
                                json=lower)
    assert response.status_code == 200, response.text
    assert response.json()["framework"] == "ADM-X-GRADES"
    assert _levels(writable_api, "ADM-X-GRADES") == [
        (f"ADM-X-GRADES:G{i}", f"Rank {i}") for i in range(1, 6)]


def test_a_scale_with_one_level_in_two_cases_is_refused(writable_api: TestClient,
                                                         with_x) -> None:
    twice = {**SCALE, "levels": [{"level": "G1", "name": "one", "ordinal": 1},
                                 {"level": "g1", "name": "shadow", "ordinal": 2}]}
    response = writable_api.put("/api/v1/administrations/ADM-X/scale", headers=with_x,
                                json=twice)
    assert response.status_code == 409  # a clash of codes is a conflict, as CodeTaken
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/conflict")
    assert response.json()["levels"] == ["g1"]
    assert "same code" in response.json()["detail"]


def test_a_level_with_mappings_cannot_be_dropped_from_a_scale(writable_api: TestClient,
                                                              with_x) -> None:
    writable_api.post("/api/v1/mappings", headers=with_x, json=_mapping("ADM-X-GRADES:G5",
                                                                         "CQF:4"))
    shorter = {**SCALE, "levels": SCALE["levels"][:3]}
    response = writable_api.put("/api/v1/administrations/ADM-X/scale", headers=with_x,
                                json=shorter)
    assert response.status_code == 409  # the stored mappings conflict with the change
    assert response.json()["levels"] == ["ADM-X-GRADES:G5"]
    assert writable_api.get("/api/v1/levels/ADM-X-GRADES:G4").status_code == 200


@pytest.mark.parametrize("method", list(MappingMethod))
def test_every_mapping_method_the_seed_uses_can_be_written(writable_api: TestClient, with_x,
                                                           method: MappingMethod) -> None:
    """The write API and the seed data share one list of methods; a mapping written as
    illustrative is marked illustrative evidence, like the seeded illustrative ones."""
    created = writable_api.post("/api/v1/mappings", headers=with_x,
                                json=_mapping("ADM-X-GRADES:G4", "CQF:3", method=method.value))
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["method"] == method.value
    illustrative = method == MappingMethod.ILLUSTRATIVE
    assert body["status"] == ("illustrative" if illustrative else "unverified")
    assert body["illustrative"] is illustrative


def test_answers_never_show_the_store_s_folded_code(writable_api: TestClient, with_x) -> None:
    for path in ("/api/v1/frameworks/EQF", "/api/v1/frameworks/ADM-X-GRADES",
                 "/api/v1/levels/EQF:6", "/api/v1/institutions/EXU"):
        assert "code_key" not in writable_api.get(path).json()["attributes"], path

"""GET /equivalences and the mapping records over real seeded data."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.graph.cypher.equivalence.mappings import CREATE_MAPPING
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from tests.conftest import client_for

EQUIV = "/api/v1/equivalences"


def _targets(body: dict) -> dict[str, dict]:
    return {e["level"]["code"]: e for e in body["equivalences"]}


def test_irish_nfq_8_is_narrower_than_dutch_nlqf_6_through_eqf(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "IE-NFQ:8", "to": "NL-NLQF"}).json()
    found = _targets(body)
    assert list(found) == ["NL-NLQF:6"]
    answer = found["NL-NLQF:6"]
    # IE 8 broadMatch EQF 6 (EQF 6 is broader), NL 6 closeMatch EQF 6 walked backwards.
    assert answer["match_type"] == "broadMatch" and answer["hops"] == 2
    steps = [(s["mapping_id"], s["direction"], s["walked_match_type"]) for s in answer["path"]]
    assert steps == [("map:IE-NFQ:8>EQF:6", "forward", "broadMatch"),
                     ("map:NL-NLQF:6>EQF:6", "backward", "closeMatch")]
    assert all(body["sources"][s["source_id"]]["document"] for s in answer["path"])
    assert answer["confidence"] <= min(s["confidence"] for s in answer["path"])


def test_irish_nfq_7_and_8_both_reach_eqf_6(api: TestClient) -> None:
    for level in ("IE-NFQ:7", "IE-NFQ:8"):
        found = _targets(api.get(EQUIV, params={"from": level, "to": "EQF"}).json())
        assert list(found) == ["EQF:6"] and found["EQF:6"]["match_type"] == "broadMatch"


def test_walking_backwards_from_eqf_6_gives_narrower_irish_levels(api: TestClient) -> None:
    found = _targets(api.get(EQUIV, params={"from": "EQF:6", "to": "IE-NFQ"}).json())
    assert set(found) == {"IE-NFQ:7", "IE-NFQ:8"}
    assert {e["match_type"] for e in found.values()} == {"narrowMatch"}


def test_new_zealand_level_8_has_no_equivalence_with_a_reason(api: TestClient) -> None:
    response = api.get(EQUIV, params={"from": "NZ-NZQCF:8", "to": "EQF"})
    body = response.json()
    assert response.status_code == 200 and body["equivalences"] == []
    # the framework's own reason, from its data (frameworks.csv, column unlevelled)
    assert body["no_equivalence"]["kind"] == "unlevelled"
    assert body["no_equivalence"]["detail"].startswith("NZ-NZQCF:8: unlevelled by agreement")
    assert body["no_equivalence"]["reason_lang"] == "en"
    entry = api.get("/api/v1/frameworks/NZ-NZQCF").json()
    assert any(u.startswith("8: unlevelled by agreement")
               for u in entry["attributes"]["unlevelled"])
    # ... and in French, from the data's French reasons (column unlevelled_fr)
    french = api.get(EQUIV, params={"from": "NZ-NZQCF:8", "to": "EQF", "lang": "fr"}).json()
    assert french["no_equivalence"]["detail"].startswith(
        "NZ-NZQCF:8\u202f: non rattaché par accord")  # French typography too
    assert french["no_equivalence"]["reason_lang"] == "fr"


def _trust(item: dict) -> tuple:
    strength = {"exactMatch": 4, "closeMatch": 3, "broadMatch": 2, "narrowMatch": 2,
                "relatedMatch": 1}[item["match_type"]]
    evidence = {"verified": 2, "unverified": 1, "illustrative": 0}[item["evidence_status"]]
    return (-strength, -evidence, -item["confidence"], item["hops"])


def test_all_frameworks_answer_is_ordered_by_trust_and_grouped_by_framework(
        api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "IE-NFQ:8"}).json()
    items = body["equivalences"]
    assert len(items) >= 10
    # the verified official referencing to EQF 6 comes first, not illustrative grades
    assert items[0]["level"]["code"] == "EQF:6" and items[0]["evidence_status"] == "verified"
    # grouped: each framework's answers are contiguous, in the order `frameworks` gives
    order = [e["level"]["framework"] for e in items]
    assert body["frameworks"] == list(dict.fromkeys(order))
    assert len(body["frameworks"]) == len(set(order))
    groups = [[e for e in items if e["level"]["framework"] == f] for f in body["frameworks"]]
    for group in groups:  # inside a framework: by trust
        assert [_trust(e) for e in group] == sorted(_trust(e) for e in group)
    bests = [_trust(group[0]) for group in groups]  # frameworks: by their best answer
    assert bests == sorted(bests)
    # illustrative answers exist, so the answer says so
    illustrative = [e for e in items if e["illustrative"]]
    assert illustrative and f"{len(illustrative)} of {len(items)}" in body["notice"]


def test_each_distinct_source_is_listed_once_and_referenced_by_id(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "IE-NFQ:8"}).json()
    used = [s["source_id"] for e in body["equivalences"] for s in e["path"]]
    assert set(used) == set(body["sources"])
    listed = [tuple(sorted(src.items())) for src in body["sources"].values()]
    assert len(listed) == len(set(listed))  # no source twice
    assert all("source" not in s for e in body["equivalences"] for s in e["path"])
    assert len(used) > len(body["sources"])  # the shared first step is not repeated


def test_no_notice_when_every_answer_rests_on_verified_evidence(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "IE-NFQ:8", "to": "EQF"}).json()
    assert body["equivalences"] and not any(e["illustrative"] for e in body["equivalences"])
    assert body["notice"] is None


def test_without_a_target_every_reachable_framework_is_answered(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "IE-NFQ:8"}).json()
    frameworks = {e["level"]["framework"] for e in body["equivalences"]}
    assert {"EQF", "NL-NLQF", "QF-EHEA"} <= frameworks and "IE-NFQ" not in frameworks


def test_grade_to_grade_between_example_administrations_is_illustrative(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "ADM-A-GRADES:G5", "to": "ADM-B-GRADES"}).json()
    assert body["equivalences"], body["no_equivalence"]
    first = body["equivalences"][0]
    assert first["illustrative"] is True and first["evidence_status"] == "illustrative"
    assert first["path"][0]["from_level"] == "ADM-A-GRADES:G5"
    assert first["path"][-1]["to_level"] == first["level"]["code"]


def test_a_programme_is_placed_through_its_own_level(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "programme:EXU/PROG-EXU-MSC", "to": "EQF"}).json()
    assert body["from_level"] == "IE-NFQ:9" and body["programme"]["code"] == "EXU/PROG-EXU-MSC"
    # the programme's own code alone still works while only one institution uses it
    alone = api.get(EQUIV, params={"from": "programme:prog-exu-msc", "to": "EQF"}).json()
    assert alone["programme"]["code"] == "EXU/PROG-EXU-MSC" and alone["equivalences"]
    assert list(_targets(body)) == ["EQF:7"]


def test_a_programme_in_an_unreferenced_framework_has_no_equivalence(api: TestClient) -> None:
    body = api.get(EQUIV, params={"from": "programme:PROG-CCES-MCA", "to": "EQF"}).json()
    assert body["from_level"] == "AU-AQF:9" and body["equivalences"] == []
    assert body["no_equivalence"] is not None


def test_paths_all_lists_alternatives_best_first(api: TestClient) -> None:
    best = api.get(EQUIV, params={"from": "UK-SCQF:9", "to": "EQF"}).json()
    every = api.get(EQUIV, params={"from": "UK-SCQF:9", "to": "EQF", "paths": "all",
                                   "depth": 4}).json()
    assert every["total"] >= best["total"]
    assert every["equivalences"][0]["path"] == best["equivalences"][0]["path"]


@pytest.mark.parametrize("params, status", [
    ({"from": "NOPE:1"}, 404), ({"from": "EQF:99"}, 404), ({"from": "EQF:6", "to": "NOPE"}, 404),
    ({"from": "programme:NOPE"}, 404), ({"from": "no-colon"}, 422),
    ({"from": "EQF:6", "depth": 0}, 422), ({"from": "EQF:6", "depth": 6}, 422),
    ({"from": "EQF:6", "include": "rejected"}, 422), ({"from": "EQF:6", "paths": "some"}, 422),
    ({}, 422),
])
def test_bad_equivalence_questions_are_problems(api: TestClient, params, status) -> None:
    response = api.get(EQUIV, params=params)
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")


def test_mappings_are_listed_and_filtered_with_provenance(api: TestClient) -> None:
    page = api.get("/api/v1/mappings", params={"from_framework": "IE-NFQ",
                                               "to_framework": "EQF", "limit": 500}).json()
    assert page["total"] == 10
    one = api.get(f"/api/v1/mappings/{page['items'][0]['id']}").json()
    assert one["method"] == "official_referencing" and one["source"]["document"]
    assert api.get("/api/v1/mappings/map:NOPE").status_code == 404


@pytest.fixture
def own_graph(store: GraphStore) -> Iterator[tuple[GraphStore, TestClient]]:
    """A seeded graph of this test's own, so it may write."""
    seed(store, SEED_DATA_DIR)
    with client_for(store) as client:
        yield store, client


def _add(store: GraphStore, source: str, target: str, match_type: str,
         review_status: str = "accepted", mapping_id: str | None = None) -> None:
    store.write(CREATE_MAPPING, {"from_level": source, "to_level": target, "props": {
        "id": mapping_id or f"test:{source}>{target}", "match_type": match_type,
        "confidence": 0.6, "method": "expert_panel", "review_status": review_status,
        "status": "illustrative", "source_document": "test fixture"}})


def test_proposed_mappings_count_only_when_asked(own_graph) -> None:
    store, client = own_graph
    _add(store, "NZ-NZQCF:8", "EQF:7", "broadMatch", review_status="proposed")
    plain = client.get(EQUIV, params={"from": "NZ-NZQCF:8", "to": "EQF"}).json()
    assert plain["equivalences"] == [] and "proposed" in plain["no_equivalence"]["detail"]
    asked = client.get(EQUIV, params={"from": "NZ-NZQCF:8", "to": "EQF",
                                      "include": "proposed"}).json()
    assert list(_targets(asked)) == ["EQF:7"] and asked["notice"]


def test_quality_report_finds_each_seeded_defect(own_graph) -> None:
    store, client = own_graph
    before = client.get("/api/v1/mappings/quality").json()
    assert {"level": "NZ-NZQCF:8", "framework": "NZ-NZQCF"} in before["unmapped_levels"]
    # contradictory exact matches: one level exactly equal to two different EQF levels
    _add(store, "DE-DQR:6", "EQF:6", "exactMatch", mapping_id="t1")
    _add(store, "DE-DQR:6", "EQF:7", "exactMatch", mapping_id="t2")
    # a cycle that makes IE-NFQ:6 equal to a higher Irish level through NL
    _add(store, "IE-NFQ:6", "NL-NLQF:7", "exactMatch", mapping_id="t3")
    _add(store, "NL-NLQF:7", "IE-NFQ:9", "exactMatch", mapping_id="t4")
    # fan-out: one level broadly inside two levels of one framework
    _add(store, "UK-RQF:3", "NL-NLQF:4", "broadMatch", mapping_id="t5")
    _add(store, "UK-RQF:3", "NL-NLQF:5", "broadMatch", mapping_id="t6")
    report = client.get("/api/v1/mappings/quality").json()
    assert any(c["level"] == "DE-DQR:6" for c in report["contradictory_exact_matches"])
    assert any(c["framework"] == "IE-NFQ" and {c["level"], c["equivalent_to"]} ==
               {"IE-NFQ:6", "IE-NFQ:9"} for c in report["own_framework_cycles"])
    assert any(f["level"] == "UK-RQF:3" and f["framework"] == "NL-NLQF"
               for f in report["fan_out"])
    assert report["defect_count"] > before["defect_count"]

"""POST /portability and GET /job-profiles/{a}/gap/{b}: scoring on a hand-built graph with
known answers, cross-administration targets, training, determinism, bad input."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.domain.vocab import NodeLabel
from app.graph.cypher.operations.seed import merge_nodes, merge_relationships
from app.graph.port import GraphStore
from tests.conftest import client_for

PORT = "/api/v1/portability"
SRC = {"status": "illustrative", "source_document": "test fixture"}


def _nodes(store: GraphStore, label: NodeLabel, rows: list[dict]) -> None:
    store.write_rows(merge_nodes(label), [{**SRC, **r} for r in rows])


def _rels(store: GraphStore, rel: str, a: NodeLabel, b: NodeLabel, rows: list[tuple]) -> None:
    store.write_rows(merge_relationships(rel, a, b), [
        {"from": r[0], "to": r[1], "props": {**SRC, **(r[2] if len(r) > 2 else {})}}
        for r in rows])


@pytest.fixture
def small(store: GraphStore) -> Iterator[TestClient]:
    """Three competencies, four profiles in two administrations, two courses.

    HOLD requires C1 advanced, C2 trained.
    T-FULL requires C1 trained              -> held above: coverage 1.0
    T-HALF requires C1 expert, C3 trained   -> C1 3/4, C3 missing: (0.75 + 0) / 2 = 0.375
    T-B    requires C2 advanced (other admin) -> C2 2/3: 0.6667
    """
    L = NodeLabel
    _nodes(store, L.COMPETENCY, [{"code": c, "name": f"competency {c}"}
                                 for c in ("C1", "C2", "C3")])
    _nodes(store, L.FRAMEWORK, [{"code": f, "name": f} for f in ("GA", "GB", "EQF")])
    _nodes(store, L.LEVEL, [{"code": c, "name": c, "framework": c.split(":")[0], "ordinal": i}
                            for i, c in enumerate(["GA:1", "GA:2", "GB:1", "EQF:5"])])
    _nodes(store, L.ADMINISTRATION, [{"code": "A"}, {"code": "B"}])
    _nodes(store, L.JOB_PROFILE, [
        {"code": "HOLD", "name": "holder", "administration": "A"},
        {"code": "T-FULL", "name": "full", "administration": "A"},
        {"code": "T-HALF", "name": "half", "administration": "A"},
        {"code": "T-B", "name": "other administration", "administration": "B"}])
    _rels(store, "REQUIRES", L.JOB_PROFILE, L.COMPETENCY, [
        ("HOLD", "C1", {"proficiency": "advanced"}), ("HOLD", "C2", {"proficiency": "trained"}),
        ("T-FULL", "C1", {"proficiency": "trained"}),
        ("T-HALF", "C1", {"proficiency": "expert"}), ("T-HALF", "C3", {"proficiency": "trained"}),
        ("T-B", "C2", {"proficiency": "advanced"})])
    _rels(store, "AT_LEVEL", L.JOB_PROFILE, L.LEVEL, [
        ("HOLD", "GA:1"), ("T-FULL", "GA:1"), ("T-HALF", "GA:2"), ("T-B", "GB:1")])
    mapping = {"confidence": 0.8, "review_status": "accepted", "method": "expert_panel"}
    _rels(store, "MAPS_TO", L.LEVEL, L.LEVEL, [
        ("GA:1", "EQF:5", {**mapping, "id": "m1", "match_type": "closeMatch"}),
        ("GB:1", "EQF:5", {**mapping, "id": "m2", "match_type": "broadMatch"})])
    _nodes(store, L.COURSE, [{"code": "K-CHEAP", "name": "cheap", "ects": 5.0},
                             {"code": "K-WIDE", "name": "wide", "ects": 20.0}])
    _rels(store, "DEVELOPS", L.COURSE, L.COMPETENCY, [
        ("K-CHEAP", "C1", {"proficiency": "expert", "review_status": "accepted"}),
        ("K-WIDE", "C1", {"proficiency": "expert", "review_status": "accepted"}),
        ("K-WIDE", "C2", {"proficiency": "expert", "review_status": "accepted"})])
    with client_for(store) as client:
        yield client


def _scores(body: dict) -> list[tuple[str, float]]:
    return [(r["profile"]["code"], r["coverage"]) for r in body["results"]]


def test_targets_are_ranked_by_coverage_with_known_scores(small: TestClient) -> None:
    body = small.post(PORT, json={"from_profile": "HOLD"}).json()
    assert _scores(body) == [("T-FULL", 1.0), ("T-B", 0.6667), ("T-HALF", 0.375)]
    half = body["results"][2]
    assert (half["required"], half["met"], half["partial"], half["missing"]) == (2, 0, 1, 1)
    assert {(g["code"], g["required"], g["held"]) for g in half["gaps"]} == {
        ("C1", "expert", "advanced"), ("C3", "trained", None)}


def test_an_officers_own_profile_is_scored_the_same_way(small: TestClient) -> None:
    body = small.post(PORT, json={"competencies": {"C1": "Advanced", "C2": "trained"}}).json()
    assert _scores(body)[:1] == [("HOLD", 1.0)]
    assert ("T-HALF", 0.375) in _scores(body)


def test_filters_and_min_coverage_narrow_the_targets(small: TestClient) -> None:
    only_b = small.post(PORT, json={"from_profile": "HOLD", "administration": "B"}).json()
    assert _scores(only_b) == [("T-B", 0.6667)]
    strong = small.post(PORT, json={"from_profile": "HOLD", "min_coverage": 0.5}).json()
    assert [c for c, _ in _scores(strong)] == ["T-FULL", "T-B"]


def test_a_target_in_another_administration_shows_the_equivalence_path(
        small: TestClient) -> None:
    body = small.post(PORT, json={"from_profile": "HOLD", "administration": "B"}).json()
    cross = body["results"][0]["equivalence_from_source"]
    # GA:1 closeMatch EQF:5, then GB:1 broadMatch EQF:5 walked backwards = narrowMatch.
    assert cross["level"] == "GB:1" and cross["match_type"] == "narrowMatch"
    assert [s["mapping_id"] for s in cross["path"]] == ["m1", "m2"]
    assert body["results"][0]["level"]["eqf"]["level"] == "EQF:5"


def test_training_closes_gaps_at_least_cost_and_names_uncovered_ones(small: TestClient) -> None:
    body = small.post(PORT, json={"from_profile": "HOLD", "with_training": True}).json()
    half = next(r for r in body["results"] if r["profile"]["code"] == "T-HALF")
    training = half["training"]
    assert [c["code"] for c in training["courses"]] == ["K-CHEAP"]
    assert training["total_cost"] == 5.0 and training["cost_unit"] == "ects"
    assert [u["code"] for u in training["uncovered"]] == ["C3"]
    other = next(r for r in body["results"] if r["profile"]["code"] == "T-B")
    assert [c["code"] for c in other["training"]["courses"]] == ["K-WIDE"]


def test_answers_are_deterministic(small: TestClient) -> None:
    question = {"from_profile": "HOLD", "with_training": True}
    assert small.post(PORT, json=question).json() == small.post(PORT, json=question).json()


def test_gap_between_two_profiles_both_ways(small: TestClient) -> None:
    there = small.get("/api/v1/job-profiles/HOLD/gap/T-HALF").json()
    back = small.get("/api/v1/job-profiles/T-HALF/gap/HOLD").json()
    assert there["from"]["code"] == back["to"]["code"] == "HOLD"
    assert there["coverage"] == 0.375
    # T-HALF holds C1 expert (>= advanced) but not C2: (1 + 0) / 2
    assert back["coverage"] == 0.5 and [g["code"] for g in back["gaps"]] == ["C2"]
    assert small.get("/api/v1/job-profiles/HOLD/gap/NOPE").status_code == 404


@pytest.mark.parametrize("body, locations", [
    ({"competencies": {"NOPE": "advanced", "ALSO-NOPE": "trained"}},
     {"competencies › NOPE", "competencies › ALSO-NOPE"}),
    ({"competencies": {"C1": "guru"}}, {"competencies › C1"}),
    ({"competencies": {}}, {"competencies"}),
    ({"from_profile": "NOPE"}, {"from_profile"}),
    ({}, {"body"}),
    ({"from_profile": "HOLD", "competencies": {"C1": "aware"}}, {"body"}),
    ({"from_profile": "HOLD", "limit": 101}, {"limit"}),
    ({"from_profile": "HOLD", "min_coverage": 1.5}, {"min_coverage"}),
    ({"from_profile": "HOLD", "administration": "NOPE"}, {"administration"}),
])
def test_bad_portability_questions_list_every_problem(small: TestClient, body, locations) -> None:
    response = small.post(PORT, json=body)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    assert locations <= {e["location"] for e in response.json()["errors"]}


def test_seeded_portability_shows_training_and_a_gap_no_course_closes(api: TestClient) -> None:
    body = api.post(PORT, json={"from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 5,
                                "with_training": True}).json()
    assert body["total"] == 5 and all(r["profile"]["illustrative"] for r in body["results"])
    assert any(r["training"]["uncovered"] for r in body["results"])
    assert any(r["training"]["courses"] for r in body["results"])


def test_the_same_question_gets_the_same_answer_on_both_backends(
        seeded_falkordb: GraphStore, seeded_neo4j: GraphStore) -> None:
    question = {"from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 20, "with_training": True}
    answers = []
    for graph in (seeded_falkordb, seeded_neo4j):
        with client_for(graph) as client:
            answers.append(client.post(PORT, json=question).json())
    assert answers[0] == answers[1]


def test_a_course_without_ects_keeps_the_total_in_ects_and_is_named_apart(
        small: TestClient, store: GraphStore) -> None:
    """Issue 25.5: one course without ECTS used to turn the whole training into a course
    count (``total_cost 2.0, cost_unit "courses"``)."""
    _nodes(store, NodeLabel.COURSE, [{"code": "K-NOECTS", "name": "no credits stated"}])
    _rels(store, "DEVELOPS", NodeLabel.COURSE, NodeLabel.COMPETENCY, [
        ("K-NOECTS", "C3", {"proficiency": "trained", "review_status": "accepted"})])
    small.app.state.offer_cache.invalidate()  # type: ignore[attr-defined]
    body = small.post(PORT, json={"from_profile": "HOLD", "with_training": True}).json()
    half = next(r for r in body["results"] if r["profile"]["code"] == "T-HALF")
    training = half["training"]
    assert sorted(c["code"] for c in training["courses"]) == ["K-CHEAP", "K-NOECTS"]
    assert training["cost_unit"] == "ects" and training["total_cost"] == 5.0
    assert training["unpriced_courses"] == [{"code": "K-NOECTS", "name": "no credits stated"}]


def test_portability_answers_in_the_careers_shape_and_says_why_it_is_empty(
        small: TestClient) -> None:
    """Issue 25.7: evidence members and gaps keyed ``code`` as career answers have them; an
    empty list carries its reason (the best coverage, when min_coverage leaves nothing)."""
    body = small.post(PORT, json={"from_profile": "HOLD"}).json()
    assert {"illustrative", "notice", "evidence_status", "reason"} <= set(body)
    assert body["reason"] is None
    assert all(set(g) >= {"code", "name", "required", "held"} and "competency" not in g
               for r in body["results"] for g in r["gaps"])
    empty = small.post(PORT, json={"from_profile": "HOLD", "administration": "B",
                                    "min_coverage": 0.9}).json()
    assert empty["results"] == [] and empty["total"] == 0
    assert empty["reason"] == ("no job profile reaches min_coverage 0.9; the best coverage "
                               "is 0.6667 (T-B)")
    gap = small.get("/api/v1/job-profiles/HOLD/gap/T-HALF").json()
    assert {"illustrative", "notice", "evidence_status"} <= set(gap)
    assert [g["code"] for g in gap["gaps"]] == [g["code"] for g in
                                               small.post(PORT, json={"from_profile": "HOLD"})
                                               .json()["results"][2]["gaps"]]

"""Career paths, career plans and successors over HTTP on the seeded graph, cross-checked
against the seed files and against portability's own gap answers."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.paths import SEED_DATA_DIR

RANK = {"aware": 1, "trained": 2, "advanced": 3, "expert": 4}


def _seed(name: str) -> list[dict[str, str]]:
    with (Path(SEED_DATA_DIR) / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _requirements() -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {}
    for r in _seed("requires.csv"):
        out.setdefault(r["from"], {})[r["to"]] = r["proficiency"]
    return out


# --------------------------------------------------------------------------- career path

@pytest.fixture(scope="module")
def border(api: TestClient) -> dict:
    response = api.get("/api/v1/job-families/JF-BORDER/career-path")
    assert response.status_code == 200
    return response.json()


def test_ladder_holds_every_family_profile_by_rising_cqf_level(border: dict) -> None:
    members = {r["from"] for r in _seed("job_profile_in_family.csv") if r["to"] == "JF-BORDER"}
    on_rungs = {p["code"] for rung in border["rungs"] for ps in rung["streams"].values()
                for p in ps}
    assert on_rungs | {p["code"] for p in border["unplaced"]} == members
    ordinals = [rung["cqf_ordinal"] for rung in border["rungs"]]
    assert ordinals == sorted(set(ordinals))
    for rung in border["rungs"]:
        for profiles in rung["streams"].values():
            assert all(p["cqf"]["ordinal"] == rung["cqf_ordinal"] for p in profiles)


def test_streams_follow_the_documented_rule(border: dict) -> None:
    groups = {r["code"]: r["group"] for r in _seed("competencies_placeholder_illustrative.csv")}
    reqs = _requirements()
    for code, stream in border["streams"].items():
        management = any(groups.get(c) == "MGT" for c in reqs.get(code, {}))
        assert stream == ("management" if management else "specialist")
    assert "management group" in border["stream_rule"]


def test_each_step_gives_the_delta_between_its_two_profiles(border: dict) -> None:
    reqs = _requirements()
    tasks: dict[str, set[str]] = {}
    for r in _seed("performs.csv"):
        tasks.setdefault(r["from"], set()).add(r["to"])
    assert border["steps"]
    for step in border["steps"]:
        low, high = reqs[step["from"]], reqs[step["to"]]
        assert {c["code"] for c in step["new_competencies"]} == set(high) - set(low)
        rising = {c["code"]: (c["from"], c["to"]) for c in step["rising_proficiencies"]}
        assert rising == {c: (low[c], high[c]) for c in set(low) & set(high)
                          if RANK[high[c]] > RANK[low[c]]}
        assert {t["code"] for t in step["tasks_added"]} == (
            tasks.get(step["to"], set()) - tasks.get(step["from"], set()))
        closed = {c for course in step["training"]["courses"] for c in course["closes"]}
        uncovered = {c["code"] for c in step["training"]["uncovered"]}
        assert closed | uncovered == set(rising) | {c["code"] for c in step["new_competencies"]}


def test_career_path_of_an_unknown_family_is_404(api: TestClient) -> None:
    response = api.get("/api/v1/job-families/JF-NOPE/career-path")
    assert response.status_code == 404
    assert response.json()["code"] == "JF-NOPE"


def test_career_path_is_marked_illustrative(border: dict) -> None:
    assert border["illustrative"] is True and border["notice"]


# --------------------------------------------------------------------------- plans

def _plan(api: TestClient, **body: object) -> dict:
    response = api.post("/api/v1/career-plans", json=body)
    assert response.status_code == 200, response.text
    return response.json()


def _gap_coverage(api: TestClient, a: str, b: str) -> float:
    return api.get(f"/api/v1/job-profiles/{a}/gap/{b}").json()["coverage"]


def test_a_plan_moves_step_by_step_to_the_target(api: TestClient) -> None:
    answer = _plan(api, from_profile="JP-ADM-B-03", target_profile="JP-CONTROL-MID_MGR-BORDER")
    plan = answer["plan"]
    steps = plan["steps"]
    assert 1 <= len(steps) <= 4 and steps[-1]["profile"]["code"] == "JP-CONTROL-MID_MGR-BORDER"
    cumulative = [s["cumulative_cost"] for s in steps]
    assert cumulative == sorted(cumulative) and plan["total_cost"] == cumulative[-1]
    assert all(s["coverage_before_training"] >= 0.6 for s in steps)
    # The first move is scored exactly as portability scores the same pair.
    assert steps[0]["coverage_before_training"] == _gap_coverage(
        api, "JP-ADM-B-03", steps[0]["profile"]["code"])
    for step in steps:
        closed = {c for course in step["training"]["courses"] for c in course["closes"]}
        uncovered = {g["code"] for g in step["training"]["uncovered"]}
        assert closed | uncovered == {g["code"] for g in step["gaps"]}
        assert step["cost"] == step["training"]["total_cost"]


def test_a_plan_is_never_dearer_than_the_direct_move(api: TestClient) -> None:
    start, target = "JP-AUDIT-SEN_EXP-VAL", "JP-CLIENT-SEN_EXP-ORIG"
    plan = _plan(api, from_profile=start, target_profile=target)["plan"]
    direct = _plan(api, from_profile=start, target_profile=target, max_steps=1)["plan"]
    if direct is not None:
        assert plan["total_cost"] <= direct["total_cost"]
        if plan["total_cost"] == direct["total_cost"]:
            assert plan["moves"] == 1


def test_competencies_as_a_start_are_taken_as_held(api: TestClient) -> None:
    target = "JP-CONTROL-OFFICER-BORDER"
    held = _requirements()[target]
    answer = _plan(api, competencies=held, target_profile=target)
    steps = answer["plan"]["steps"]
    assert [s["profile"]["code"] for s in steps] == [target]
    assert steps[0]["coverage_before_training"] == 1.0 and answer["plan"]["total_cost"] == 0


def test_no_plan_is_200_with_the_reason(api: TestClient) -> None:
    answer = _plan(api, from_profile="JP-CONTROL-TRAINEE-BORDER",
                   target_profile="JP-CONTROL-STRAT_MGR-LEAD", max_steps=2)
    assert answer["plan"] is None
    reason = answer["reason"]
    assert reason["detail"] and reason["exhausted"] is True
    target = _requirements()["JP-CONTROL-STRAT_MGR-LEAD"]
    for gap in reason["unprovided"]:
        assert target[gap["code"]] == gap["required"]


def test_bad_plan_questions_are_one_problem_naming_each(api: TestClient) -> None:
    response = api.post("/api/v1/career-plans", json={
        "target_profile": "JP-NOPE", "competencies": {"OPS-P01": "guru", "X-NOPE": "aware"},
        "max_steps": 9, "min_step_coverage": 1.5})
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    locations = [e["location"] for e in response.json()["errors"]]
    assert set(locations) == {"target_profile", "min_step_coverage", "max_steps",
                              "competencies › OPS-P01", "competencies › X-NOPE"}


def test_a_start_and_target_both_given_or_neither_is_refused(api: TestClient) -> None:
    response = api.post("/api/v1/career-plans", json={"target_profile": "JP-ADM-A-01"})
    assert response.status_code == 422
    both = api.post("/api/v1/career-plans", json={
        "target_profile": "JP-ADM-A-01", "from_profile": "JP-ADM-A-01",
        "competencies": {"OPS-P01": "aware"}})
    assert {e["location"] for e in both.json()["errors"]} >= {"body", "from_profile"}


# --------------------------------------------------------------------------- successors

def test_successors_are_ranked_by_coverage_of_the_profile(api: TestClient) -> None:
    code = "JP-CONTROL-MID_MGR-BORDER"
    answer = api.get(f"/api/v1/job-profiles/{code}/successors", params={"limit": 5}).json()
    results = answer["results"]
    assert results and code not in [r["profile"]["code"] for r in results]
    scores = [r["coverage"] for r in results]
    assert scores == sorted(scores, reverse=True)
    for r in results:  # the reverse of portability: the candidate's requirements as held
        assert r["coverage"] == _gap_coverage(api, r["profile"]["code"], code)
        assert r["required"] == r["met"] + r["partial"] + r["missing"] == len(
            _requirements()[code])


def test_successors_within_one_administration(api: TestClient) -> None:
    answer = api.get("/api/v1/job-profiles/JP-ADM-A-03/successors",
                     params={"administration": "ADM-A"}).json()
    assert answer["results"]
    assert {r["profile"]["administration"] for r in answer["results"]} == {"ADM-A"}


def test_successors_of_unknown_profile_or_administration(api: TestClient) -> None:
    assert api.get("/api/v1/job-profiles/JP-NOPE/successors").status_code == 404
    bad = api.get("/api/v1/job-profiles/JP-ADM-A-03/successors",
                  params={"administration": "ADM-Z", "limit": 0})
    assert bad.status_code == 422
    assert {e["location"] for e in bad.json()["errors"]} == {"administration", "limit"}


# --------------------------------------------------------------------------- forgiving codes

def test_codes_resolve_in_any_case_to_the_same_answers(api: TestClient, border: dict) -> None:
    assert api.get("/api/v1/job-families/jf-border/career-path").json() == border
    canonical = _plan(api, from_profile="JP-ADM-B-03", target_profile="JP-CONTROL-MID_MGR-BORDER")
    typed = _plan(api, from_profile=" jp-adm-b-03", target_profile="jp-control-mid_mgr-border")
    assert typed == canonical and typed["from_profile"] == "JP-ADM-B-03"
    succ = api.get("/api/v1/job-profiles/JP-ADM-A-03/successors",
                   params={"administration": "ADM-A"}).json()
    assert api.get("/api/v1/job-profiles/jp-adm-a-03/successors",
                   params={"administration": "adm-a"}).json() == succ


def test_a_competency_set_is_one_question_whatever_its_order_or_case(api: TestClient) -> None:
    target = "JP-CONTROL-TEAM_LEAD-BORDER"
    held = _requirements()["JP-CONTROL-OFFICER-BORDER"]
    answer = _plan(api, competencies=held, target_profile=target)
    shuffled = {c.lower(): p.upper() for c, p in sorted(held.items(), reverse=True)}
    again = _plan(api, competencies=shuffled, target_profile=target)
    assert again == answer
    assert answer["competencies"] == dict(sorted(held.items()))


def test_unknown_codes_in_a_career_path_question(api: TestClient) -> None:
    missing = api.get("/api/v1/job-families/jf-nope/career-path")
    assert missing.status_code == 404
    assert missing.headers["content-type"].startswith("application/problem+json")
    bad = api.get("/api/v1/job-families/JF-BORDER/career-path",
                  params={"administration": "ADM-Z"})
    assert bad.status_code == 422
    assert [e["location"] for e in bad.json()["errors"]] == ["administration"]


def test_a_ladder_within_one_administration(api: TestClient, border: dict) -> None:
    answer = api.get("/api/v1/job-families/JF-BORDER/career-path",
                     params={"administration": "adm-a"}).json()
    assert answer["administration"] == "ADM-A"
    codes = {p["code"] for rung in answer["rungs"] for ps in rung["streams"].values()
             for p in ps} | {p["code"] for p in answer["unplaced"]}
    everyone = {p["code"]: p for rung in border["rungs"] for ps in rung["streams"].values()
                for p in ps}
    assert codes == {c for c, p in everyone.items() if p["administration"] == "ADM-A"}
    assert codes


# --------------------------------------------------------------------------- not closable

def test_requirements_no_course_closes_are_named_and_never_free(api: TestClient) -> None:
    """On the seed, some requirements have no course: a plan names them per step, counts
    them, and says it is not achievable by training alone when it leaves any open."""
    courses = {(r["to"], r["proficiency"]) for r in _seed("develops.csv")
               if r["review_status"] == "accepted"}
    seen_open = False
    for start, target in [("JP-ADM-B-03", "JP-CONTROL-MID_MGR-BORDER"),
                          ("JP-CONTROL-TRAINEE-BORDER", "JP-CONTROL-TEAM_LEAD-BORDER"),
                          ("JP-AUDIT-SEN_EXP-VAL", "JP-CLIENT-SEN_EXP-ORIG")]:
        plan = _plan(api, from_profile=start, target_profile=target)["plan"]
        if plan is None:
            continue
        for step in plan["steps"]:
            assert step["not_closable"] == step["training"]["uncovered"]
            for gap in step["not_closable"]:
                assert not any(c == gap["code"] and RANK[p] >= RANK[gap["required"]]
                               for c, p in courses)
        count = sum(len(s["not_closable"]) for s in plan["steps"])
        assert plan["not_closable"] == count
        assert plan["closable_by_training"] is (count == 0)
        assert (plan["note"] is not None) is (count > 0)
        seen_open |= count > 0
    assert seen_open
    assert "not closable by training" in _plan(
        api, from_profile="JP-ADM-B-03", target_profile="JP-CONTROL-MID_MGR-BORDER")["rule"]

"""Portability scoring, ranking, gap analysis and training recommendation (pure domain)."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.errors import DomainError
from app.domain.portability import (
    CourseOffer,
    Gap,
    Proficiency,
    TargetIndex,
    TargetRequirements,
    UnknownProficiency,
    coverage,
    gap_analysis,
    parse_proficiency,
    parse_profile,
    rank_targets,
    recommend_training,
)

AWARE, TRAINED, ADVANCED, EXPERT = (
    Proficiency.AWARE,
    Proficiency.TRAINED,
    Proficiency.ADVANCED,
    Proficiency.EXPERT,
)


def target(code: str, requirements: dict[str, Proficiency]) -> TargetRequirements:
    return TargetRequirements(code=code, name=f"profile {code}", requirements=requirements)


def course(code: str, develops: dict[str, Proficiency], ects: float | None = 5.0) -> CourseOffer:
    return CourseOffer(
        code=code,
        name=f"course {code}",
        institution="INST",
        programme="PROG",
        ects=ects,
        develops=develops,
    )


# --------------------------------------------------------------------------- proficiency


def test_proficiency_levels_are_ordered_aware_trained_advanced_expert():
    assert AWARE < TRAINED < ADVANCED < EXPERT
    assert [p.rank for p in Proficiency] == [1, 2, 3, 4]
    assert [p.code for p in Proficiency] == ["aware", "trained", "advanced", "expert"]
    assert str(EXPERT) == "expert"


def test_proficiency_names_parse_case_insensitively():
    assert parse_proficiency("Advanced") is ADVANCED
    assert parse_proficiency(" EXPERT ") is EXPERT
    assert parse_profile({"C1": "aware", "C2": "TRAINED"}) == {"C1": AWARE, "C2": TRAINED}


def test_unknown_proficiency_names_are_all_listed_in_one_error():
    with pytest.raises(UnknownProficiency) as caught:
        parse_profile({"C1": "guru", "C2": "trained", "C3": "Master", "C4": "guru"})
    error = caught.value
    assert error.names == ["guru", "Master"]
    assert "'guru'" in str(error) and "'Master'" in str(error)
    assert "aware, trained, advanced, expert" in str(error)
    assert isinstance(error, DomainError) and isinstance(error, ValueError)


def test_target_requirements_given_as_names_are_parsed_and_checked():
    assert target("P", {"C1": "advanced"}).requirements == {"C1": ADVANCED}  # type: ignore[dict-item]
    with pytest.raises(UnknownProficiency):
        target("P", {"C1": "superb"})  # type: ignore[dict-item]


# --------------------------------------------------------------------------- coverage


def test_score_of_a_hand_worked_example():
    requirements = {"A": ADVANCED, "B": TRAINED, "C": EXPERT, "D": AWARE}
    holder = {"A": EXPERT, "B": AWARE, "C": TRAINED, "E": EXPERT}
    # A: expert >= advanced -> met, 1
    # B: aware (1) below trained (2) -> partial, 1/2
    # C: trained (2) below expert (4) -> partial, 2/4
    # D: not held -> missing, 0
    # E: not required -> ignored
    # score = (1 + 1/2 + 1/2 + 0) / 4 = 0.5
    report = coverage(holder, requirements)
    assert report.score == 0.5
    assert (report.required, report.met, report.partial, report.missing) == (4, 1, 2, 1)
    # largest shortfall first (C: 4-2 = 2), then by code (B: 1, D: 1)
    assert report.gaps == (
        Gap("C", EXPERT, TRAINED),
        Gap("B", TRAINED, AWARE),
        Gap("D", AWARE, None),
    )


def test_partial_credit_in_thirds_is_rounded_to_four_decimals():
    # trained (2) against advanced (3) = 2/3 -> 0.6667
    assert coverage({"X": TRAINED}, {"X": ADVANCED}).score == 0.6667
    # (1/3 + 2/3) / 2 = 0.5 exactly
    assert coverage({"X": AWARE, "Y": TRAINED}, {"X": ADVANCED, "Y": ADVANCED}).score == 0.5


def test_full_coverage_scores_one():
    requirements = {"A": AWARE, "B": EXPERT}
    report = coverage(dict(requirements), requirements)
    assert report.score == 1.0
    assert report.gaps == ()
    assert report.met == 2


def test_nothing_held_scores_zero():
    report = coverage({"OTHER": EXPERT}, {"A": AWARE, "B": EXPERT})
    assert report.score == 0.0
    assert (report.met, report.partial, report.missing) == (0, 0, 2)
    assert coverage({}, {"A": AWARE}).score == 0.0


def test_held_above_requirement_counts_as_met():
    report = coverage({"A": EXPERT}, {"A": AWARE})
    assert report.score == 1.0
    assert report.met == 1 and report.gaps == ()


def test_target_without_requirements_has_no_score():
    report = coverage({"A": EXPERT}, {})
    assert report.score is None
    assert report.required == 0 and report.gaps == ()


def test_gap_analysis_works_in_both_directions():
    a = {"X": EXPERT, "Y": TRAINED}
    b = {"X": ADVANCED, "Y": ADVANCED, "Z": AWARE}
    # a -> b: X met (1), Y trained vs advanced (2/3), Z missing (0): (1 + 2/3) / 3 = 0.5556
    forward = gap_analysis(a, b)
    assert forward.score == 0.5556
    assert forward.gaps == (Gap("Y", ADVANCED, TRAINED), Gap("Z", AWARE, None))
    # b -> a: X advanced vs expert (3/4), Y advanced >= trained (1): (3/4 + 1) / 2 = 0.875
    backward = gap_analysis(b, a)
    assert backward.score == 0.875
    assert backward.gaps == (Gap("X", EXPERT, ADVANCED),)


# --------------------------------------------------------------------------- ranking


def test_ranking_orders_by_score_descending():
    holder = {"A": EXPERT, "B": TRAINED}
    targets = [
        target("LOW", {"A": EXPERT, "Z": EXPERT}),  # 0.5
        target("HIGH", {"A": ADVANCED}),  # 1.0
        target("MID", {"A": EXPERT, "B": EXPERT}),  # (1 + 2/4) / 2 = 0.75
    ]
    ranked = rank_targets(holder, targets)
    assert [(r.code, r.score) for r in ranked] == [("HIGH", 1.0), ("MID", 0.75), ("LOW", 0.5)]
    assert ranked[1].coverage.gaps == (Gap("B", EXPERT, TRAINED),)


def test_ties_are_broken_by_code():
    holder = {"A": TRAINED}
    same = {"A": ADVANCED, "B": AWARE}
    ranked = rank_targets(holder, [target("P-2", same), target("P-10", same), target("P-1", same)])
    assert [r.code for r in ranked] == ["P-1", "P-10", "P-2"]


def test_equal_scores_prefer_more_met_requirements_then_fewer_gaps():
    holder = {"A": TRAINED, "B": AWARE, "H": AWARE}
    targets = [
        # 0.5 with nothing met: B aware vs trained = 1/2
        target("A-NONE-MET", {"B": TRAINED}),
        # 0.5, A met, C missing: (1 + 0) / 2 -> met 1, 1 gap
        target("C-ONE-GAP", {"A": TRAINED, "C": TRAINED}),
        # 0.5, A met, B and H half, Z missing: (1 + 1/2 + 1/2 + 0) / 4 -> met 1, 3 gaps
        target("B-THREE-GAPS", {"A": TRAINED, "B": TRAINED, "H": TRAINED, "Z": TRAINED}),
    ]
    ranked = rank_targets(holder, targets)
    assert {r.score for r in ranked} == {0.5}
    assert [r.code for r in ranked] == ["C-ONE-GAP", "B-THREE-GAPS", "A-NONE-MET"]


def test_ranking_applies_min_coverage_limit_and_exclude():
    holder = {"A": EXPERT}
    targets = [
        target("SELF", {"A": EXPERT}),
        target("HALF", {"A": EXPERT, "B": AWARE}),
        target("THIRD", {"A": EXPERT, "B": AWARE, "C": AWARE}),
        target("NONE", {"Q": AWARE}),
        target("EMPTY", {}),
    ]
    for candidates in (targets, TargetIndex(targets)):
        everything = rank_targets(holder, candidates, limit=None, exclude={"SELF"})
        assert [r.code for r in everything] == ["HALF", "THIRD", "NONE"]  # EMPTY left out
        assert [r.code for r in rank_targets(holder, candidates, limit=1)] == ["SELF"]
        at_least_third = rank_targets(holder, candidates, min_coverage=0.3333, limit=None)
        assert [r.code for r in at_least_third] == ["SELF", "HALF", "THIRD"]
        assert rank_targets(holder, candidates, limit=0) == []


def test_min_coverage_is_compared_with_the_reported_rounded_score():
    ranked = rank_targets({"X": TRAINED}, [target("P", {"X": ADVANCED})], min_coverage=0.6667)
    assert [r.score for r in ranked] == [0.6667]


def test_ranking_refuses_duplicate_codes_and_bad_arguments():
    twice = [target("P", {"A": AWARE}), target("P", {"B": AWARE})]
    with pytest.raises(ValueError, match="duplicate"):
        rank_targets({}, twice)
    with pytest.raises(ValueError, match="duplicate"):
        TargetIndex(twice)
    with pytest.raises(ValueError):
        rank_targets({}, [], min_coverage=1.5)
    with pytest.raises(ValueError):
        rank_targets({}, [], limit=-1)


# --------------------------------------------------------------------------- properties

competency_codes = st.sampled_from([f"C{i}" for i in range(12)])
proficiencies = st.sampled_from(list(Proficiency))
profiles = st.dictionaries(competency_codes, proficiencies, max_size=8)
requirement_sets = st.dictionaries(competency_codes, proficiencies, min_size=1, max_size=8)


@st.composite
def target_lists(draw) -> list[TargetRequirements]:
    requirement_list = draw(st.lists(profiles, max_size=15))
    return [target(f"T{i:02d}", r) for i, r in enumerate(requirement_list)]


def summary(ranked) -> list[tuple]:
    return [(r.code, r.score, r.coverage.met, r.coverage.gaps) for r in ranked]


@settings(max_examples=200)
@given(
    holder=profiles,
    targets=target_lists(),
    seed=st.integers(0, 2**32),
    limit=st.one_of(st.none(), st.integers(0, 20)),
    min_coverage=st.sampled_from([0.0, 0.25, 0.5, 1.0]),
)
def test_ranking_is_deterministic_under_shuffled_input(holder, targets, seed, limit, min_coverage):
    rng = random.Random(seed)
    shuffled = []
    for t in rng.sample(targets, len(targets)):
        items = list(t.requirements.items())
        rng.shuffle(items)
        shuffled.append(target(t.code, dict(items)))
    holder_items = list(holder.items())
    rng.shuffle(holder_items)
    args = {"limit": limit, "min_coverage": min_coverage}

    expected = summary(rank_targets(holder, targets, **args))
    assert summary(rank_targets(dict(holder_items), shuffled, **args)) == expected
    assert summary(rank_targets(holder, TargetIndex(shuffled), **args)) == expected
    # and the order is the documented one
    full = rank_targets(holder, targets, limit=None)
    keys = [(-r.score, -r.coverage.met, r.coverage.gap_count, r.code) for r in full]
    assert keys == sorted(keys)


@given(holder=profiles, requirements=requirement_sets)
def test_score_lies_between_zero_and_one_and_counts_add_up(holder, requirements):
    report = coverage(holder, requirements)
    assert report.score is not None and 0.0 <= report.score <= 1.0
    assert report.met + report.partial + report.missing == report.required == len(requirements)
    assert len(report.gaps) == report.partial + report.missing
    assert (report.score == 1.0) == (report.met == report.required)
    assert (report.score == 0.0) == (report.met == report.partial == 0)


@given(holder=profiles, requirements=requirement_sets, competency=competency_codes, data=st.data())
def test_raising_a_held_proficiency_never_lowers_a_score(holder, requirements, competency, data):
    current = holder.get(competency)
    higher = data.draw(st.sampled_from([p for p in Proficiency if current is None or p >= current]))
    raised = {**holder, competency: higher}
    assert coverage(raised, requirements).score >= coverage(holder, requirements).score


# --------------------------------------------------------------------------- training


def test_greedy_picks_the_cheaper_course_set():
    gaps = [Gap(c, TRAINED, None) for c in "ABCD"]
    courses = [
        course("BIG", {c: ADVANCED for c in "ABCD"}, ects=10),  # 2.5 ECTS per gap
        course("S1", {"A": TRAINED, "B": EXPERT}, ects=4),  # 2 per gap
        course("S2", {"C": TRAINED, "D": TRAINED}, ects=4),  # 2 per gap
    ]
    plan = recommend_training(gaps, courses)
    assert [pc.course.code for pc in plan.courses] == ["S1", "S2"]
    assert plan.total_cost == 8.0 and plan.cost_unit == "ects"
    assert [g.competency for g in plan.courses[0].closes] == ["A", "B"]
    assert plan.uncovered == ()


def test_courses_made_redundant_by_a_later_pick_are_dropped():
    gaps = [Gap(c, AWARE, None) for c in "ABC"]
    courses = [
        course("X", {"A": AWARE}, ects=1),
        course("Y", {"B": AWARE}, ects=1),
        course("Z", {"A": AWARE, "B": AWARE, "C": AWARE}, ects=3.3),
    ]
    # greedy alone: X (1/gap), Y (1/gap), then Z for C = 5.3; X and Y are then redundant
    plan = recommend_training(gaps, courses)
    assert [pc.course.code for pc in plan.courses] == ["Z"]
    assert plan.total_cost == 3.3


def test_course_below_the_required_proficiency_does_not_close_the_gap():
    plan = recommend_training([Gap("A", ADVANCED, AWARE)], [course("C1", {"A": TRAINED})])
    assert plan.courses == ()
    assert plan.uncovered == (Gap("A", ADVANCED, AWARE),)


def test_gaps_no_known_course_closes_are_reported():
    gaps = [Gap("A", TRAINED, None), Gap("B", EXPERT, AWARE)]
    plan = recommend_training(gaps, [course("C1", {"A": EXPERT})])
    assert [pc.course.code for pc in plan.courses] == ["C1"]
    assert plan.uncovered == (Gap("B", EXPERT, AWARE),)


def test_cost_stays_in_ects_when_a_candidate_lacks_ects():
    gaps = [Gap("X", TRAINED, None), Gap("Y", TRAINED, None)]
    courses = [
        course("A", {"X": TRAINED, "Y": TRAINED}, ects=10),
        course("B", {"X": TRAINED}, ects=None),
        course("C", {"Y": TRAINED}, ects=1),
    ]
    plan = recommend_training(gaps, courses)
    # a plan of courses with ECTS comes before one leaning on a course without them
    assert plan.cost_unit == "ects"
    assert [pc.course.code for pc in plan.courses] == ["A"]
    assert plan.total_cost == 10.0 and plan.unpriced == ()


def test_a_course_without_ects_is_named_apart_and_not_priced_as_free():
    gaps = [Gap("X", TRAINED, None), Gap("Y", TRAINED, None)]
    courses = [course("B", {"X": TRAINED}, ects=None), course("C", {"Y": TRAINED}, ects=1),
               course("D", {"Y": TRAINED}, ects=None)]
    plan = recommend_training(gaps, courses)
    assert sorted(pc.course.code for pc in plan.courses) == ["B", "C"]  # not D, "free"
    assert plan.cost_unit == "ects" and plan.total_cost == 1.0
    assert [pc.course.code for pc in plan.unpriced] == ["B"]


def test_a_course_closing_no_gap_does_not_switch_the_cost_unit():
    gaps = [Gap("X", TRAINED, None)]
    courses = [course("A", {"X": TRAINED}, ects=2.5), course("B", {"Q": EXPERT}, ects=None)]
    plan = recommend_training(gaps, courses)
    assert plan.cost_unit == "ects" and plan.total_cost == 2.5


def test_equal_cost_per_gap_prefers_more_gaps_then_code():
    gaps = [Gap(c, AWARE, None) for c in "ABC"]
    courses = [
        course("Z-PAIR", {"A": AWARE, "B": AWARE}, ects=2),  # 1 per gap, 2 gaps
        course("B-ONE", {"A": AWARE}, ects=1),  # 1 per gap, 1 gap
        course("Y-C", {"C": AWARE}, ects=1),
        course("X-C", {"C": AWARE}, ects=1),
    ]
    plan = recommend_training(gaps, courses)
    assert [pc.course.code for pc in plan.courses] == ["Z-PAIR", "X-C"]


def test_ects_totals_are_exact_decimals():
    gaps = [Gap("A", AWARE, None), Gap("B", AWARE, None)]
    plan = recommend_training(
        gaps, [course("C1", {"A": AWARE}, 0.1), course("C2", {"B": AWARE}, 0.2)]
    )
    assert plan.total_cost == 0.3


def test_negative_ects_is_refused():
    with pytest.raises(ValueError):
        course("C1", {"A": AWARE}, ects=-1)


gap_lists = st.lists(
    st.builds(Gap, competency_codes, proficiencies, st.one_of(st.none(), proficiencies)),
    max_size=10,
)


@st.composite
def course_lists(draw) -> list[CourseOffer]:
    offers = draw(
        st.lists(
            st.tuples(
                profiles,
                st.one_of(st.none(), st.sampled_from([0.5, 1.0, 2.5, 5.0, 10.0])),
            ),
            max_size=8,
        )
    )
    return [course(f"K{i}", develops, ects) for i, (develops, ects) in enumerate(offers)]


@settings(max_examples=200)
@given(gaps=gap_lists, courses=course_lists(), seed=st.integers(0, 2**32))
def test_set_cover_closes_every_coverable_gap_and_reports_the_rest(gaps, courses, seed):
    plan = recommend_training(gaps, courses)
    strongest: dict[str, Gap] = {}
    for g in gaps:
        if g.competency not in strongest or g.required > strongest[g.competency].required:
            strongest[g.competency] = g
    coverable = {c for c, g in strongest.items() if any(k.closes(g) for k in courses)}

    covered = [g.competency for g in plan.covered]
    assert sorted(covered) == sorted(coverable)  # each coverable gap exactly once
    assert {g.competency for g in plan.uncovered} == set(strongest) - coverable
    for planned in plan.courses:
        assert planned.closes, "every chosen course closes at least one gap"
        assert all(planned.course.closes(g) for g in planned.closes)
    assert plan.total_cost == pytest.approx(sum(pc.cost for pc in plan.courses))

    shuffled = random.Random(seed).sample(courses, len(courses))
    again = recommend_training(list(reversed(gaps)), shuffled)
    assert [pc.course.code for pc in again.courses] == [pc.course.code for pc in plan.courses]
    assert again.total_cost == plan.total_cost

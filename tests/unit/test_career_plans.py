"""Career plans (pure domain): property tests against a brute-force enumeration of every
sequence of moves, plus the rules a user relies on (steps, monotone cost, direct move, target
last, deterministic answers, requirements no course closes never priced as free training)."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.careers import CareerPlan, NoPlan, plan_career
from app.domain.careers.plan import after_move
from app.domain.portability import (
    CourseOffer,
    Proficiency,
    TargetIndex,
    TargetRequirements,
    coverage,
    recommend_training,
    weight,
)

COMPETENCIES = [f"C{i}" for i in range(6)]
levels = st.sampled_from(list(Proficiency))


def profile_st(code: str) -> st.SearchStrategy[TargetRequirements]:
    reqs = st.dictionaries(st.sampled_from(COMPETENCIES), levels, min_size=1, max_size=4)
    return reqs.map(lambda r: TargetRequirements(code, code, r))


offers_st = st.lists(
    st.tuples(st.dictionaries(st.sampled_from(COMPETENCIES), levels, min_size=1, max_size=3),
              st.one_of(st.none(), st.sampled_from([2.0, 5.0, 7.5, 10.0]))),
    max_size=4,
).map(lambda rows: [CourseOffer(f"K{i}", f"K{i}", None, None, ects, dev)
                    for i, (dev, ects) in enumerate(rows)])

instance_st = st.tuples(
    st.lists(st.integers(0, 99), min_size=3, max_size=5, unique=True).flatmap(
        lambda ids: st.tuples(*[profile_st(f"P{i:02d}") for i in ids])),
    offers_st,
    st.dictionaries(st.sampled_from(COMPETENCIES), levels, max_size=4),
    st.integers(1, 4),
    st.sampled_from([0.0, 0.3, 0.6]),
)


def _weight(training) -> float:  # type: ignore[no-untyped-def]
    """ECTS, a course without ECTS weighing UNPRICED (never free, never a unit switch)."""
    return float(sum((weight(c.course.ects) for c in training.courses), Fraction(0)))


def brute_force(holder, profiles, target, offers, min_cov, max_steps):  # type: ignore[no-untyped-def]
    """Every sequence of distinct profiles ending at the target: the least (requirements no
    course closes, cost, steps)."""
    costed = offers
    others = [p for p in profiles if p.code != target.code]
    best = None
    for n in range(0, max_steps):
        for middle in itertools.permutations(others, n):
            current, total, unclosed, ok = dict(holder), 0.0, 0, True
            for p in (*middle, target):
                report = coverage(current, p.requirements)
                if round(report.score or 0.0, 4) < min_cov:
                    ok = False
                    break
                training = recommend_training(report.gaps, costed)
                total += _weight(training)
                unclosed += len(training.uncovered)
                current = after_move(current, p.requirements, training)
            if ok and (best is None or (unclosed, round(total, 6), n + 1) < best):
                best = (unclosed, round(total, 6), n + 1)
    return best


@settings(max_examples=150, deadline=None)
@given(instance_st, st.data())
def test_plan_is_the_cheapest_sequence_within_max_steps(instance, data) -> None:  # type: ignore[no-untyped-def]
    profiles, offers, holder, max_steps, min_cov = instance
    target = data.draw(st.sampled_from(profiles))
    answer = plan_career(holder, target.code, TargetIndex(profiles), offers,
                         min_step_coverage=min_cov, max_steps=max_steps)
    expected = brute_force(holder, profiles, target, offers, min_cov, max_steps)
    if expected is None:
        assert isinstance(answer, NoPlan)
        return
    assert isinstance(answer, CareerPlan)
    weighed = sum(_weight(s.training) for s in answer.steps)
    assert (answer.not_closable, round(weighed, 6), len(answer.steps)) == expected
    # the total is always ECTS: the priced courses' ECTS; the others are named apart
    ects = sum(c.course.ects or 0 for s in answer.steps for c in s.training.courses)
    assert answer.cost_unit == "ects" and round(answer.total_cost, 6) == round(ects, 6)
    assert {o.code for o in answer.unpriced} == {
        c.course.code for s in answer.steps for c in s.training.courses if c.course.ects is None}


@settings(max_examples=150, deadline=None)
@given(instance_st, st.data())
def test_plan_shape_steps_cost_and_target(instance, data) -> None:  # type: ignore[no-untyped-def]
    profiles, offers, holder, max_steps, min_cov = instance
    target = data.draw(st.sampled_from(profiles))
    answer = plan_career(holder, target.code, TargetIndex(profiles), offers,
                         min_step_coverage=min_cov, max_steps=max_steps)
    if isinstance(answer, NoPlan):
        return
    assert 1 <= len(answer.steps) <= max_steps
    assert answer.steps[-1].profile == target.code
    cumulative = [s.cumulative_cost for s in answer.steps]
    assert cumulative == sorted(cumulative)
    assert all(s.cost >= 0 for s in answer.steps)
    assert answer.total_cost == cumulative[-1]
    assert all(s.coverage >= min_cov for s in answer.steps)
    # Requirements no course closes are named with their step, are gaps of that step, cost
    # nothing in ECTS and are counted, so the plan never passes for complete training.
    for step in answer.steps:
        assert set(step.not_closable) <= set(step.gaps)
        assert not any(o.closes(g) for g in step.not_closable for o in offers)
        assert all(any(o.closes(g) for o in offers) for c in step.training.courses
                   for g in c.closes)
    assert answer.not_closable == sum(len(s.not_closable) for s in answer.steps)
    assert answer.closable_by_training == (answer.not_closable == 0)


@settings(max_examples=150, deadline=None)
@given(instance_st, st.data())
def test_direct_move_is_chosen_when_it_is_cheapest(instance, data) -> None:  # type: ignore[no-untyped-def]
    profiles, offers, holder, max_steps, min_cov = instance
    target = data.draw(st.sampled_from(profiles))
    report = coverage(holder, target.requirements)
    if round(report.score or 0.0, 4) < min_cov:
        return
    training = recommend_training(report.gaps, offers)
    direct = (len(training.uncovered), round(_weight(training), 6))
    answer = plan_career(holder, target.code, TargetIndex(profiles), offers,
                         min_step_coverage=min_cov, max_steps=max_steps)
    assert isinstance(answer, CareerPlan)
    found = (answer.not_closable, round(sum(_weight(s.training) for s in answer.steps), 6))
    assert found <= direct
    if found == direct:
        assert [s.profile for s in answer.steps] == [target.code]


@settings(max_examples=60, deadline=None)
@given(instance_st, st.data())
def test_answer_does_not_depend_on_input_order(instance, data) -> None:  # type: ignore[no-untyped-def]
    profiles, offers, holder, max_steps, min_cov = instance
    target = data.draw(st.sampled_from(profiles))
    shuffled = list(profiles)
    random.Random(data.draw(st.integers(0, 1000))).shuffle(shuffled)
    a = plan_career(holder, target.code, TargetIndex(profiles), offers,
                    min_step_coverage=min_cov, max_steps=max_steps)
    b = plan_career(holder, target.code, TargetIndex(shuffled), list(reversed(offers)),
                    min_step_coverage=min_cov, max_steps=max_steps)
    assert a == b


def test_a_stepping_stone_reaches_a_target_too_far_for_a_direct_move() -> None:
    a = Proficiency.ADVANCED
    target = TargetRequirements("T", "target", {"X": a, "Z": a, "W": a, "V": a})
    stone = TargetRequirements("S", "stone", {"X": a, "Z": a})
    offers = [CourseOffer("Z1", "z", None, None, 5.0, {"Z": a}),
              CourseOffer("WV", "wv", None, None, 10.0, {"W": a, "V": a})]
    holder = {"X": a}  # covers a quarter of the target: below 0.5, no direct move
    plan = plan_career(holder, "T", TargetIndex([target, stone]), offers,
                       min_step_coverage=0.5, max_steps=2)
    assert isinstance(plan, CareerPlan)
    assert [s.profile for s in plan.steps] == ["S", "T"]
    assert [s.cumulative_cost for s in plan.steps] == [5.0, 15.0]
    assert plan.total_cost == 15.0 and plan.cost_unit == "ects" and plan.closable_by_training
    assert isinstance(plan_career(holder, "T", TargetIndex([target, stone]), offers,
                                  min_step_coverage=0.5, max_steps=1), NoPlan)


def test_a_move_no_course_can_close_is_not_free_training() -> None:
    a = Proficiency.ADVANCED
    target = TargetRequirements("T", "target", {"X": a, "Z": a})
    # The stone requires Z at expert and no course develops that: entering it leaves Z open.
    # Priced at 0 ECTS it would look cheaper than the direct move's 30 ECTS; it is not.
    stone = TargetRequirements("S", "stone", {"X": a, "Q": a, "Z": Proficiency.EXPERT})
    big = CourseOffer("BIG", "big", None, None, 30.0, {"Z": a})
    holder = {"X": a, "Q": a}
    plan = plan_career(holder, "T", TargetIndex([target, stone]), [big],
                       min_step_coverage=0.5, max_steps=2)
    assert isinstance(plan, CareerPlan)
    assert [s.profile for s in plan.steps] == ["T"]
    assert plan.total_cost == 30.0 and plan.closable_by_training
    # Without any course, every route leaves Z open: the plan says so and names it per step.
    bare = plan_career(holder, "T", TargetIndex([target, stone]), [],
                       min_step_coverage=0.5, max_steps=2)
    assert isinstance(bare, CareerPlan)
    assert not bare.closable_by_training and bare.not_closable == 1
    assert [s.profile for s in bare.steps] == ["T"]
    assert [(g.competency, g.required) for g in bare.steps[0].not_closable] == [("Z", a)]


def test_fewest_unclosable_requirements_win_over_cost() -> None:
    a, e = Proficiency.ADVANCED, Proficiency.EXPERT
    # V at expert: no course, so every route leaves it open once. The stone also leaves Z at
    # expert open (BIG reaches advanced only) and would cost 0 ECTS against the direct 50.
    target = TargetRequirements("T", "target", {"X": a, "Z": a, "V": e})
    stone = TargetRequirements("S", "stone", {"X": a, "Z": e, "V": e})
    big = CourseOffer("BIG", "big", None, None, 50.0, {"Z": a})
    plan = plan_career({"X": a}, "T", TargetIndex([target, stone]), [big],
                       min_step_coverage=0.3, max_steps=2)
    assert isinstance(plan, CareerPlan) and not plan.closable_by_training
    assert [s.profile for s in plan.steps] == ["T"]
    assert plan.not_closable == 1 and plan.total_cost == 50.0
    assert [g.competency for g in plan.steps[0].not_closable] == ["V"]


def test_no_plan_names_the_requirements_nothing_provides() -> None:
    target = TargetRequirements("T", "target", {"X": Proficiency.EXPERT, "Z": Proficiency.AWARE})
    other = TargetRequirements("O", "other", {"X": Proficiency.TRAINED})
    answer = plan_career({"X": Proficiency.TRAINED}, "T", TargetIndex([target, other]), [],
                         min_step_coverage=0.9, max_steps=3)
    assert isinstance(answer, NoPlan)
    assert answer.exhausted
    assert [(g.competency, g.required) for g in answer.unprovided] == [
        ("X", Proficiency.EXPERT), ("Z", Proficiency.AWARE)]

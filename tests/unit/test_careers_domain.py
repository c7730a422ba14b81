"""The CQF table's aggregation and the ladder's rules (pure domain)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.domain.careers import (
    FamilyProfile,
    Requirement,
    aggregate_level,
    build_ladder,
    median_proficiency,
)
from app.domain.portability import CourseOffer, Proficiency

P = Proficiency


@given(st.lists(st.sampled_from(list(P)), min_size=1, max_size=30))
def test_median_is_a_proficiency_that_occurs_and_splits_the_list(levels: list[P]) -> None:
    median = median_proficiency(levels)
    assert median in levels
    assert sum(x <= median for x in levels) * 2 >= len(levels)
    assert sum(x >= median for x in levels) * 2 >= len(levels) - 1


def test_group_aggregate_counts_requirements_and_profiles() -> None:
    reqs = [Requirement("A", "m1", "MGT", P.TRAINED), Requirement("A", "m2", "MGT", P.EXPERT),
            Requirement("B", "m1", "MGT", P.ADVANCED), Requirement("B", "o1", "OPS", P.AWARE)]
    out = aggregate_level(reqs, {"A": ["t1", "t2"], "B": ["t2"]})
    mgt = out.groups["MGT"]
    assert (mgt.median, mgt.requirements, mgt.profiles) == (P.ADVANCED, 3, 2)
    assert mgt.top_competencies[0] == ("m1", 2)
    assert out.tasks == (("t2", 2), ("t1", 1))


def test_ladder_branches_into_streams_and_steps_from_the_same_stream() -> None:
    groups = {"lead": "MGT", "x": "OPS", "y": "OPS"}
    profiles = [
        FamilyProfile("OFF", "officer", 2, {"x": P.TRAINED}, frozenset({"t1"})),
        FamilyProfile("EXP", "expert", 3, {"x": P.ADVANCED, "y": P.TRAINED},
                      frozenset({"t1", "t2"})),
        FamilyProfile("MGR", "manager", 3, {"x": P.TRAINED, "lead": P.TRAINED}),
        FamilyProfile("LOST", "unplaced", None, {"x": P.AWARE}),
    ]
    offers = [CourseOffer("C1", "c1", None, None, 5.0, {"x": P.ADVANCED, "y": P.ADVANCED})]
    ladder = build_ladder(profiles, groups, offers)
    assert [r.rank for r in ladder.rungs] == [2, 3]
    assert ladder.rungs[1].branches
    assert ladder.rungs[1].streams == {"specialist": ("EXP",), "management": ("MGR",)}
    assert ladder.unplaced == ("LOST",)
    expert = next(s for s in ladder.steps if s.to_profile == "EXP")
    assert expert.from_profile == "OFF"
    assert [(g.competency, g.held, g.required) for g in expert.rising] == [
        ("x", P.TRAINED, P.ADVANCED)]
    assert [g.competency for g in expert.new_competencies] == ["y"]
    assert expert.tasks_added == ("t2",)
    assert [c.course.code for c in expert.training.courses] == ["C1"]
    manager = next(s for s in ladder.steps if s.to_profile == "MGR")
    assert manager.from_profile == "OFF"  # no management profile below: from any
    assert manager.training.uncovered[0].competency == "lead"

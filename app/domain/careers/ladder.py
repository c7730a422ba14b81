"""A job family's career ladder: profiles by CQF level, streams, and the delta of each step.

Rules
-----
* Rungs: the family's profiles placed on the CQF (by the service, through the equivalence
  engine) grouped by CQF ordinal, lowest first. Profiles that cannot be placed are listed
  apart, never guessed onto a rung.
* Streams: a profile is on the ``management`` stream when it requires at least one
  competency of the management group (``MGT``); otherwise on the ``specialist`` stream.
  Where a rung holds profiles of both streams the ladder branches.
* Steps: each profile above the lowest rung is reached from the nearest lower rung that has
  profiles: from a profile of the same stream when there is one, otherwise from any; among
  those, the one whose requirements cover this profile's best (portability's coverage),
  ties by code.
* Delta of a step: competencies newly required, proficiencies that rise (from -> to), tasks
  added, and the courses that close the gaps at least cost (portability's training cover).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from app.domain.portability import (
    CourseOffer,
    Gap,
    Proficiency,
    TrainingPlan,
    coverage,
    recommend_training,
)

MANAGEMENT_GROUP = "MGT"
STREAMS = ("specialist", "management")


@dataclass(frozen=True)
class FamilyProfile:
    code: str
    name: str
    rank: int | None  # CQF ordinal the profile is placed at; None when it cannot be placed
    requirements: Mapping[str, Proficiency]
    tasks: frozenset[str] = field(default_factory=frozenset[str])


def stream_of(profile: FamilyProfile, groups: Mapping[str, str]) -> str:
    """``management`` when the profile requires any management-group competency."""
    if any(groups.get(c) == MANAGEMENT_GROUP for c in profile.requirements):
        return "management"
    return "specialist"


@dataclass(frozen=True)
class StepDelta:
    from_profile: str
    to_profile: str
    coverage: float | None  # of the upper profile's requirements by the lower one's
    new_competencies: tuple[Gap, ...]  # held None
    rising: tuple[Gap, ...]  # held = the lower profile's proficiency
    tasks_added: tuple[str, ...]
    training: TrainingPlan


@dataclass(frozen=True)
class StepShape:
    """A step before its training: what rests on the profiles alone (a course write changes
    none of it)."""

    from_profile: str
    to_profile: str
    coverage: float | None
    new_competencies: tuple[Gap, ...]
    rising: tuple[Gap, ...]
    tasks_added: tuple[str, ...]
    gaps: tuple[Gap, ...]  # every gap of the step, as coverage lists them: what training closes


Trainer = Callable[[tuple[Gap, ...]], TrainingPlan]


@dataclass(frozen=True)
class Rung:
    rank: int
    streams: dict[str, tuple[str, ...]]  # stream -> profile codes (only non-empty streams)

    @property
    def branches(self) -> bool:
        return len(self.streams) > 1


@dataclass(frozen=True)
class Ladder:
    rungs: tuple[Rung, ...]
    steps: tuple[StepDelta, ...]
    unplaced: tuple[str, ...]
    streams: dict[str, str]  # profile code -> stream


@dataclass(frozen=True)
class LadderShape:
    """A ladder before the training of its steps (``trained`` adds it)."""

    rungs: tuple[Rung, ...]
    steps: tuple[StepShape, ...]
    unplaced: tuple[str, ...]
    streams: dict[str, str]


def _predecessor(profile: FamilyProfile, below: Sequence[FamilyProfile],
                 streams: Mapping[str, str]) -> FamilyProfile:
    same = [p for p in below if streams[p.code] == streams[profile.code]]
    pool = same or list(below)

    def key(p: FamilyProfile) -> tuple[float, str]:
        score = coverage(p.requirements, profile.requirements).score
        return (-(score or 0.0), p.code)

    return min(pool, key=key)


def relevant_offers(gaps: Iterable[Gap],
                    by_competency: Mapping[str, Sequence[CourseOffer]]) -> list[CourseOffer]:
    """The offers closing at least one gap (the set cover's only candidates, so its plan is
    the same as from every offer, without scanning them all for every gap)."""
    seen: dict[str, CourseOffer] = {}
    for gap in gaps:
        for offer in by_competency.get(gap.competency, ()):
            if offer.develops[gap.competency] >= gap.required:
                seen.setdefault(offer.code, offer)
    return list(seen.values())


def offers_by_competency(offers: Iterable[CourseOffer]) -> dict[str, list[CourseOffer]]:
    index: dict[str, list[CourseOffer]] = {}
    for offer in offers:
        for competency in offer.develops:
            index.setdefault(competency, []).append(offer)
    return index


def _shape(lower: FamilyProfile, upper: FamilyProfile) -> StepShape:
    report = coverage(lower.requirements, upper.requirements)
    new = tuple(sorted((g for g in report.gaps if g.held is None), key=lambda g: g.competency))
    rising = tuple(sorted((g for g in report.gaps if g.held is not None),
                          key=lambda g: g.competency))
    return StepShape(lower.code, upper.code, report.score, new, rising,
                     tuple(sorted(upper.tasks - lower.tasks)), tuple(report.gaps))


def offers_trainer(offers: Iterable[CourseOffer]) -> Trainer:
    """The least-cost training of a step's gaps over ``offers``."""
    index = offers_by_competency(offers)
    return lambda gaps: recommend_training(gaps, relevant_offers(gaps, index))


def ladder_shape(profiles: Iterable[FamilyProfile], groups: Mapping[str, str]) -> LadderShape:
    """The family's ladder without training; ``groups`` maps competency code -> competency
    group code."""
    members = sorted(profiles, key=lambda p: p.code)
    streams = {p.code: stream_of(p, groups) for p in members}
    placed = [p for p in members if p.rank is not None]
    ranks = sorted({p.rank for p in placed if p.rank is not None})
    by_rank = {r: [p for p in placed if p.rank == r] for r in ranks}
    rungs = tuple(
        Rung(r, {s: tuple(p.code for p in by_rank[r] if streams[p.code] == s)
                 for s in STREAMS if any(streams[p.code] == s for p in by_rank[r])})
        for r in ranks)
    steps: list[StepShape] = []
    for lower_rank, upper_rank in zip(ranks, ranks[1:], strict=False):
        for profile in by_rank[upper_rank]:
            steps.append(_shape(_predecessor(profile, by_rank[lower_rank], streams), profile))
    unplaced = tuple(p.code for p in members if p.rank is None)
    return LadderShape(rungs, tuple(steps), unplaced, streams)


def trained(shape: LadderShape, train: Trainer) -> Ladder:
    """The ladder with each step's training (``train`` of its gaps)."""
    steps = tuple(StepDelta(s.from_profile, s.to_profile, s.coverage, s.new_competencies,
                            s.rising, s.tasks_added, train(s.gaps)) for s in shape.steps)
    return Ladder(shape.rungs, steps, shape.unplaced, shape.streams)


def build_ladder(profiles: Iterable[FamilyProfile], groups: Mapping[str, str],
                 offers: Iterable[CourseOffer]) -> Ladder:
    """The family's ladder; ``groups`` maps competency code -> competency group code."""
    return trained(ladder_shape(profiles, groups), offers_trainer(offers))

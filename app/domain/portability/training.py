"""Training that closes gaps at least cost: a greedy weighted set cover."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal

from app.domain.portability.proficiency import Proficiency, as_profile
from app.domain.portability.scoring import Gap, gap_order

# --------------------------------------------------------------------------- training

CostUnit = Literal["ects", "courses"]


@dataclass(frozen=True, eq=False)
class CourseOffer:
    """A course (or programme) and the competencies it develops, at which proficiency."""

    code: str
    name: str
    institution: str | None
    programme: str | None
    ects: float | None
    develops: Mapping[str, Proficiency]

    def __post_init__(self) -> None:
        if self.ects is not None and not (self.ects >= 0):  # also refuses NaN
            raise ValueError(f"course {self.code}: ects must be >= 0, got {self.ects!r}")
        object.__setattr__(self, "develops", as_profile(self.develops))

    def closes(self, gap: Gap) -> bool:
        level = self.develops.get(gap.competency)
        return level is not None and level >= gap.required


@dataclass(frozen=True, slots=True)
class PlannedCourse:
    course: CourseOffer
    closes: tuple[Gap, ...]  # the gaps attributed to this course (no gap listed twice)
    cost: float  # in the plan's cost unit


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    courses: tuple[PlannedCourse, ...]  # in the order the greedy picked them
    total_cost: float
    cost_unit: CostUnit
    uncovered: tuple[Gap, ...]  # gaps that no candidate course closes

    @property
    def covered(self) -> tuple[Gap, ...]:
        return tuple(g for pc in self.courses for g in pc.closes)


@lru_cache(maxsize=4096)  # a handful of distinct ECTS values, asked for by every plan
def _exact(ects: float) -> Fraction:
    # Decimal reading of the float, so 0.1 + 0.2 sums to 0.3 exactly.
    return Fraction(repr(float(ects)))


def _cost(ects: float | None, unit: CostUnit) -> Fraction:
    """A course's cost: its ECTS when every candidate has them, else one course."""
    return _exact(ects) if unit == "ects" and ects is not None else Fraction(1)


def recommend_training(gaps: Iterable[Gap], courses: Iterable[CourseOffer]) -> TrainingPlan:
    """Cheapest-first greedy set cover of ``gaps`` by ``courses``; see the module docstring.

    Gaps on the same competency are merged, keeping the highest requirement.
    """
    merged: dict[str, Gap] = {}
    for gap in gaps:
        prior = merged.get(gap.competency)
        if prior is None or gap.required > prior.required:
            merged[gap.competency] = gap
    wanted = sorted(merged.values(), key=lambda g: g.competency)

    by_code: dict[str, CourseOffer] = {}
    for course in courses:
        if course.code in by_code:
            raise ValueError(f"duplicate course code: {course.code}")
        by_code[course.code] = course

    closes: dict[str, frozenset[str]] = {}
    for code, course in by_code.items():
        hit = frozenset(g.competency for g in wanted if course.closes(g))
        if hit:
            closes[code] = hit
    candidates = sorted(closes)

    unit: CostUnit = "ects" if all(by_code[c].ects is not None for c in candidates) else "courses"
    cost: dict[str, Fraction] = {c: _cost(by_code[c].ects, unit) for c in candidates}

    coverable: frozenset[str] = frozenset[str]().union(*closes.values())
    open_gaps = set(coverable)
    picked: list[str] = []
    ratios: dict[tuple[str, int], Fraction] = {}  # cost per new gap, reused across rounds
    while open_gaps:
        best: tuple[Fraction, int, str] | None = None
        for c in candidates:
            new = len(closes[c] & open_gaps)
            if not new:
                continue
            ratio = ratios.get((c, new))
            if ratio is None:
                ratio = ratios[(c, new)] = cost[c] / new
            key = (ratio, -new, c)
            if best is None or key < best:
                best = key
        assert best is not None  # every open gap is coverable
        picked.append(best[2])
        open_gaps -= closes[best[2]]

    # Drop courses whose gaps are all closed by the other kept courses, most expensive first.
    kept = list(picked)
    for c in sorted(picked, key=lambda c: (-cost[c], c)):
        others = [o for o in kept if o != c]
        rest = frozenset[str]().union(*(closes[o] for o in others))
        if closes[c] <= rest:
            kept = others

    attributed: set[str] = set()
    planned: list[PlannedCourse] = []
    for c in kept:
        mine = tuple(
            merged[comp]
            for comp in sorted(closes[c] - attributed, key=lambda x: gap_order(merged[x]))
        )
        attributed |= closes[c]
        planned.append(PlannedCourse(by_code[c], mine, float(cost[c])))

    uncovered = tuple(sorted((g for g in wanted if g.competency not in coverable), key=gap_order))
    return TrainingPlan(
        courses=tuple(planned),
        total_cost=float(sum((cost[c] for c in kept), Fraction(0))),
        cost_unit=unit,
        uncovered=uncovered,
    )

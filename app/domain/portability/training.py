"""Training that closes gaps at least cost: a greedy weighted set cover.

Costs are always ECTS. A course that states no ECTS is never priced as free and never turns
the plan into a course count: it weighs :data:`UNPRICED` in the choice (so a plan of courses
with ECTS is preferred whenever one closes the same gaps), is left out of ``total_cost`` and
is named in ``unpriced`` so the answer can say so."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import lcm
from typing import Literal

from app.domain.portability.proficiency import Proficiency, as_profile
from app.domain.portability.scoring import Gap, gap_order

# --------------------------------------------------------------------------- training

CostUnit = Literal["ects"]
# The weight of a course without ECTS in the choice: more than any plan's ECTS, so fewer
# unpriced courses always come first, then fewer ECTS.
UNPRICED = Fraction(1_000_000)


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
    cost: float  # ECTS (0 for a course that states none: see ``TrainingPlan.unpriced``)


@dataclass(frozen=True, slots=True)
class TrainingPlan:
    courses: tuple[PlannedCourse, ...]  # in the order the greedy picked them
    total_cost: float  # ECTS of the courses that state them
    cost_unit: CostUnit
    uncovered: tuple[Gap, ...]  # gaps that no candidate course closes

    @property
    def covered(self) -> tuple[Gap, ...]:
        return tuple(g for pc in self.courses for g in pc.closes)

    @property
    def unpriced(self) -> tuple[PlannedCourse, ...]:
        """The plan's courses that state no ECTS (not in ``total_cost``)."""
        return tuple(pc for pc in self.courses if pc.course.ects is None)


@lru_cache(maxsize=4096)  # a handful of distinct ECTS values, asked for by every plan
def _exact(ects: float) -> Fraction:
    # Decimal reading of the float, so 0.1 + 0.2 sums to 0.3 exactly.
    return Fraction(repr(float(ects)))


def weight(ects: float | None) -> Fraction:
    """A course's weight in the choice: its ECTS, or :data:`UNPRICED` when it states none."""
    return _exact(ects) if ects is not None else UNPRICED


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

    # What each course closes, walking the few competencies it develops (not every gap for
    # every course: that pairing was half of a with_training answer at the ESCO size).
    need = {g.competency: g.required for g in wanted}
    closes: dict[str, frozenset[str]] = {}
    for code, course in by_code.items():
        hit = frozenset(comp for comp, level in course.develops.items()
                        if (required := need.get(comp)) is not None and level >= required)
        if hit:
            closes[code] = hit
    candidates = sorted(closes)

    cost: dict[str, Fraction] = {c: weight(by_code[c].ects) for c in candidates}

    coverable: frozenset[str] = frozenset[str]().union(*closes.values())
    open_gaps = set(coverable)
    picked: list[str] = []
    # Costs as integers over a common denominator: cost per new gap compared exactly by
    # cross-multiplying (a/n < b/m  <=>  a*m < b*n), without Fraction arithmetic per pair.
    scale = lcm(*(cost[c].denominator for c in candidates)) if candidates else 1
    whole = {c: cost[c].numerator * (scale // cost[c].denominator) for c in candidates}
    while open_gaps:
        best, best_cost, best_new = "", 0, 0
        for c in candidates:  # in code order: on a full tie the first code stays
            new = len(closes[c] & open_gaps)
            if not new:
                continue
            here, there = whole[c] * best_new, best_cost * new
            if not best_new or here < there or (here == there and new > best_new):
                best, best_cost, best_new = c, whole[c], new
        assert best_new  # every open gap is coverable
        picked.append(best)
        open_gaps -= closes[best]

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
        ects = by_code[c].ects
        planned.append(PlannedCourse(by_code[c], mine, float(_exact(ects)) if ects else 0.0))

    uncovered = tuple(sorted((g for g in wanted if g.competency not in coverable), key=gap_order))
    return TrainingPlan(
        courses=tuple(planned),
        total_cost=float(sum((_exact(e) for c in kept if (e := by_code[c].ects) is not None),
                             Fraction(0))),
        cost_unit="ects",
        uncovered=uncovered,
    )

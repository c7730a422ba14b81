"""Staff portability and gap analysis: pure domain logic (no web framework, no database).

Vocabulary
----------
* **Proficiency** -- the CQF proficiency scale, ordered ``aware`` (rank 1) < ``trained`` (2)
  < ``advanced`` (3) < ``expert`` (4); the codes are those of the ``ProficiencyLevel`` nodes.
* **Competency profile** -- a mapping ``competency code -> Proficiency``. It is either what a
  holder *has* (an officer's own competency set, or the requirements of the job profile they
  hold now, taken as what they have) or what a target *requires* (a ``JobProfile``'s
  ``REQUIRES`` edges).
* **Gap** -- one required competency the holder does not hold at the required proficiency:
  ``Gap(competency, required, held)`` with ``held`` ``None`` when it is not held at all.

Coverage score
--------------
For a holder profile H and a target's requirements R (n = number of required competencies):

    Each required competency c, required at proficiency r, contributes a credit:
    1 if H holds c at rank r or above ("met"); h / r if H holds c at a lower rank h
    ("partially met"; e.g. trained against advanced = 2/3); 0 if H does not hold c
    ("missing"). The coverage score is the sum of the credits divided by n, rounded to
    4 decimal places, so it lies in [0, 1]: 1.0 exactly when every requirement is met,
    0.0 exactly when none of the required competencies is held. Competencies the holder
    has that the target does not require neither add nor subtract. A target with no
    requirements has no score (None) and is left out of rankings.

The counts reported alongside are ``required`` (n), ``met``, ``partial`` (held below the
requirement), ``missing`` (not held); ``met + partial + missing == required``, and the gaps
are the ``partial + missing`` requirements. Raising any held proficiency (or adding a
competency) never lowers a score.

Credits are computed exactly (in twelfths: every h / r with h, r in 1..4 is a whole number of
twelfths), so equal scores compare equal regardless of input order.

Ranking
-------
``rank_targets`` orders candidate targets by exact score descending, then ``met``
descending, then number of gaps ascending, then target ``code`` ascending; the result does
not depend on the order of the input. ``min_coverage`` is compared with the reported
(rounded) score, so a target shown with score 0.6667 passes ``min_coverage=0.6667``.
Targets without requirements, and those whose code is in ``exclude``, are skipped.
For repeated queries against the same targets build a ``TargetIndex`` once and pass it
instead of the list: it scores only the targets sharing a competency with the holder.

Training recommendation
-----------------------
``recommend_training`` is a greedy weighted set cover. A course *closes* a gap when it
develops that competency at or above the required proficiency. Cost: the course's ECTS
when every candidate course (a course that closes at least one of the gaps) states its
ECTS; otherwise every candidate costs 1 and the unit is a course count (mixing ECTS with
guesses would make the comparison meaningless). Each round picks the course with the
lowest cost per newly closed gap (ties: more newly closed gaps, then course code); then
courses made redundant by later picks are dropped (most expensive first), which never
raises the cost. Each covered gap is attributed to the first kept course that closes it.
Gaps that no candidate closes are reported as uncovered.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import IntEnum
from fractions import Fraction
from typing import Literal

from app.domain.errors import DomainError

__all__ = [
    "Proficiency",
    "UnknownProficiency",
    "parse_proficiency",
    "parse_profile",
    "Gap",
    "CoverageReport",
    "coverage",
    "gap_analysis",
    "TargetRequirements",
    "TargetIndex",
    "RankedTarget",
    "rank_targets",
    "CourseOffer",
    "PlannedCourse",
    "TrainingPlan",
    "CostUnit",
    "recommend_training",
]


# --------------------------------------------------------------------------- proficiency


class UnknownProficiency(DomainError, ValueError):
    """One or more proficiency names are not on the CQF scale."""

    def __init__(self, names: list[str]) -> None:
        self.names = list(names)
        self.allowed = [p.code for p in Proficiency]
        shown = ", ".join(repr(n) for n in self.names)
        super().__init__(
            f"unknown proficiency level(s): {shown}; expected one of: {', '.join(self.allowed)}"
        )


class Proficiency(IntEnum):
    """CQF proficiency scale; the value is the rank (1..4)."""

    AWARE = 1
    TRAINED = 2
    ADVANCED = 3
    EXPERT = 4

    @property
    def code(self) -> str:
        """The ``ProficiencyLevel`` node code: ``aware``, ``trained``, ``advanced``, ``expert``."""
        return self.name.lower()

    @property
    def rank(self) -> int:
        return int(self.value)

    def __str__(self) -> str:
        return self.code

    @classmethod
    def parse(cls, name: str | Proficiency) -> Proficiency:
        """Parse one name case-insensitively (surrounding blanks ignored)."""
        return parse_proficiency(name)


def _lookup(name: object) -> Proficiency | None:
    if isinstance(name, Proficiency):
        return name
    if isinstance(name, str):
        return Proficiency.__members__.get(name.strip().upper())
    return None


def parse_proficiency(name: str | Proficiency) -> Proficiency:
    """Parse one proficiency name; raises ``UnknownProficiency``."""
    found = _lookup(name)
    if found is None:
        raise UnknownProficiency([str(name)])
    return found


def parse_profile(profile: Mapping[str, str | Proficiency]) -> dict[str, Proficiency]:
    """Turn ``{competency: name}`` into a competency profile.

    Every unknown name is collected before raising one ``UnknownProficiency`` that lists
    them all (in input order, without repeats).
    """
    out: dict[str, Proficiency] = {}
    unknown: list[str] = []
    for competency, name in profile.items():
        found = _lookup(name)
        if found is None:
            text = str(name)
            if text not in unknown:
                unknown.append(text)
        else:
            out[competency] = found
    if unknown:
        raise UnknownProficiency(unknown)
    return out


def _as_profile(profile: Mapping[str, str | Proficiency]) -> dict[str, Proficiency]:
    if all(type(v) is Proficiency for v in profile.values()):
        return dict(profile)  # type: ignore[arg-type]
    return parse_profile(profile)


# --------------------------------------------------------------------------- scoring

_UNITS = 12  # credits are counted in twelfths: h/r is a whole number of twelfths for h,r<=4
# _CREDIT[h][r]: credit (in twelfths) of holding rank h (0 = not held) against required rank r.
_CREDIT: tuple[tuple[int, ...], ...] = tuple(
    tuple(0 if r == 0 else (_UNITS if h >= r else _UNITS * h // r) for r in range(5))
    for h in range(5)
)


def _score(units: int, n: int) -> float:
    return round(units / (_UNITS * n), 4)


@dataclass(frozen=True, slots=True)
class Gap:
    """A required competency not held at the required proficiency (``held`` None: not held)."""

    competency: str
    required: Proficiency
    held: Proficiency | None = None

    @property
    def shortfall(self) -> int:
        """Ranks missing: ``required - held`` (``held`` counts 0 when not held)."""
        return self.required.rank - (self.held.rank if self.held is not None else 0)


def _gap_order(gap: Gap) -> tuple[int, str]:
    return (-gap.shortfall, gap.competency)


@dataclass(frozen=True, slots=True)
class CoverageReport:
    """Coverage of a holder against requirements; see the module docstring for ``score``.

    ``gaps`` is ordered by shortfall (largest first), then competency code.
    """

    score: float | None
    required: int
    met: int
    partial: int
    missing: int
    gaps: tuple[Gap, ...]

    @property
    def gap_count(self) -> int:
        return self.partial + self.missing


def coverage(
    holder: Mapping[str, Proficiency], requirements: Mapping[str, Proficiency]
) -> CoverageReport:
    """Score ``holder`` against ``requirements`` and list the gaps."""
    holder = _as_profile(holder)
    requirements = _as_profile(requirements)
    units = met = partial = 0
    gaps: list[Gap] = []
    for competency, required in requirements.items():
        held = holder.get(competency)
        if held is None:
            gaps.append(Gap(competency, required, None))
        elif held >= required:
            met += 1
            units += _UNITS
        else:
            partial += 1
            units += _CREDIT[held][required]
            gaps.append(Gap(competency, required, held))
    n = len(requirements)
    gaps.sort(key=_gap_order)
    return CoverageReport(
        score=_score(units, n) if n else None,
        required=n,
        met=met,
        partial=partial,
        missing=n - met - partial,
        gaps=tuple(gaps),
    )


def gap_analysis(
    a_requirements: Mapping[str, Proficiency], b_requirements: Mapping[str, Proficiency]
) -> CoverageReport:
    """The gap for moving from profile ``a`` to profile ``b``.

    ``a``'s requirements are taken as what the holder has; ``b``'s as what is required.
    Swap the arguments for the other direction.
    """
    return coverage(a_requirements, b_requirements)


# --------------------------------------------------------------------------- ranking


@dataclass(frozen=True, eq=False)
class TargetRequirements:
    """A target (usually a ``JobProfile``) and what it requires.

    ``requirements`` values may be given as names; they are parsed (``UnknownProficiency``).
    """

    code: str
    name: str
    requirements: Mapping[str, Proficiency]
    administration: str | None = None
    level: str | None = None
    family: str | None = None
    _ranks: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        profile = _as_profile(self.requirements)
        object.__setattr__(self, "requirements", profile)
        object.__setattr__(self, "_ranks", {c: int(p) for c, p in profile.items()})


@dataclass(frozen=True, slots=True)
class RankedTarget:
    target: TargetRequirements
    coverage: CoverageReport

    @property
    def code(self) -> str:
        return self.target.code

    @property
    def name(self) -> str:
        return self.target.name

    @property
    def score(self) -> float:
        assert self.coverage.score is not None  # ranked targets always have requirements
        return self.coverage.score


class TargetIndex:
    """Targets prepared once for repeated ranking (inverted index competency -> targets).

    Build it when the candidate set is loaded; ``rank_targets`` then touches only the
    requirement edges of competencies the holder has.
    """

    __slots__ = ("targets", "_postings", "_n", "_zero_order")

    def __init__(self, targets: Iterable[TargetRequirements]) -> None:
        given = tuple(targets)
        _check_unique(given)
        self.targets: tuple[TargetRequirements, ...] = tuple(t for t in given if t.requirements)
        postings: dict[str, list[tuple[int, int]]] = {}
        for pos, target in enumerate(self.targets):
            for competency, rank in target._ranks.items():
                postings.setdefault(competency, []).append((pos, rank))
        self._postings = postings
        self._n = [len(t._ranks) for t in self.targets]
        # Order of targets scoring 0 (nothing held): fewer gaps first, then code.
        self._zero_order = sorted(
            range(len(self.targets)), key=lambda p: (self._n[p], self.targets[p].code)
        )

    def __len__(self) -> int:
        return len(self.targets)


def _check_unique(targets: Sequence[TargetRequirements]) -> None:
    seen: set[str] = set()
    dupes: list[str] = []
    for t in targets:
        if t.code in seen:
            dupes.append(t.code)
        seen.add(t.code)
    if dupes:
        raise ValueError(f"duplicate target codes: {', '.join(sorted(set(dupes)))}")


# Packed accumulator for the index path: twelfths in bits 0..23, met in 24..47, held in 48+.
_MET = 1 << 24
_HELD = 1 << 48
_MASK = (1 << 24) - 1
_PACKED: tuple[tuple[int, ...], ...] = tuple(
    tuple(
        0 if h == 0 or r == 0 else _CREDIT[h][r] + _HELD + (_MET if h >= r else 0) for r in range(5)
    )
    for h in range(5)
)


def rank_targets(
    holder: Mapping[str, Proficiency],
    targets: Sequence[TargetRequirements] | TargetIndex,
    *,
    min_coverage: float = 0.0,
    limit: int | None = 10,
    exclude: Iterable[str] = frozenset(),
) -> list[RankedTarget]:
    """Rank ``targets`` by coverage of ``holder``; see the module docstring for the order.

    ``limit`` None returns every target reaching ``min_coverage``. Gaps are computed only
    for the targets returned. Raises ``ValueError`` on duplicate target codes or a
    ``min_coverage`` outside [0, 1] or a negative ``limit``.
    """
    if not 0.0 <= min_coverage <= 1.0:
        raise ValueError("min_coverage must be between 0 and 1")
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")
    profile = _as_profile(holder)
    # Per holder competency: packed credit by required rank (see _PACKED).
    table = {c: _PACKED[p] for c, p in profile.items()}
    excluded = exclude if isinstance(exclude, set | frozenset) else set(exclude)
    if isinstance(targets, TargetIndex):
        chosen = _rank_index(table, targets, min_coverage, limit, excluded)
    else:
        rows = _rows_from_list(table, targets, min_coverage, excluded)
        chosen = _best(rows, limit)
    return [RankedTarget(t, coverage(profile, t.requirements)) for _, t in chosen]


_Row = tuple[tuple[float, int, int, str], TargetRequirements]


def _row_key(row: _Row) -> tuple[float, int, int, str]:
    return row[0]


def _best(rows: list[_Row], limit: int | None) -> list[_Row]:
    """Rows in ranking order, (-exact score, -met, gaps, code), cut to ``limit``."""
    if limit is None or limit >= len(rows):
        return sorted(rows, key=_row_key)
    return heapq.nsmallest(limit, rows, key=_row_key)


def _row(packed: int, n: int, target: TargetRequirements, min_coverage: float) -> _Row | None:
    units = packed & _MASK
    met = (packed >> 24) & _MASK
    exact = units / (_UNITS * n)
    if min_coverage and round(exact, 4) < min_coverage:
        return None
    return ((-exact, -met, n - met, target.code), target)


def _rows_from_list(
    table: dict[str, tuple[int, ...]],
    targets: Sequence[TargetRequirements],
    min_coverage: float,
    excluded: set[str] | frozenset[str],
) -> list[_Row]:
    rows: list[_Row] = []
    seen: set[str] = set()
    held = set(table)
    for t in targets:
        code = t.code
        if code in seen:
            raise ValueError(f"duplicate target codes: {code}")
        seen.add(code)
        req = t._ranks
        if not req or code in excluded:
            continue
        if held.isdisjoint(req):  # cheap, and the common case on a large graph
            if not min_coverage:
                rows.append(((-0.0, 0, len(req), code), t))
            continue
        packed = 0
        for c in held.intersection(req):
            packed += table[c][req[c]]
        row = _row(packed, len(req), t, min_coverage)
        if row is not None:
            rows.append(row)
    return rows


def _rank_index(
    table: dict[str, tuple[int, ...]],
    index: TargetIndex,
    min_coverage: float,
    limit: int | None,
    excluded: set[str] | frozenset[str],
) -> list[_Row]:
    acc: dict[int, int] = {}
    get = acc.get
    postings = index._postings
    for competency, row in table.items():
        plist = postings.get(competency)
        if plist is not None:
            for pos, r in plist:
                acc[pos] = get(pos, 0) + row[r]
    targets = index.targets
    ns = index._n
    rows: list[_Row] = []
    for pos, packed in acc.items():
        t = targets[pos]
        if t.code not in excluded:
            ranked = _row(packed, ns[pos], t, min_coverage)
            if ranked is not None:
                rows.append(ranked)
    chosen = _best(rows, limit)
    if min_coverage <= 0.0 and (limit is None or len(chosen) < limit):
        # Every touched target scores > 0, so targets sharing no competency with the holder
        # (score 0) come after them, already in ranking order (fewer gaps, then code).
        for pos in index._zero_order:
            if limit is not None and len(chosen) >= limit:
                break
            t = targets[pos]
            if pos not in acc and t.code not in excluded:
                chosen.append(((-0.0, 0, ns[pos], t.code), t))
    return chosen


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
        object.__setattr__(self, "develops", _as_profile(self.develops))

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


def _exact(ects: float) -> Fraction:
    # Decimal reading of the float, so 0.1 + 0.2 sums to 0.3 exactly.
    return Fraction(repr(float(ects)))


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
    cost: dict[str, Fraction] = {
        c: _exact(by_code[c].ects) if unit == "ects" else Fraction(1)  # type: ignore[arg-type]
        for c in candidates
    }

    coverable = frozenset().union(*closes.values()) if closes else frozenset()
    open_gaps = set(coverable)
    picked: list[str] = []
    while open_gaps:
        best: tuple[Fraction, int, str] | None = None
        for c in candidates:
            new = len(closes[c] & open_gaps)
            if not new:
                continue
            key = (cost[c] / new, -new, c)
            if best is None or key < best:
                best = key
        assert best is not None  # every open gap is coverable
        picked.append(best[2])
        open_gaps -= closes[best[2]]

    # Drop courses whose gaps are all closed by the other kept courses, most expensive first.
    kept = list(picked)
    for c in sorted(picked, key=lambda c: (-cost[c], c)):
        others = [o for o in kept if o != c]
        rest = frozenset().union(*(closes[o] for o in others)) if others else frozenset()
        if closes[c] <= rest:
            kept = others

    attributed: set[str] = set()
    planned: list[PlannedCourse] = []
    for c in kept:
        mine = tuple(
            merged[comp]
            for comp in sorted(closes[c] - attributed, key=lambda x: _gap_order(merged[x]))
        )
        attributed |= closes[c]
        planned.append(PlannedCourse(by_code[c], mine, float(cost[c])))

    uncovered = tuple(sorted((g for g in wanted if g.competency not in coverable), key=_gap_order))
    return TrainingPlan(
        courses=tuple(planned),
        total_cost=float(sum((cost[c] for c in kept), Fraction(0))),
        cost_unit=unit,
        uncovered=uncovered,
    )

"""Ranking candidate targets by coverage, with an inverted index for repeated questions."""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import compress, filterfalse

from app.domain.portability.proficiency import Proficiency, as_profile
from app.domain.portability.scoring import CREDIT, UNITS, CoverageReport, coverage

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
    # the requirements as plain int ranks, for the scoring loops (derived, read-only)
    ranks: dict[str, int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        profile = as_profile(self.requirements)
        object.__setattr__(self, "requirements", profile)
        object.__setattr__(self, "ranks", {c: int(p) for c, p in profile.items()})


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
    requirement edges of competencies the holder has. Postings are grouped by required rank
    (one credit per group for a given held rank) and the accumulator is a list indexed by
    target position: at the ESCO-sized graph a holder touches 2,000-5,000 postings and about
    2,000 of the 3,000 targets, so the per-posting and per-target work is what counts.
    """

    __slots__ = ("targets", "_postings", "_n", "_units", "_zero_order", "_position")

    def __init__(self, targets: Iterable[TargetRequirements]) -> None:
        given = tuple(targets)
        _check_unique(given)
        self.targets: tuple[TargetRequirements, ...] = tuple(t for t in given if t.requirements)
        by_rank: dict[str, list[list[int]]] = {}
        for pos, target in enumerate(self.targets):
            for competency, rank in target.ranks.items():
                by_rank.setdefault(competency, [[], [], [], [], []])[rank].append(pos)
        # competency -> ((required rank, positions of the targets requiring it so), ...)
        self._postings: dict[str, tuple[tuple[int, tuple[int, ...]], ...]] = {
            c: tuple((r, tuple(ps)) for r, ps in enumerate(lists) if ps)
            for c, lists in by_rank.items()
        }
        self._n = [len(t.ranks) for t in self.targets]
        self._units = [UNITS * n for n in self._n]  # the exact score's denominator
        self._position = {t.code: pos for pos, t in enumerate(self.targets)}
        # Order of targets scoring 0 (nothing held): fewer gaps first, then code.
        self._zero_order = sorted(
            range(len(self.targets)), key=lambda p: (self._n[p], self.targets[p].code)
        )

    def __len__(self) -> int:
        return len(self.targets)

    def rank(
        self,
        table: dict[str, tuple[int, ...]],
        min_coverage: float,
        limit: int | None,
        excluded: set[str] | frozenset[str],
    ) -> list[_Row]:
        """The ranking's first ``limit`` rows (``table``: see ``rank_targets``)."""
        acc = [0] * len(self.targets)
        for competency, row in table.items():
            plist = self._postings.get(competency)
            if plist is not None:
                for rank, positions in plist:
                    credit = row[rank]
                    for pos in positions:
                        acc[pos] += credit
        # Every touched target has a non-zero accumulator (the held bit); the rest score 0.
        touched = list(compress(range(len(acc)), acc))
        if excluded:
            skip = {self._position[c] for c in excluded if c in self._position}
            touched = list(filterfalse(skip.__contains__, touched))
        # Rows (tuples with the tie-breaks) only for the targets that can still be among the
        # first ``limit``: an exact score at least the ``limit``-th best (ties at that score
        # all kept, so the tie-breaks decide among them).
        if limit is not None and len(touched) > limit:
            units = self._units
            exact = [(acc[pos] & _MASK) / units[pos] for pos in touched]
            floor = sorted(exact, reverse=True)[limit - 1] if limit else float("inf")
            touched = [pos for pos, score in zip(touched, exact, strict=True) if score >= floor]
        targets, ns = self.targets, self._n
        rows: list[_Row] = []
        for pos in touched:
            ranked = _row(acc[pos], ns[pos], targets[pos], min_coverage)
            if ranked is not None:
                rows.append(ranked)
        chosen = _best(rows, limit)
        if min_coverage <= 0.0 and (limit is None or len(chosen) < limit):
            # Every touched target scores > 0, so targets sharing no competency with the
            # holder (score 0) come after them, already in ranking order (fewer gaps, code).
            for pos in self._zero_order:
                if limit is not None and len(chosen) >= limit:
                    break
                t = targets[pos]
                if not acc[pos] and t.code not in excluded:
                    chosen.append(((-0.0, 0, ns[pos], t.code), t))
        return chosen


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
        0 if h == 0 or r == 0 else CREDIT[h][r] + _HELD + (_MET if h >= r else 0) for r in range(5)
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
    profile = as_profile(holder)
    # Per holder competency: packed credit by required rank (see _PACKED).
    table = {c: _PACKED[p] for c, p in profile.items()}
    excluded = exclude if isinstance(exclude, set | frozenset) else set(exclude)
    if isinstance(targets, TargetIndex):
        chosen = targets.rank(table, min_coverage, limit, excluded)
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
    exact = units / (UNITS * n)
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
        req = t.ranks
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

"""Succession: the profiles whose holders are closest to filling a given one.

Portability in reverse: every other profile's requirements are taken as what its holder has,
and scored against the given profile's requirements with portability's coverage score.
Order: exact score descending, then ``met`` descending, then fewer gaps, then code; profiles
sharing no competency with the given one (score 0) are not successors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.domain.portability import CoverageReport, TargetRequirements, coverage
from app.domain.portability.scoring import CREDIT


@dataclass(frozen=True, slots=True)
class Successor:
    holder: TargetRequirements
    coverage: CoverageReport


class HolderIndex:
    """Inverted index competency -> (profile, rank) over the holders, built once per load."""

    def __init__(self, holders: Iterable[TargetRequirements]) -> None:
        self.holders = tuple(h for h in holders if h.requirements)
        self._postings: dict[str, list[tuple[int, int]]] = {}
        for pos, holder in enumerate(self.holders):
            for code, level in holder.requirements.items():
                self._postings.setdefault(code, []).append((pos, int(level)))

    def postings(self, competency: str) -> Sequence[tuple[int, int]]:
        """``(holder position, proficiency rank)`` of every holder of ``competency``."""
        return self._postings.get(competency, ())


def rank_successors(target: TargetRequirements, index: HolderIndex, *, limit: int = 10,
                    exclude: Iterable[str] = ()) -> list[Successor]:
    """The ``limit`` best successors to ``target`` (never the target itself)."""
    skip = {target.code, *exclude}
    units: dict[int, int] = {}
    met: dict[int, int] = {}
    for code, required in target.requirements.items():
        r = int(required)
        for pos, held in index.postings(code):
            units[pos] = units.get(pos, 0) + CREDIT[held][r]
            if held >= r:
                met[pos] = met.get(pos, 0) + 1
    n = len(target.requirements)
    keyed: list[tuple[tuple[int, int, int, str], TargetRequirements]] = []
    for pos, u in units.items():
        holder = index.holders[pos]
        if holder.code in skip or u == 0:
            continue
        m = met.get(pos, 0)
        keyed.append(((-u, -m, n - m, holder.code), holder))
    keyed.sort(key=lambda row: row[0])
    return [Successor(h, coverage(h.requirements, target.requirements))
            for _, h in keyed[:limit]]


__all__ = ["HolderIndex", "Successor", "rank_successors"]

"""Per-level aggregates of the CQF table.

Definitions (stated in every answer):

* **Typical proficiency of a competency group at a level**: the median of the proficiencies
  of the requirements (REQUIRES edges) from the profiles placed at that level to the
  competencies of that group. With an even count the *lower* median is taken, so the value
  is always a proficiency that really occurs and never overstates what is required. The
  answer shows the number of requirements and of profiles behind it.
* **Competencies most often required**: per group, by the number of profiles at the level
  requiring them, most first, ties by code.
* **Professional tasks**: by the number of profiles at the level performing them, most
  first, ties by code.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from app.domain.portability import Proficiency
from app.domain.vocab import EvidenceStatus

TOP_COMPETENCIES = 3


@dataclass(frozen=True, slots=True)
class Requirement:
    profile: str
    competency: str
    group: str | None
    proficiency: Proficiency
    status: str | None = None


@dataclass(frozen=True, slots=True)
class GroupProficiency:
    group: str
    median: Proficiency
    requirements: int  # REQUIRES edges counted
    profiles: int  # profiles with at least one of them
    top_competencies: tuple[tuple[str, int], ...]  # (competency, profiles requiring it)
    statuses: frozenset[str]


@dataclass(frozen=True, slots=True)
class LevelAggregate:
    groups: dict[str, GroupProficiency]
    tasks: tuple[tuple[str, int], ...]  # (task, profiles performing it)


def median_proficiency(levels: Sequence[Proficiency]) -> Proficiency:
    """The lower median of a non-empty list of proficiencies."""
    if not levels:
        raise ValueError("no proficiencies to take the median of")
    ordered = sorted(levels)
    return ordered[(len(ordered) - 1) // 2]


def _ranked(counts: Counter[str], limit: int | None = None) -> tuple[tuple[str, int], ...]:
    rows = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return tuple(rows[:limit] if limit is not None else rows)


def aggregate_level(requirements: Iterable[Requirement],
                    tasks: Mapping[str, Iterable[str]]) -> LevelAggregate:
    """Aggregate the requirements and tasks (profile -> task codes) of one level's profiles."""
    by_group: dict[str, list[Requirement]] = {}
    for req in requirements:
        if req.group is not None:
            by_group.setdefault(req.group, []).append(req)
    groups: dict[str, GroupProficiency] = {}
    for group, reqs in sorted(by_group.items()):
        per_competency = Counter(r.competency for r in {(r.profile, r.competency): r
                                                        for r in reqs}.values())
        groups[group] = GroupProficiency(
            group, median_proficiency([r.proficiency for r in reqs]), len(reqs),
            len({r.profile for r in reqs}), _ranked(per_competency, TOP_COMPETENCIES),
            frozenset(r.status or EvidenceStatus.ILLUSTRATIVE for r in reqs))
    performed: Counter[str] = Counter()
    for codes in tasks.values():
        performed.update(set(codes))
    return LevelAggregate(groups, _ranked(performed))

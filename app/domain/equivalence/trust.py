"""The order of equivalence answers: what a user can trust most comes first.

An answer's trust key, smaller first: the composed match type's strength (exact, close,
broad/narrow, related), then the weakest evidence on its path (``verified`` before
``unverified`` before ``illustrative``; a missing status counts as illustrative), then the
composed confidence (at 9 decimals), then hops. Answers are grouped by framework: the
framework whose best answer ranks first comes first, and inside a framework the answers
follow the same key (then the level's ordinal and code, so the order is total).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol, TypeVar

from app.domain.equivalence.match_types import STRENGTH, framework_of
from app.domain.equivalence.paths import Step
from app.domain.vocab import EvidenceStatus, MatchType, weakest_status


class Ranked(Protocol):
    @property
    def level(self) -> str: ...
    @property
    def match_type(self) -> MatchType: ...
    @property
    def confidence(self) -> float: ...
    @property
    def hops(self) -> int: ...
    @property
    def steps(self) -> tuple[Step, ...]: ...


def weakest_evidence(steps: Iterable[Step]) -> EvidenceStatus:
    """The least trusted evidence status on a path (``illustrative`` for an unknown one, and
    for the empty path)."""
    return weakest_status(s.edge.status for s in steps) or EvidenceStatus.ILLUSTRATIVE


def trust_key(match_type: MatchType, evidence: str, confidence: float,
              hops: int) -> tuple[int, int, float, int]:
    """Smaller is more trusted (see the module docstring)."""
    return (-STRENGTH[match_type], -EvidenceStatus.of(evidence).rank, -round(confidence, 9),
            hops)


RankedT = TypeVar("RankedT", bound=Ranked)


def order_by_trust(found: Sequence[RankedT],
                   ordinals: Mapping[str, int] | None = None) -> list[RankedT]:
    """``found`` grouped by framework and ordered by trust. Several paths to one level
    (``paths='all'``) stay together, behind the level's most trusted path."""

    def key(p: Ranked) -> tuple[tuple[int, int, float, int], bool, int, str]:
        ordinal = ordinals.get(p.level) if ordinals else None
        evidence = weakest_evidence(p.steps)
        return (trust_key(p.match_type, evidence, p.confidence, p.hops), ordinal is None,
                ordinal or 0, p.level)

    keyed = sorted(found, key=key)
    level_rank: dict[str, int] = {}
    framework_rank: dict[str, int] = {}
    for position, p in enumerate(keyed):
        level_rank.setdefault(p.level, position)
        framework_rank.setdefault(framework_of(p.level), position)
    return sorted(keyed, key=lambda p: (framework_rank[framework_of(p.level)],
                                        level_rank[p.level]))

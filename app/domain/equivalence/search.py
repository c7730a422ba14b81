"""The path search: best-first with exact dominance pruning, or every path."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Mapping

from app.domain.equivalence.match_types import (
    AT_LEAST_AS_STRONG,
    COMPOSE,
    DEFAULT_DEPTH,
    DEFAULT_MAX_PATHS,
    MAX_DEPTH,
    PathsMode,
    SearchTooBroad,
    framework_of,
)
from app.domain.equivalence.paths import (
    Arc,
    Equivalence,
    EquivalenceResult,
    MappingIndex,
    NoEquivalence,
    Step,
    rank_key,
)
from app.domain.equivalence.trust import order_by_trust
from app.domain.text import N_
from app.domain.vocab import MatchType, ReviewStatus

_E = MatchType.EXACT

# --------------------------------------------------------------------------- search


class _Partial:
    """A path from the start level, with its rank key computed once."""

    __slots__ = ("level", "match_type", "confidence", "steps", "ids", "frameworks", "key")

    def __init__(self, level: str, match_type: MatchType, confidence: float,
                 steps: tuple[Step, ...], ids: tuple[str, ...],
                 frameworks: frozenset[str]) -> None:
        self.level = level
        self.match_type = match_type
        self.confidence = confidence
        self.steps = steps
        self.ids = ids
        self.frameworks = frameworks
        self.key = rank_key(match_type, confidence, len(steps), ids)

    @property
    def hops(self) -> int:
        return len(self.steps)

    def extend(self, arc: Arc) -> _Partial:
        return _Partial(
            arc.to,
            COMPOSE[self.match_type, arc.step.walked_type],
            self.confidence * arc.confidence,
            (*self.steps, arc.step),
            (*self.ids, arc.step.edge.id),
            self.frameworks | {arc.to_framework},
        )

    def dominates(self, other: _Partial) -> bool:
        """Every extension of ``other`` is a valid extension of ``self`` that ranks ahead."""
        if (other.match_type not in AT_LEAST_AS_STRONG[self.match_type]
                or not self.frameworks <= other.frameworks):
            return False
        if self.key[1] > other.key[1] or self.hops > other.hops:  # key[1] = -confidence
            return False
        return self.hops < other.hops or self.ids <= other.ids

    def as_equivalence(self) -> Equivalence:
        return Equivalence(self.level, self.match_type, self.confidence, self.hops,
                           list(self.steps))


class _Search:
    def __init__(
        self,
        index: MappingIndex,
        start: str,
        target_framework: str | None,
        max_depth: int,
        include_proposed: bool,
        budget: int,
    ) -> None:
        self.explored = 0
        self.budget = budget
        self.index = index
        self.start = start
        self.origin = framework_of(start)
        self.target = target_framework
        self.depth = max_depth
        self.include_proposed = include_proposed
        self.distance = (
            index.distances_to(target_framework, include_proposed) if target_framework else None
        )

    def root(self) -> _Partial:
        return _Partial(self.start, _E, 1.0, (), (), frozenset({self.origin}))

    def reportable(self, p: _Partial) -> bool:
        return p.hops > 0 and (self.target is None or framework_of(p.level) == self.target)

    def children(self, p: _Partial) -> Iterable[_Partial]:
        if p.hops >= self.depth or (self.target is not None and self.reportable(p)):
            return
        for arc in self.index.arcs(p.level, self.include_proposed):
            if arc.to_framework in p.frameworks:
                continue
            if self.distance is not None:
                remaining = self.distance.get(arc.to)
                if remaining is None or p.hops + 1 + remaining > self.depth:
                    continue
            yield p.extend(arc)

    def _spend(self) -> None:
        self.explored += 1
        if self.explored > self.budget:
            raise SearchTooBroad(self.start, self.budget)

    def all_paths(self) -> list[_Partial]:
        found: list[_Partial] = []
        stack = [self.root()]
        while stack:
            p = stack.pop()
            self._spend()
            if self.reportable(p):
                found.append(p)
            stack.extend(self.children(p))
        return found

    def best_paths(self) -> list[_Partial]:
        found: dict[str, _Partial] = {}
        kept: defaultdict[str, list[_Partial]] = defaultdict(list)
        root = self.root()
        heap = [(root.key, 0, root)]
        counter = 1
        while heap:
            _, _, p = heapq.heappop(heap)
            if any(q.dominates(p) for q in kept[p.level]):
                continue
            self._spend()
            kept[p.level].append(p)
            if self.reportable(p) and p.level not in found:
                found[p.level] = p
            for child in self.children(p):
                if not any(q.dominates(child) for q in kept[child.level]):
                    heapq.heappush(heap, (child.key, counter, child))
                    counter += 1
        return list(found.values())


def find_equivalences(
    index: MappingIndex,
    start: str,
    target_framework: str | None = None,
    *,
    max_depth: int = DEFAULT_DEPTH,
    include_proposed: bool = False,
    paths: PathsMode = "best",
    ordinals: Mapping[str, int] | None = None,
    max_paths: int = DEFAULT_MAX_PATHS,
) -> EquivalenceResult:
    """Levels equivalent to ``start`` in ``target_framework`` (or in every other framework).

    Raises ValueError on a malformed level code, a depth outside 1..MAX_DEPTH or an unknown
    ``paths`` mode, and ``SearchTooBroad`` when more than ``max_paths`` partial paths would be
    explored (in practice only ``paths='all'`` without a target at depth 4 or more on a large
    graph). An unknown start level is not an error here: it has no mappings.
    """
    if not 1 <= max_depth <= MAX_DEPTH:
        raise ValueError(f"max_depth must be between 1 and {MAX_DEPTH}, got {max_depth}")
    if paths not in ("best", "all"):
        raise ValueError(f"paths must be 'best' or 'all', got {paths!r}")
    origin = framework_of(start)

    def result(found: list[Equivalence], why: NoEquivalence | None = None) -> EquivalenceResult:
        return EquivalenceResult(start, target_framework, max_depth, include_proposed, found,
                                 None if found else why)

    if target_framework == origin:
        return result([], NoEquivalence(
            "same_framework",
            N_("%(framework)s is the framework of %(start)s; equivalence is asked between "
               "frameworks"), (("framework", str(target_framework)), ("start", start)),
        ))
    if not index.arcs(start, include_proposed):
        return result([], _no_mappings(index, start, include_proposed))
    if target_framework is not None and not index.levels_of(target_framework, include_proposed):
        return result([], NoEquivalence(
            "framework_unmapped",
            N_("framework %(framework)s has no accepted or proposed mappings")
            if include_proposed else N_("framework %(framework)s has no accepted mappings"),
            (("framework", target_framework),),
        ))

    search = _Search(index, start, target_framework, max_depth, include_proposed, max_paths)
    if paths == "best":
        partials = order_by_trust(search.best_paths(), ordinals)
    else:
        partials = order_by_trust(sorted(search.all_paths(), key=lambda p: p.key), ordinals)
    found = [p.as_equivalence() for p in partials]
    return result(found, None if found else _not_reached(index, search))


def _no_mappings(index: MappingIndex, start: str, include_proposed: bool) -> NoEquivalence:
    counts = index.status_counts(start)
    if include_proposed:
        return NoEquivalence("no_mappings",
                             N_("the level %(start)s has no accepted or proposed mappings"),
                             (("start", start),))
    proposed = counts.get(ReviewStatus.PROPOSED, 0)
    if proposed == 1:
        return NoEquivalence("no_mappings", N_("the level %(start)s has no accepted mappings "
                                               "(1 proposed mapping not counted)"),
                             (("start", start),))
    if proposed:
        return NoEquivalence("no_mappings", N_("the level %(start)s has no accepted mappings "
                                               "(%(n)s proposed mappings not counted)"),
                             (("start", start), ("n", proposed)))
    return NoEquivalence("no_mappings", N_("the level %(start)s has no accepted mappings"),
                         (("start", start),))


def _not_reached(index: MappingIndex, search: _Search) -> NoEquivalence:
    if search.target is None:
        return NoEquivalence(
            "out_of_depth",
            N_("no path within depth %(depth)s reaches a framework other than %(origin)s"),
            (("depth", search.depth), ("origin", search.origin)),
        )
    assert search.distance is not None
    if search.start not in search.distance:
        return NoEquivalence(
            "unreachable",
            N_("no chain of accepted or proposed mappings connects %(start)s to framework "
               "%(target)s") if search.include_proposed else
            N_("no chain of accepted mappings connects %(start)s to framework %(target)s"),
            (("start", search.start), ("target", search.target)),
        )
    return NoEquivalence(
        "out_of_depth",
        N_("no path within depth %(depth)s reaches framework %(target)s"),
        (("depth", search.depth), ("target", search.target)),
    )

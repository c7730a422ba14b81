"""Mapping-quality checks: unmapped levels, contradictory exact matches, own-framework
cycles and fan-out. Each check's definition is in its result type's docstring."""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from app.domain.equivalence.match_types import (
    COMPOSE,
    ContradictionReason,
    compose_all,
    framework_of,
    path_confidence,
    strength,
)
from app.domain.equivalence.paths import Arc, MappingEdge, MappingIndex, Step, ids_of, rank_key
from app.domain.vocab import MatchType

_B = MatchType.BROAD
_C = MatchType.CLOSE
_E = MatchType.EXACT
_N = MatchType.NARROW
_R = MatchType.RELATED

# --------------------------------------------------------------------------- quality


@dataclass(frozen=True)
class LevelRef:
    code: str
    framework: str
    ordinal: int | None = None


@dataclass(frozen=True)
class UnmappedLevel:
    """A level with no counted mapping in either direction."""

    code: str
    framework: str


@dataclass(frozen=True)
class ExactContradiction:
    """``level`` is directly ``exactMatch`` (in either direction) to ``first`` and ``second``,
    which cannot both be equal to it: they are two distinct levels of one framework, or a
    direct counted mapping between them says broad, narrow or related (a close mapping between
    them is tolerated). ``edges`` are the ids of the two exact mappings (and of the
    conflicting direct mapping, if that is the reason)."""

    level: str
    first: str
    second: str
    reason: ContradictionReason
    edges: tuple[str, ...]


@dataclass(frozen=True)
class FrameworkCycle:
    """``level`` is made ``match_type`` of ``other``, a different level of its *own*
    framework, through ``path`` (levels of other frameworks only in between; related links
    never count, since related is no claim of equivalence or containment). Levels of one
    framework are disjoint, so any such claim is a defect.

    Each pair is reported once, from the lower level (by ordinal, then code): ``level`` is the
    lower one. ``ordinal_gap`` is ``ordinal(other) - ordinal(level)`` (None when unknown).
    ``severity`` is ``'high'`` when the claim is exact or close and the ordinals differ (a
    level made equivalent to a higher level of its own framework), ``'medium'`` otherwise
    (broad/narrow containment between levels, or ordinals equal or unknown)."""

    framework: str
    level: str
    other: str
    match_type: MatchType
    confidence: float
    path: list[Step]
    ordinal_gap: int | None
    severity: Literal["high", "medium"]


@dataclass(frozen=True)
class FanOut:
    """``level`` is claimed, by direct counted mappings read from its side, to be equal to,
    close to or *inside* (broadMatch from it) several distinct levels of one other
    ``framework``. The levels of a framework are disjoint, so one level cannot sit inside two
    of them. Mappings read as narrowMatch from the level (it spans several levels below it)
    are legitimate and do not count, nor do related ones. When every claim is exactMatch the
    case is reported as an ``ExactContradiction`` instead."""

    level: str
    framework: str
    targets: tuple[str, ...]
    edges: tuple[str, ...]


@dataclass(frozen=True)
class QualityReport:
    unmapped: list[UnmappedLevel] = field(default_factory=list[UnmappedLevel])
    contradictory_exact: list[ExactContradiction] = field(default_factory=list[ExactContradiction])
    cycles: list[FrameworkCycle] = field(default_factory=list[FrameworkCycle])
    fan_out: list[FanOut] = field(default_factory=list[FanOut])

    @property
    def defect_count(self) -> int:
        return (len(self.unmapped) + len(self.contradictory_exact) + len(self.cycles)
                + len(self.fan_out))


def check_mapping_quality(
    edges: Iterable[MappingEdge] | MappingIndex,
    levels: Iterable[LevelRef],
    *,
    include_proposed: bool = False,
    cycle_depth: int = 4,
) -> QualityReport:
    """Run every quality check over the counted mappings (see the result types)."""
    index = edges if isinstance(edges, MappingIndex) else MappingIndex.from_edges(edges)
    level_list = list(levels)
    ordinals = {lv.code: lv.ordinal for lv in level_list}
    return QualityReport(
        unmapped=_unmapped(index, level_list, include_proposed),
        contradictory_exact=_contradictory_exact(index, include_proposed),
        cycles=_cycles(index, ordinals, include_proposed, cycle_depth),
        fan_out=_fan_out(index, include_proposed),
    )


def _level_order(
    ordinals: Mapping[str, int | None],
) -> Callable[[str], tuple[str, bool, int, str]]:
    def key(code: str) -> tuple[str, bool, int, str]:
        ordinal = ordinals.get(code)
        return (framework_of(code), ordinal is None, ordinal or 0, code)

    return key


def _unmapped(index: MappingIndex, levels: list[LevelRef], inc: bool) -> list[UnmappedLevel]:
    ordered = sorted(levels, key=lambda lv: (lv.framework, lv.ordinal is None,
                                             lv.ordinal or 0, lv.code))
    return [UnmappedLevel(lv.code, lv.framework) for lv in ordered if not index.arcs(lv.code, inc)]


def _all_levels(index: MappingIndex, inc: bool) -> list[str]:
    return sorted(index.mapped_levels(inc))


def _contradictory_exact(index: MappingIndex, inc: bool) -> list[ExactContradiction]:
    found: list[ExactContradiction] = []
    for level in _all_levels(index, inc):
        exact: dict[str, str] = {}  # target -> smallest id of an exact mapping to it
        for arc in index.arcs(level, inc):
            if arc.step.walked_type is _E:
                exact.setdefault(arc.to, arc.step.edge.id)
        if len(exact) < 2:
            continue
        reasons: dict[tuple[str, str], tuple[ContradictionReason, list[str]]] = {}
        by_framework: defaultdict[str, list[str]] = defaultdict(list)
        for target in sorted(exact):
            by_framework[framework_of(target)].append(target)
        for targets in by_framework.values():
            for i, first in enumerate(targets):
                for second in targets[i + 1:]:
                    reasons[first, second] = ("same_framework", [])
        for first in exact:
            for arc in index.arcs(first, inc):
                if arc.to in exact and arc.step.walked_type in (_B, _N, _R):
                    pair = (min(first, arc.to), max(first, arc.to))
                    if pair not in reasons or reasons[pair][0] != "same_framework":
                        reasons.setdefault(pair, ("conflicting_mapping", []))[1].append(
                            arc.step.edge.id)
        for (first, second), (reason, conflict) in sorted(reasons.items()):
            ids = (*sorted((exact[first], exact[second])), *sorted(set(conflict)))
            found.append(ExactContradiction(level, first, second, reason, ids))
    return found


def _fan_out(index: MappingIndex, inc: bool) -> list[FanOut]:
    found: list[FanOut] = []
    for level in _all_levels(index, inc):
        groups: defaultdict[str, list[Arc]] = defaultdict(list)
        for arc in index.arcs(level, inc):
            if arc.step.walked_type in (_E, _C, _B) and arc.to_framework != framework_of(level):
                groups[arc.to_framework].append(arc)
        for framework in sorted(groups):
            arcs = groups[framework]
            targets = tuple(sorted({a.to for a in arcs}))
            if len(targets) < 2 or all(a.step.walked_type is _E for a in arcs):
                continue
            found.append(FanOut(level, framework, targets,
                                tuple(sorted(a.step.edge.id for a in arcs))))
    return found


def _shortcut(steps: list[Step]) -> list[Step]:
    """Remove the loops of a walk, leaving a path that visits no level twice."""
    out: list[Step] = []
    position: dict[str, int] = {}
    if steps:
        position[steps[0].from_level] = 0
    for step in steps:
        if step.to_level in position:
            cut = position[step.to_level]
            for dropped in out[cut:]:
                position.pop(dropped.to_level, None)
            del out[cut:]
            continue
        out.append(step)
        position[step.to_level] = len(out)
    return out


def _cycle_witnesses(
    index: MappingIndex, start: str, inc: bool, depth: int
) -> dict[str, list[Step]]:
    """Shortest walks (over (level, composed type) states, never related) from ``start`` to
    other levels of its framework, other frameworks only in between; shortcut into paths."""
    framework = framework_of(start)
    parent: dict[tuple[str, MatchType], tuple[tuple[str, MatchType], Step] | None] = {
        (start, _E): None
    }
    queue = deque([((start, _E), 0)])
    reached: dict[str, list[list[Step]]] = defaultdict(list)

    def walk(state: tuple[str, MatchType]) -> list[Step]:
        steps: list[Step] = []
        link = parent[state]
        while link is not None:
            state, step = link
            steps.append(step)
            link = parent[state]
        return steps[::-1]

    while queue:
        state, hops = queue.popleft()
        if hops >= depth:
            continue
        for arc in index.arcs(state[0], inc):
            t = COMPOSE[state[1], arc.step.walked_type]
            if t is _R or arc.to == start:
                continue
            if arc.to_framework == framework:
                reached[arc.to].append(_shortcut([*walk(state), arc.step]))
                continue
            nxt = (arc.to, t)
            if nxt not in parent:
                parent[nxt] = (state, arc.step)
                queue.append((nxt, hops + 1))
    return {
        other: min(paths, key=lambda p: rank_key(compose_all(s.walked_type for s in p),
                                                  path_confidence(s.edge.confidence for s in p),
                                                  len(p), ids_of(p)))
        for other, paths in reached.items()
    }


def _cycle_candidates(index: MappingIndex, inc: bool) -> list[str]:
    """Levels that share a component (over non-related mappings, any intermediates) with
    another level of their own framework: only they can be on an own-framework cycle."""
    parent = {level: level for level in index.mapped_levels(inc)}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for level in parent:
        for arc in index.arcs(level, inc):
            if arc.step.walked_type is not _R:
                parent[find(level)] = find(arc.to)
    per_framework: defaultdict[tuple[str, str], int] = defaultdict(int)
    for level in parent:
        per_framework[find(level), framework_of(level)] += 1
    return sorted(lv for lv in parent if per_framework[find(lv), framework_of(lv)] > 1)


def _cycles(
    index: MappingIndex, ordinals: Mapping[str, int | None], inc: bool, depth: int
) -> list[FrameworkCycle]:
    order = _level_order(ordinals)
    pairs: dict[tuple[str, str], FrameworkCycle] = {}
    for level in _cycle_candidates(index, inc):
        for other, path in _cycle_witnesses(index, level, inc, depth).items():
            low, high = sorted((level, other), key=order)
            if low != level:
                path = [s.reversed() for s in reversed(path)]
            t = compose_all(s.walked_type for s in path)
            conf = path_confidence(s.edge.confidence for s in path)
            lo, hi = ordinals.get(low), ordinals.get(high)
            gap = hi - lo if lo is not None and hi is not None else None
            severity: Literal["high", "medium"] = (
                "high" if t in (_E, _C) and gap not in (None, 0) else "medium"
            )
            cycle = FrameworkCycle(framework_of(low), low, high, t, conf, path, gap, severity)
            previous = pairs.get((low, high))
            if previous is None or _cycle_rank(cycle) < _cycle_rank(previous):
                pairs[low, high] = cycle
    return sorted(pairs.values(), key=lambda c: (c.severity != "high", -(c.ordinal_gap or 0),
                                                 -strength(c.match_type), c.level, c.other))


def _cycle_rank(c: FrameworkCycle) -> tuple[int, float, int, tuple[str, ...]]:
    return rank_key(c.match_type, c.confidence, len(c.path), ids_of(c.path))

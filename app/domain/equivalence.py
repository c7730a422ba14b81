"""Level equivalence across frameworks: pure domain logic (no web framework, no database).

Match types
-----------
``MatchType`` holds the five SKOS mapping relations; the values are the SKOS local names.
A mapping ``A --t--> B`` reads "A is t of B": ``IE-NFQ:8 broadMatch EQF:6`` says that EQF:6
is *broader* than IE-NFQ:8.

* ``invert`` -- walking a mapping backwards swaps ``broadMatch`` and ``narrowMatch``;
  ``exactMatch``, ``closeMatch`` and ``relatedMatch`` are symmetric.
* ``compose(a, b)`` -- the type of ``A --a--> B --b--> C`` read as A to C:

  ==========  =======  =======  =======  =======  =======
  a \\ b      exact    close    broad    narrow   related
  ==========  =======  =======  =======  =======  =======
  exact       exact    close    broad    narrow   related
  close       close    close    broad    narrow   related
  broad       broad    broad    broad    related  related
  narrow      narrow   narrow   related  narrow   related
  related     related  related  related  related  related
  ==========  =======  =======  =======  =======  =======

  ``exactMatch`` is the identity, ``relatedMatch`` absorbs everything, broad followed by
  narrow (or narrow by broad) only says the two levels are related.
  **Decision on closeMatch:** close is "almost exact", so it never makes a chain weaker than
  its weakest link on its own: close∘close = close and close∘broad = broad (likewise narrow).
  The slack of a close link is not lost, it shows in the confidence (each link's confidence
  is multiplied in). The table is symmetric and associative, so a path's type is the same
  whichever way its links are grouped, and ``invert(compose(a, b)) == compose(invert(b),
  invert(a))``.
* ``strength`` -- exact (4) > close (3) > broad = narrow (2) > related (1). A composed type
  is never stronger than the weaker of its two parts: answers never claim more than the
  weakest link.
* Confidence of a path is the product of its edges' confidences (each clamped to 0..1, a
  missing confidence counts as 0), so it never rises along a path.

Level codes
-----------
A level code is ``FRAMEWORK:LEVEL`` (``IE-NFQ:8``, ``UK-RQF:E3``). Framework codes contain no
colon, so the framework is everything before the *first* colon (a level part may contain one).

Path search (``find_equivalences``)
-----------------------------------
Build a ``MappingIndex`` once from all ``MAPS_TO`` edges; it is immutable and safe to share.
A path from the start level walks mapping edges forwards (the edge's type) or backwards (the
inverted type). Counted edges: ``review_status == 'accepted'``, plus ``'proposed'`` when
``include_proposed``; ``rejected`` and ``superseded`` edges never count.

**Decision: a path enters each framework at most once.** This contains the required rules
(no level is visited twice; a path never comes back to the start level's framework, which
would make a level equivalent to another level of its own framework) and extends them to
pivots: ``IE-NFQ:8 -> EQF:6 -> NL-NLQF:6 -> EQF:5`` would claim an EQF level through another
EQF level. Such detours are defects, reported by ``check_mapping_quality``, not answers. It
also keeps the search small on a graph of hundreds of frameworks.

Reached levels are reported when they are in ``target_framework`` (then the path is not
extended further), or, without a target, in any framework other than the start's (then they
also serve as pivots). ``relatedMatch`` paths are answers too; they rank last.

Rank of the paths to one target, best first: composed type strength descending, confidence
descending (compared at 9 decimals, so float noise does not reorder), hops ascending, then
the tuple of edge ids. ``paths='best'`` returns the best path per target; ``paths='all'``
returns every path, grouped per target, in rank order. Targets are sorted by framework, then
by ordinal when ``ordinals`` knows the level (levels with an ordinal first), then by code.

Best-path mode is a best-first search over partial paths in rank order (extending a path
never improves its rank) with an exact dominance rule: a partial path is dropped at a level
when another one already reached that level with a type that stays at least as strong
whatever follows (exact over all, close over all but exact, broad or narrow over related, a
type over itself), a framework set that is a subset of its own, at least its confidence,
and fewer hops (or as many hops and smaller edge ids). Every extension of the dropped path
is then also an extension of the kept one, and ranks behind it; a differential test checks
this against the exhaustive enumeration. With a target framework, a per-index cached
breadth-first distance to that framework bounds the remaining hops. Depth is
1..``MAX_DEPTH`` (5) hops. A search that would explore more than ``max_paths`` partial paths
raises ``SearchTooBroad`` instead of answering slowly (in practice only ``paths='all'``
without a target at depth 4 or more on a large graph).

When nothing is found the result carries a ``NoEquivalence`` (stable ``kind`` and a human
``detail``): ``no_mappings``, ``same_framework``, ``framework_unmapped``, ``unreachable``,
``out_of_depth``.

Quality checks (``check_mapping_quality``)
------------------------------------------
Over the counted edges (accepted, optionally proposed): levels without any mapping;
contradictory exact matches; own-framework cycles; fan-out. Each check's definition is in the
docstring of its result type.
"""

from __future__ import annotations

import heapq
import math
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from threading import Lock
from typing import Literal, NamedTuple

__all__ = [
    "MAX_DEPTH",
    "DEFAULT_DEPTH",
    "DEFAULT_MAX_PATHS",
    "SearchTooBroad",
    "MatchType",
    "ReviewStatus",
    "strength",
    "invert",
    "compose",
    "compose_all",
    "compose_confidence",
    "path_confidence",
    "framework_of",
    "MappingEdge",
    "Step",
    "Equivalence",
    "NoEquivalence",
    "EquivalenceResult",
    "MappingIndex",
    "find_equivalences",
    "LevelRef",
    "UnmappedLevel",
    "ExactContradiction",
    "FrameworkCycle",
    "FanOut",
    "QualityReport",
    "check_mapping_quality",
]

MAX_DEPTH = 5
DEFAULT_DEPTH = 3
DEFAULT_MAX_PATHS = 20_000

Direction = Literal["forward", "backward"]
PathsMode = Literal["best", "all"]
ContradictionReason = Literal["same_framework", "conflicting_mapping"]


class SearchTooBroad(ValueError):
    """The asked search would enumerate too many paths; the client can narrow it (the API
    renders it as a bad request). Kept a ValueError so this module imports only the standard
    library."""


# --------------------------------------------------------------------------- match types


class MatchType(StrEnum):
    """A SKOS mapping relation; ``A --t--> B`` reads "A is t of B"."""

    EXACT = "exactMatch"
    CLOSE = "closeMatch"
    BROAD = "broadMatch"
    NARROW = "narrowMatch"
    RELATED = "relatedMatch"


class ReviewStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    SUPERSEDED = "superseded"


_E, _C, _B, _N, _R = (
    MatchType.EXACT,
    MatchType.CLOSE,
    MatchType.BROAD,
    MatchType.NARROW,
    MatchType.RELATED,
)

_STRENGTH: dict[MatchType, int] = {_E: 4, _C: 3, _B: 2, _N: 2, _R: 1}
_INVERSE: dict[MatchType, MatchType] = {_E: _E, _C: _C, _B: _N, _N: _B, _R: _R}


def _composition_table() -> dict[tuple[MatchType, MatchType], MatchType]:
    table: dict[tuple[MatchType, MatchType], MatchType] = {}
    for a in MatchType:
        for b in MatchType:
            if a is _E:
                table[a, b] = b
            elif b is _E:
                table[a, b] = a
            elif _R in (a, b) or {a, b} == {_B, _N}:
                table[a, b] = _R
            elif a is _C:  # close with close / broad / narrow: the other one
                table[a, b] = b
            else:  # a is broad or narrow; b is close or the same as a
                table[a, b] = a
    return table


_COMPOSE = _composition_table()

# t -> the types u such that, whatever follows, a path of type t stays at least as strong as a
# path of type u (exact beats all; close beats all but exact; broad, narrow beat related).
_AT_LEAST_AS_STRONG: dict[MatchType, frozenset[MatchType]] = {
    t: frozenset(
        u for u in MatchType
        if all(_STRENGTH[_COMPOSE[t, x]] >= _STRENGTH[_COMPOSE[u, x]] for x in MatchType)
    )
    for t in MatchType
}


def strength(t: MatchType) -> int:
    """exact 4 > close 3 > broad = narrow 2 > related 1."""
    return _STRENGTH[MatchType(t)]


def invert(t: MatchType) -> MatchType:
    """The type of a mapping walked backwards: broad <-> narrow; the rest are symmetric."""
    return _INVERSE[MatchType(t)]


def compose(a: MatchType, b: MatchType) -> MatchType:
    """The type of ``A --a--> B --b--> C`` read from A to C (table in the module docstring)."""
    return _COMPOSE[MatchType(a), MatchType(b)]


def compose_all(types: Iterable[MatchType]) -> MatchType:
    """Compose a chain of types; the empty chain is ``exactMatch`` (a level is itself)."""
    result = _E
    for t in types:
        result = _COMPOSE[result, MatchType(t)]
    return result


def _clamp(confidence: float | None) -> float:
    if confidence is None or math.isnan(confidence):
        return 0.0
    return min(1.0, max(0.0, float(confidence)))


def compose_confidence(a: float | None, b: float | None) -> float:
    """Confidence of two links in a row: the product (each clamped to 0..1, None as 0)."""
    return _clamp(a) * _clamp(b)


def path_confidence(confidences: Iterable[float | None]) -> float:
    result = 1.0
    for c in confidences:
        result *= _clamp(c)
    return result


def framework_of(level_code: str) -> str:
    """``'IE-NFQ:8' -> 'IE-NFQ'``. Raises ValueError on a code that is not FRAMEWORK:LEVEL."""
    framework, sep, level = level_code.partition(":")
    if not sep or not framework or not level:
        raise ValueError(f"level code {level_code!r} is not of the form FRAMEWORK:LEVEL")
    return framework


# --------------------------------------------------------------------------- edges, paths


@dataclass(frozen=True)
class MappingEdge:
    """One ``MAPS_TO`` relationship; ``source`` and ``target`` are level codes.

    ``match_type`` and ``review_status`` accept their string values and are stored as enums;
    an unknown value raises ValueError.
    """

    id: str
    source: str
    target: str
    match_type: MatchType
    confidence: float | None
    review_status: ReviewStatus
    method: str | None = None
    status: str | None = None
    source_document: str | None = None
    source_publisher: str | None = None
    source_year: int | None = None
    source_url: str | None = None
    asserted_by: str | None = None
    date: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "match_type", MatchType(self.match_type))
        object.__setattr__(self, "review_status", ReviewStatus(self.review_status))


@dataclass(frozen=True)
class Step:
    """One edge of a path, walked ``forward`` (source to target) or ``backward``."""

    edge: MappingEdge
    direction: Direction
    walked_type: MatchType

    @property
    def from_level(self) -> str:
        return self.edge.source if self.direction == "forward" else self.edge.target

    @property
    def to_level(self) -> str:
        return self.edge.target if self.direction == "forward" else self.edge.source

    def reversed(self) -> Step:
        back: Direction = "backward" if self.direction == "forward" else "forward"
        return Step(self.edge, back, invert(self.walked_type))


@dataclass(frozen=True)
class Equivalence:
    """The start level is ``match_type`` of ``target`` through ``path`` (``hops`` edges)."""

    target: str
    match_type: MatchType
    confidence: float
    hops: int
    path: list[Step]

    @property
    def framework(self) -> str:
        return framework_of(self.target)

    @property
    def rank_key(self) -> tuple[int, float, int, tuple[str, ...]]:
        return _rank_key(self.match_type, self.confidence, self.hops, _ids(self.path))


@dataclass(frozen=True)
class NoEquivalence:
    """Why a search found nothing: a stable ``kind`` and a human ``detail``."""

    kind: Literal["no_mappings", "same_framework", "framework_unmapped", "unreachable",
                  "out_of_depth"]
    detail: str


@dataclass(frozen=True)
class EquivalenceResult:
    start: str
    target_framework: str | None
    max_depth: int
    include_proposed: bool
    equivalences: list[Equivalence]
    no_equivalence: NoEquivalence | None = None

    @property
    def found(self) -> bool:
        return bool(self.equivalences)


def _ids(steps: Iterable[Step]) -> tuple[str, ...]:
    return tuple(s.edge.id for s in steps)


def _rank_key(
    t: MatchType, confidence: float, hops: int, ids: tuple[str, ...]
) -> tuple[int, float, int, tuple[str, ...]]:
    """Smaller is better: strength desc, confidence desc, hops asc, edge ids asc."""
    return (-_STRENGTH[t], -round(confidence, 9), hops, ids)


# --------------------------------------------------------------------------- index


class _Arc(NamedTuple):
    """An edge seen from one of its ends."""

    step: Step
    to: str
    to_framework: str
    confidence: float


def _counted(include_proposed: bool) -> frozenset[ReviewStatus]:
    if include_proposed:
        return frozenset({ReviewStatus.ACCEPTED, ReviewStatus.PROPOSED})
    return frozenset({ReviewStatus.ACCEPTED})


class MappingIndex:
    """Adjacency of the mapping graph, built once (``from_edges``) and then read-only.

    Self-loops (source == target) are ignored. Arcs are kept in edge-id order, so every
    search is deterministic whatever the order of the input.
    """

    _CACHE_SIZE = 256

    def __init__(self, edges: Sequence[MappingEdge]) -> None:
        self.edges: dict[str, MappingEdge] = {}
        arcs: dict[bool, defaultdict[str, list[_Arc]]] = {
            False: defaultdict(list),
            True: defaultdict(list),
        }
        self._status_counts: defaultdict[str, defaultdict[ReviewStatus, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        for edge in sorted(edges, key=lambda e: e.id):
            if edge.id in self.edges:
                raise ValueError(f"duplicate mapping id {edge.id!r}")
            self.edges[edge.id] = edge
            if edge.source == edge.target:
                continue
            for level in (edge.source, edge.target):
                self._status_counts[level][edge.review_status] += 1
            for include_proposed in (False, True):
                if edge.review_status not in _counted(include_proposed):
                    continue
                fwd = Step(edge, "forward", edge.match_type)
                back = Step(edge, "backward", invert(edge.match_type))
                conf = _clamp(edge.confidence)
                arcs[include_proposed][edge.source].append(
                    _Arc(fwd, edge.target, framework_of(edge.target), conf)
                )
                arcs[include_proposed][edge.target].append(
                    _Arc(back, edge.source, framework_of(edge.source), conf)
                )
        self._arcs: dict[bool, dict[str, tuple[_Arc, ...]]] = {
            k: {level: tuple(a) for level, a in v.items()} for k, v in arcs.items()
        }
        self._frameworks: dict[bool, dict[str, frozenset[str]]] = {}
        for k, by_level in self._arcs.items():
            fw: defaultdict[str, set[str]] = defaultdict(set)
            for level in by_level:
                fw[framework_of(level)].add(level)
            self._frameworks[k] = {f: frozenset(levels) for f, levels in fw.items()}
        self._distances: OrderedDict[tuple[str, bool], dict[str, int]] = OrderedDict()
        self._lock = Lock()

    @classmethod
    def from_edges(cls, edges: Iterable[MappingEdge]) -> MappingIndex:
        return cls(list(edges))

    def arcs(self, level: str, include_proposed: bool = False) -> tuple[_Arc, ...]:
        """The counted edges at ``level``, each as the step that walks away from it."""
        return self._arcs[include_proposed].get(level, ())

    def levels_of(self, framework: str, include_proposed: bool = False) -> frozenset[str]:
        """Levels of ``framework`` that have at least one counted mapping."""
        return self._frameworks[include_proposed].get(framework, frozenset())

    def mapped_levels(self, include_proposed: bool = False) -> frozenset[str]:
        """Every level with at least one counted mapping."""
        return frozenset(self._arcs[include_proposed])

    def status_counts(self, level: str) -> dict[ReviewStatus, int]:
        return dict(self._status_counts.get(level, {}))

    def distances_to(self, framework: str, include_proposed: bool = False) -> dict[str, int]:
        """Fewest hops from each level to any level of ``framework`` over counted edges,
        ignoring path rules (so it is a lower bound for the search). Cached per index."""
        key = (framework, include_proposed)
        with self._lock:
            cached = self._distances.get(key)
            if cached is not None:
                self._distances.move_to_end(key)
                return cached
        dist = {level: 0 for level in self.levels_of(framework, include_proposed)}
        queue = deque(dist)
        while queue:
            level = queue.popleft()
            for arc in self.arcs(level, include_proposed):
                if arc.to not in dist:
                    dist[arc.to] = dist[level] + 1
                    queue.append(arc.to)
        with self._lock:
            self._distances[key] = dist
            if len(self._distances) > self._CACHE_SIZE:
                self._distances.popitem(last=False)
        return dist


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
        self.key = _rank_key(match_type, confidence, len(steps), ids)

    @property
    def hops(self) -> int:
        return len(self.steps)

    def extend(self, arc: _Arc) -> _Partial:
        return _Partial(
            arc.to,
            _COMPOSE[self.match_type, arc.step.walked_type],
            self.confidence * arc.confidence,
            (*self.steps, arc.step),
            (*self.ids, arc.step.edge.id),
            self.frameworks | {arc.to_framework},
        )

    def dominates(self, other: _Partial) -> bool:
        """Every extension of ``other`` is a valid extension of ``self`` that ranks ahead."""
        if (other.match_type not in _AT_LEAST_AS_STRONG[self.match_type]
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
            raise SearchTooBroad(
                f"the search from {self.start} explored more than {self.budget} paths; "
                "name a target framework, lower the depth or ask for the best paths only"
            )

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


def _target_sort_key(
    ordinals: Mapping[str, int] | None,
) -> Callable[[_Partial], tuple[str, bool, int, str]]:
    def key(p: _Partial) -> tuple[str, bool, int, str]:
        ordinal = ordinals.get(p.level) if ordinals else None
        return (framework_of(p.level), ordinal is None, ordinal or 0, p.level)

    return key


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
            f"{target_framework} is the framework of {start}; equivalence is asked between "
            "frameworks",
        ))
    if not index.arcs(start, include_proposed):
        return result([], _no_mappings(index, start, include_proposed))
    if target_framework is not None and not index.levels_of(target_framework, include_proposed):
        counted = "accepted or proposed" if include_proposed else "accepted"
        return result([], NoEquivalence(
            "framework_unmapped", f"framework {target_framework} has no {counted} mappings"
        ))

    search = _Search(index, start, target_framework, max_depth, include_proposed, max_paths)
    if paths == "best":
        partials = sorted(search.best_paths(), key=_target_sort_key(ordinals))
    else:
        order = _target_sort_key(ordinals)
        partials = sorted(search.all_paths(), key=lambda p: (order(p), p.key))
    found = [p.as_equivalence() for p in partials]
    return result(found, None if found else _not_reached(index, search))


def _no_mappings(index: MappingIndex, start: str, include_proposed: bool) -> NoEquivalence:
    counts = index.status_counts(start)
    if include_proposed:
        return NoEquivalence("no_mappings", f"the level {start} has no accepted or proposed "
                             "mappings")
    detail = f"the level {start} has no accepted mappings"
    proposed = counts.get(ReviewStatus.PROPOSED, 0)
    if proposed:
        detail += f" ({proposed} proposed mapping{'s' if proposed > 1 else ''} not counted)"
    return NoEquivalence("no_mappings", detail)


def _not_reached(index: MappingIndex, search: _Search) -> NoEquivalence:
    counted = "accepted or proposed" if search.include_proposed else "accepted"
    if search.target is None:
        return NoEquivalence(
            "out_of_depth",
            f"no path within depth {search.depth} reaches a framework other than "
            f"{search.origin}",
        )
    assert search.distance is not None
    if search.start not in search.distance:
        return NoEquivalence(
            "unreachable",
            f"no chain of {counted} mappings connects {search.start} to framework "
            f"{search.target}",
        )
    return NoEquivalence(
        "out_of_depth",
        f"no path within depth {search.depth} reaches framework {search.target}",
    )


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
    unmapped: list[UnmappedLevel] = field(default_factory=list)
    contradictory_exact: list[ExactContradiction] = field(default_factory=list)
    cycles: list[FrameworkCycle] = field(default_factory=list)
    fan_out: list[FanOut] = field(default_factory=list)

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
        groups: defaultdict[str, list[_Arc]] = defaultdict(list)
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
            t = _COMPOSE[state[1], arc.step.walked_type]
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
        other: min(paths, key=lambda p: _rank_key(compose_all(s.walked_type for s in p),
                                                  path_confidence(s.edge.confidence for s in p),
                                                  len(p), _ids(p)))
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
    return _rank_key(c.match_type, c.confidence, len(c.path), _ids(c.path))

"""Mapping edges, walked steps, answers, and the immutable index the search runs on."""

from __future__ import annotations

from collections import OrderedDict, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from threading import Lock
from typing import Literal, NamedTuple

from app.domain.equivalence.match_types import (
    STRENGTH,
    Direction,
    clamp,
    framework_of,
    invert,
)
from app.domain.vocab import MatchType, ReviewStatus

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
    # What a reader needs to check the claim without leaving the answer: the mapping's note
    # (e.g. which qualifications it covers) and the verbatim quote of its source, with the
    # quote's language tag.
    note: str | None = None
    evidence_quote: str | None = None
    evidence_language: str | None = None

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
        return rank_key(self.match_type, self.confidence, self.hops, ids_of(self.path))


@dataclass(frozen=True)
class NoEquivalence:
    """Why a search found nothing: a stable ``kind`` and a human ``detail``, said from an
    English ``message`` (a msgid with ``%(name)s`` placeholders, translated by the layer that
    shows it) and its ``params``."""

    kind: Literal["no_mappings", "same_framework", "framework_unmapped", "unreachable",
                  "out_of_depth"]
    message: str
    params: tuple[tuple[str, str | int], ...] = ()

    @property
    def detail(self) -> str:
        return self.message % dict(self.params) if self.params else self.message


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


def ids_of(steps: Iterable[Step]) -> tuple[str, ...]:
    return tuple(s.edge.id for s in steps)


def rank_key(
    t: MatchType, confidence: float, hops: int, ids: tuple[str, ...]
) -> tuple[int, float, int, tuple[str, ...]]:
    """Smaller is better: strength desc, confidence desc, hops asc, edge ids asc."""
    return (-STRENGTH[t], -round(confidence, 9), hops, ids)


# --------------------------------------------------------------------------- index


class Arc(NamedTuple):
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
        for edge in sorted(edges, key=lambda e: e.id):
            if edge.id in self.edges:
                raise ValueError(f"duplicate mapping id {edge.id!r}")
            self.edges[edge.id] = edge
        self._status_counts: defaultdict[str, defaultdict[ReviewStatus, int]] = defaultdict(
            lambda: defaultdict(int)
        )
        self._arcs: dict[bool, dict[str, tuple[Arc, ...]]] = {False: {}, True: {}}
        self._index(None)

    def _index(self, only: set[str] | None) -> None:
        """Arcs and review counts of every level (``only``: of those levels, the others
        being kept), then the levels of each framework."""
        arcs: dict[bool, defaultdict[str, list[Arc]]] = {
            False: defaultdict(list),
            True: defaultdict(list),
        }
        for edge in self.edges.values():  # in edge-id order
            if edge.source == edge.target:
                continue
            ends = (edge.source, edge.target)
            if only is not None and ends[0] not in only and ends[1] not in only:
                continue
            for level in ends:
                if only is None or level in only:
                    self._status_counts[level][edge.review_status] += 1
            for include_proposed in (False, True):
                if edge.review_status not in _counted(include_proposed):
                    continue
                conf = clamp(edge.confidence)
                if only is None or edge.source in only:
                    fwd = Step(edge, "forward", edge.match_type)
                    arcs[include_proposed][edge.source].append(
                        Arc(fwd, edge.target, framework_of(edge.target), conf)
                    )
                if only is None or edge.target in only:
                    back = Step(edge, "backward", invert(edge.match_type))
                    arcs[include_proposed][edge.target].append(
                        Arc(back, edge.source, framework_of(edge.source), conf)
                    )
        for k, by_level in arcs.items():
            self._arcs[k].update((level, tuple(a)) for level, a in by_level.items())
        self._frameworks: dict[bool, dict[str, frozenset[str]]] = {}
        for k, known in self._arcs.items():
            fw: defaultdict[str, set[str]] = defaultdict(set)
            for level in known:
                fw[framework_of(level)].add(level)
            self._frameworks[k] = {f: frozenset(levels) for f, levels in fw.items()}
        self._distances: OrderedDict[tuple[str, bool], dict[str, int]] = OrderedDict()
        self._lock = Lock()

    @classmethod
    def from_edges(cls, edges: Iterable[MappingEdge]) -> MappingIndex:
        return cls(list(edges))

    def patched(self, changed: Iterable[MappingEdge], removed: Iterable[str] = ()
                ) -> MappingIndex:
        """A new index with ``changed`` edges added or replacing those of the same id and the
        ``removed`` ids gone; this one is left as it is (answers may still read it). The same
        index as ``from_edges`` of the resulting edges, built by indexing again only the
        levels at the ends of the edges that changed (the others' arcs are shared)."""
        edges = dict(self.edges)
        touched: set[str] = set()
        for edge_id in removed:
            old = edges.pop(edge_id, None)
            if old is not None:
                touched.update((old.source, old.target))
        for edge in changed:
            old = edges.get(edge.id)
            if old is not None:
                touched.update((old.source, old.target))
            edges[edge.id] = edge
            touched.update((edge.source, edge.target))
        new = MappingIndex.__new__(MappingIndex)
        new.edges = {edge_id: edges[edge_id] for edge_id in sorted(edges)}
        new._status_counts = defaultdict(lambda: defaultdict(int), {
            level: counts for level, counts in self._status_counts.items()
            if level not in touched})
        new._arcs = {k: {level: a for level, a in by_level.items() if level not in touched}
                     for k, by_level in self._arcs.items()}
        new._index(touched)
        return new

    def counted_edges(self, include_proposed: bool = False) -> frozenset[MappingEdge]:
        """The edges a search counts (accepted ones; proposed too when asked): all an answer
        of the engine can rest on (a proposed or rejected mapping changes no answer that
        counts accepted mappings only)."""
        counted = _counted(include_proposed)
        return frozenset(e for e in self.edges.values()
                         if e.review_status in counted and e.source != e.target)

    def arcs(self, level: str, include_proposed: bool = False) -> tuple[Arc, ...]:
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

"""The pure domain functions alone (no HTTP, no store): what the engines cost once the
service's caches hold the mapping graph and the candidate index."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.domain import equivalence as eq
from app.domain import portability as pf
from app.graph.port import GraphStore
from app.services.careers.portability import load_candidates
from app.services.equivalence.answers import load_mapping_graph
from benchmarks.generator import Sample


@dataclass
class DomainFigure:
    name: str
    calls: int
    p50_ms: float
    p95_ms: float


def _time(fn: Callable[[int], object], calls: int) -> DomainFigure:
    latencies = []
    for i in range(calls):
        start = time.perf_counter()
        fn(i)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    return DomainFigure("", calls, round(latencies[len(latencies) // 2], 3),
                        round(latencies[min(calls - 1, int(0.95 * calls))], 3))


def measure(store: GraphStore, sample: Sample, calls: int) -> list[DomainFigure]:
    figures = []
    start = time.perf_counter()
    graph = load_mapping_graph(store)
    load_maps = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    pool = load_candidates(store)
    load_candidates_ms = (time.perf_counter() - start) * 1000
    ordinals = graph.ordinals
    pairs = list(zip(sample.levels, sample.frameworks, strict=False))

    def to(i: int) -> object:
        level, framework = pairs[i % len(pairs)]
        return eq.find_equivalences(graph.index, level, framework, ordinals=ordinals)

    def everywhere(i: int) -> object:
        return eq.find_equivalences(graph.index, sample.levels[i % len(sample.levels)], None,
                                    ordinals=ordinals)

    def rank(i: int) -> object:
        code = sample.profiles[i % len(sample.profiles)]
        holder = pool.targets[code].requirements
        return pf.rank_targets(holder, pool.index, limit=10, exclude={code})

    for name, fn in (("find_equivalences from->to", to),
                     ("find_equivalences from (all)", everywhere),
                     ("rank_targets top-10 (TargetIndex)", rank)):
        figure = _time(fn, calls)
        figure.name = name
        figures.append(figure)
    figures.append(DomainFigure("load mapping graph from store (cache fill)", 1,
                                round(load_maps, 1), round(load_maps, 1)))
    figures.append(DomainFigure("load portability candidates from store (cache fill)", 1,
                                round(load_candidates_ms, 1), round(load_candidates_ms, 1)))
    return figures

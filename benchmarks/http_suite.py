"""The HTTP part of the core suite: the same operations on two graphs (the project's seed
data and the ESCO-sized generated graph), each section starting with the bare FastAPI app
and the service's ``/health/live`` measured in the same run, then two uvicorn workers on
the ESCO-sized graph (bare app with two workers beside it)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import httpx
from rich.console import Console

from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.catalog import SeedBundle
from app.seed.loader import seed
from benchmarks import http_bench as hb
from benchmarks.generator import Sample

SEEDED_GRAPH = "seeded"
NOT_NATIONAL = frozenset({"CQF", "EQF", "QF-EHEA", "ISCED-2011"})
WORKER_OPS = (hb.LIVE, "lookup competency", "equivalence from->to", "portability top-10")


@dataclass(frozen=True)
class Section:
    title: str  # "seeded" or "ESCO-sized"
    graph: str  # graph name in the benchmark's FalkorDB
    sample: Sample


def seed_graph(store: GraphStore) -> Sample:
    """Write the project's seed data into ``store`` (its own graph) and draw a sample."""
    store.apply_schema()
    return seeded_sample(seed(store, SEED_DATA_DIR))


def seeded_sample(bundle: SeedBundle, size: int = 50) -> Sample:
    rng = random.Random(15)
    profiles = sorted({r["from"] for r in bundle.rels_of_type("REQUIRES")})
    competencies = sorted(r["code"] for r in bundle.node_set("Competency").rows)
    national = sorted({r["code"] for r in bundle.node_set("Level").rows
                       if r["framework"] not in NOT_NATIONAL
                       and not r["framework"].startswith("ADM-")})
    frameworks = sorted({code.split(":", 1)[0] for code in national})
    levels = [rng.choice(national) for _ in range(size)]
    return Sample(profiles=[rng.choice(profiles) for _ in range(size)],
                  competencies=[rng.choice(competencies) for _ in range(size)],
                  levels=levels, frameworks=[rng.choice(frameworks) for _ in range(size)])


def _case_package(base: str) -> str | None:
    """The competency framework's CFPackage id, from the service's own CFDocuments list."""
    try:
        docs = httpx.get(base + "/ims/case/v1p0/CFDocuments", timeout=120).json()
        return docs["CFDocuments"][0]["identifier"]
    except (httpx.HTTPError, KeyError, IndexError, ValueError):
        return None


def measure(console: Console, store_url: str, sections: list[Section], *, quick: bool,
            workers: int = 2) -> list[hb.HttpFigure]:
    # quick (CI): checks that every part runs, records nothing; wrk's shortest run is 1 s
    bench = hb.HttpBench(requests=20 if quick else 300, duration=1.0 if quick else 8.0,
                         console=console, warm_seconds=1.0 if quick else 3.0)
    figures: list[hb.HttpFigure] = []
    goals: dict[str, hb.Goal] = {}
    with hb.bare_server() as bare:
        bare_ops = [hb.Operation(hb.BARE, [hb.Call("GET", "/")]),
                    hb.Operation(hb.BARE_ASYNC, [hb.Call("GET", "/async")])]
        for section in sections:
            with hb.api_server(store_url, section.graph) as base:
                for bare_op in bare_ops:
                    console.print(f"[bold]{section.title} graph[/bold]: measuring "
                                  f"{bare_op.name} ...")
                    figures.append(bench.measure(bare, bare_op, section.title))
                ops = hb.operations(section.sample, _case_package(base))
                goals.update({op.name: op.goal for op in ops})
                for op in ops:
                    console.print(f"[bold]{section.title} graph[/bold]: measuring {op.name} ...")
                    figures.append(bench.measure(base, op, section.title))
    if workers > 1 and sections:
        last = sections[-1]
        ops = {op.name: op for op in hb.operations(last.sample)}
        with hb.bare_server(workers) as bare:
            for name, path in ((hb.BARE, "/"), (hb.BARE_ASYNC, "/async")):
                console.print(f"{workers} workers: measuring {name} ...")
                figures.append(bench.measure(bare, hb.Operation(name, [hb.Call("GET", path)]),
                                             last.title, workers, single=False))
        with hb.api_server(store_url, last.graph, workers) as base:
            for name in WORKER_OPS:
                console.print(f"{workers} workers: measuring {name} ...")
                bench.warm(base, ops[name].calls)  # both workers' caches filled
                figures.append(bench.measure(base, ops[name], last.title, workers,
                                             single=False))
    hb.with_ratios(figures, goals, esco_graph=sections[-1].title if sections else "")
    return figures

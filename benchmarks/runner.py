"""Runs the core benchmark suite: generate the graph, then each measurement beside its
baseline, then print, save JSON and (full mode) update ``docs/benchmarks.md``."""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.seed.loader import total_rows
from benchmarks import domain_bench, http_bench, http_suite, report, write_stream, writes
from benchmarks.generator import GeneratedGraph, generate, write

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results" / "latest.json"  # full mode
QUICK_RESULTS = ROOT / "benchmarks" / "results" / "quick.json"  # quick mode (CI)
DOC = ROOT / "docs" / "benchmarks.md"
MEASUREMENTS = ("http", "writes", "domain", "stream")
GRAPH = "bench"

REPRODUCE = """Reproduce (from the repository root, in the virtual environment):

    python -m benchmarks            # full mode: ESCO-sized graph, records this section
    python -m benchmarks --quick    # CI mode: graph at 1/10, prints, writes results/quick.json
    python -m benchmarks --only http --seed 7

Each run starts its own embedded FalkorDB in a temporary directory, writes the project's seed
data into one graph and generates the ESCO-sized graph into another
(`benchmarks/generator.py`, deterministic per seed). For each graph it starts `cqf serve`
(one uvicorn worker, rate limiting off) and, beside it, a bare FastAPI app
(`benchmarks/bare.py`: one `async def` route returning `{"status": "ok"}`) on the same uvicorn
settings (`app/serving.py`). Throughput: wrk from Debian in its own process (1 thread,
16 keep-alive connections, 8 s per operation; `--quick`: 1 s), each figure read against the
bare app and against the service's `/health/live` measured in the same section. Single-client
latency: sequential httpx requests after every distinct request was sent once. Then the same
with `cqf serve --workers 2` (and the bare app with 2 workers). Without wrk the suite says so
and falls back to 8 httpx client processes. Writes are compared with the same rows written one
statement per row. Raw figures: `benchmarks/results/latest.json` (quick mode: `quick.json`).
Server, store and load generator share the machine's cores: compare the ratios."""


@dataclass
class Options:
    quick: bool = False
    only: list[str] = field(default_factory=list)
    seed: int = 42
    record: bool | None = None  # None: record the doc section in full mode only
    note: str = ""
    scale: float | None = None

    @property
    def factor(self) -> float:
        return self.scale if self.scale is not None else (0.1 if self.quick else 1.0)

    def wants(self, name: str) -> bool:
        return not self.only or name in self.only


@contextmanager
def embedded_store() -> Iterator[tuple[str, FalkorDBStore]]:
    with tempfile.TemporaryDirectory(prefix="cqf-bench-") as tmp:
        server = EmbeddedFalkorDB(Path(tmp))
        server.start()
        store = FalkorDBStore.from_url(server.url, GRAPH, timeout=120)
        try:
            yield server.url, store
        finally:
            store.close()
            server.stop()


def _generate(console: Console, store: FalkorDBStore, opts: Options) -> tuple[GeneratedGraph,
                                                                               int, float]:
    start = time.perf_counter()
    with Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("generating", total=None)
        graph = generate(opts.seed, opts.factor)
        progress.update(task, total=total_rows(graph.bundle), completed=0)
        store.apply_schema()
        written = write(store, graph,
                        lambda what, n: progress.update(task, advance=n, description=what))
    return graph, written, round(time.perf_counter() - start, 1)


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}, " \
           f"Python {platform.python_version()}"


def run(opts: Options, console: Console | None = None) -> dict[str, Any]:
    console = console or Console()
    unknown = set(opts.only) - set(MEASUREMENTS)
    if unknown:
        raise ValueError(f"unknown measurement(s) {sorted(unknown)}; choose from {MEASUREMENTS}")
    http: list[http_bench.HttpFigure] = []
    stream: dict[str, Any] | None = None
    wfig: list[writes.WriteFigure] = []
    dfig: list[domain_bench.DomainFigure] = []
    load_before = _load_average()
    with embedded_store() as (url, store):
        graph, written, seconds = _generate(console, store, opts)
        console.print(f"graph written: {written:,} rows in {seconds} s")
        if opts.wants("http"):
            console.print("seeding the project's seed data into its own graph ...")
            seeded = FalkorDBStore.from_url(url, http_suite.SEEDED_GRAPH, timeout=120)
            try:
                seeded_sample = http_suite.seed_graph(seeded)
            finally:
                seeded.close()
            sections = [http_suite.Section("seeded", http_suite.SEEDED_GRAPH, seeded_sample),
                        http_suite.Section("ESCO-sized" if opts.factor == 1.0
                                           else f"generated x{opts.factor:g}", GRAPH,
                                           graph.sample)]
            http = http_suite.measure(console, url, sections, quick=opts.quick)
        if opts.wants("domain"):
            dfig = domain_bench.measure(store, graph.sample, 100 if opts.quick else 300)
        if opts.wants("writes"):
            console.print("measuring writes ...")
            wfig = writes.measure(url, graph, 300 if opts.quick else 2000, GRAPH)
        if opts.wants("stream"):  # last: it writes courses and mappings into the graph
            console.print("measuring reads under a stream of writes ...")
            stream = write_stream.measure(console, url, GRAPH, graph.sample,
                                          write_stream.writable_programme(graph),
                                          quick=opts.quick)
    meta = {"mode": "quick" if opts.quick else "full", "date": dt.date.today().isoformat(),
            "load_before": load_before, "load_after": _load_average(),
            "machine": _machine(), "seed": opts.seed, "scale": opts.factor,
            "graph": _headline(graph), "rows_written": written, "generate_seconds": seconds,
            "note": opts.note}
    report.print_tables(console, http, wfig, dfig)
    results = QUICK_RESULTS if opts.quick else RESULTS
    report.write_json(results, meta, http, wfig, dfig)
    console.print(f"results: {results.relative_to(ROOT)}")
    if stream is not None:
        console.print(write_stream.table(stream))
        saved = write_stream.save(meta, stream, opts.quick)
        console.print(f"results: {saved.relative_to(ROOT)}")
    if opts.record if opts.record is not None else not opts.quick:
        section = "## Core suite: lookup, equivalence, portability, writes\n\n" + REPRODUCE \
            + "\n\n" + report.markdown(meta, http, wfig, dfig)
        report.update_doc(DOC, section)
        if stream is not None:
            write_stream.update_doc(write_stream.markdown(meta, stream), DOC)
        console.print(f"recorded: {DOC.relative_to(ROOT)}")
    return meta


def _load_average() -> str:
    """The 1/5/15-minute load averages: how busy the shared machine was."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def _headline(graph: GeneratedGraph) -> dict[str, int]:
    counts = graph.counts()
    keys = ("JobProfile", "Competency", "REQUIRES", "Framework", "Level", "MAPS_TO",
            "Institution", "Programme", "Course", "DEVELOPS")
    return {k: counts.get(k, 0) for k in keys}

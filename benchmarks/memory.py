"""Memory per worker (issue 26.4): the resident set size of ``cqf serve --workers N`` for
N = 1, 2, 4 over the same generated graph (external FalkorDB, as the core suite runs it),
after every worker has answered the hot routes (so each holds its read models: mapping
graph, portability index, careers model, CASE packages, kept answers). RSS is read from
``/proc`` for the serving process and every process below it; the store's own memory is not
counted (it is one process whatever N is).

    python -m benchmarks.memory [--scale F] [--workers 1 2 4] [--record]
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import datetime as dt
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from benchmarks import http_bench as hb
from benchmarks import write_stream

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench:memory:start -->", "<!-- bench:memory:end -->"


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            found += [int(c) for c in (task / "children").read_text().split()]
    return found


def _rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _tree(pid: int) -> dict[int, float]:
    out, todo = {}, [pid]
    while todo:
        p = todo.pop()
        out[p] = _rss_mb(p)
        todo += _children(p)
    return out


def _fill(base: str, calls: list[hb.Call], workers: int) -> None:
    """Every hot question asked on fresh connections, enough times for every worker to get
    each (the kernel spreads new connections over the workers)."""
    def ask(call: hb.Call) -> None:
        with contextlib.suppress(httpx.HTTPError):
            httpx.request(call.method, base + call.path, json=call.body, timeout=600)

    with concurrent.futures.ThreadPoolExecutor(max_workers=2 * workers) as pool:
        list(pool.map(ask, [c for _ in range(3 * workers) for c in calls]))


def measure(console: Console, store_url: str, graph: str, sample: Any,
            counts: tuple[int, ...] = (1, 2, 4)) -> list[dict[str, Any]]:
    rows = []
    for workers in counts:
        with hb.api_process(store_url, graph, workers,
                            timeout=300) as (base, pid):
            console.print(f"memory: {workers} worker(s), filling every worker's read models ...")
            hot = write_stream.routes(base, sample)
            _fill(base, [r.calls[0] for r in hot], workers)
            time.sleep(2)
            tree = _tree(pid)
            per_worker = sorted((mb for p, mb in tree.items() if p != pid), reverse=True)
            rows.append({"workers": workers, "total_mb": round(sum(tree.values())),
                         "parent_mb": round(tree[pid]),
                         "children_mb": [round(mb) for mb in per_worker]})
            console.print(rows[-1])
    return rows


def markdown(meta: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    one = rows[0]["total_mb"] if rows else 0
    lines = ["| workers | total RSS MB | vs 1 worker | serving process MB | each child MB |",
             "| ---: | ---: | ---: | ---: | --- |"]
    for r in rows:
        lines.append(f"| {r['workers']} | {r['total_mb']} | {r['total_mb'] / one:.2f} | "
                     f"{r['parent_mb']} | {', '.join(map(str, r['children_mb']))} |")
    return "\n".join(["## Memory per worker (issue 26)", "", __doc__.split("\n\n    python")[0]
                      .strip(), "", f"Run {meta['date']}, graph scale {meta['scale']:g} "
                      f"({meta['graph']}), {meta['machine']}.", "", *lines, ""])


def main() -> None:
    from benchmarks.runner import Options, _generate, _headline, _machine, embedded_store

    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    console = Console()
    opts = Options(scale=args.scale)
    with embedded_store() as (url, store):
        graph, written, seconds = _generate(console, store, opts)
        rows = measure(console, url, "bench", graph.sample, tuple(args.workers))
    meta = {"date": dt.date.today().isoformat(), "scale": opts.factor,
            "graph": _headline(graph), "machine": _machine()}
    text = markdown(meta, rows)
    console.print(text)
    if args.record:
        write_stream.update_doc(text, DOC, START, END)


if __name__ == "__main__":
    main()

"""What the embedded store's write gate costs a write, and how long a release holds writes
off (app/graph/falkordb_write_gate.py).

    python -m benchmarks.falkordb_write_gate [--scale 1.0] [--writes 300]

Every write on the embedded store first registers itself on the server and leaves afterwards
(a Lua script and a ZREM: two extra round trips), so that a release can hold writes off while
it reads. Baseline, in the same run on the same server and graph: the same statement sent
straight to the graph, the way writes went before the gate. Each write is a one-node MERGE
(50 ``Framework`` nodes coded ``BENCH-GATE-*``, deleted at the end); rounds alternate between
the two paths, best of 3. Then a release is cut (N-Triples, Turtle, JSON-LD, SSSOM) while a
writer writes nonstop with the service's store timeout (5 s): how long the writes waited, and
how many were refused. The graph is the generated one (``benchmarks/generator.py``,
ESCO-sized at scale 1.0).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, LiteralString

from rich.console import Console

from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import StoreUnavailable
from app.logs import configure_logging
from app.services.linked_data.releases import make_release
from benchmarks.generator import generate, write

WRITE: LiteralString = ("MERGE (f:Framework {code: $code}) "
                        "SET f.name = $name, f.status = 'illustrative', f.updated = $n")
CLEAN: LiteralString = "MATCH (f:Framework) WHERE f.code STARTS WITH 'BENCH-GATE-' DETACH DELETE f"
BASE = "https://cqf.example.org/"


def _params(n: int) -> dict[str, Any]:
    return {"code": f"BENCH-GATE-{n % 50}", "name": f"w{n}", "n": n}


def _per_write_ms(action: Callable[[int], object], writes: int) -> float:
    started = time.perf_counter()
    for n in range(writes):
        action(n)
    return (time.perf_counter() - started) / writes * 1000


def write_cost(store: FalkorDBStore, writes: int) -> dict[str, float]:
    graph: Any = store._graph  # the ungated path
    gated, straight = [], []
    for _ in range(3):
        gated.append(_per_write_ms(lambda n: store.write(WRITE, _params(n)), writes))
        straight.append(_per_write_ms(lambda n: graph.query(WRITE, _params(n)), writes))
    return {"gated_ms": min(gated), "straight_ms": min(straight),
            "ratio": min(gated) / min(straight)}


def release_beside_a_writer(store: FalkorDBStore, writer: FalkorDBStore) -> dict[str, float]:
    stop = threading.Event()
    waits: list[float] = []
    refused = {"n": 0}

    def loop() -> None:
        n = 0
        while not stop.is_set():
            started = time.perf_counter()
            try:
                writer.write(WRITE, _params(n))
                waits.append(time.perf_counter() - started)
            except StoreUnavailable:
                refused["n"] += 1
            n += 1

    thread = threading.Thread(target=loop)
    thread.start()
    time.sleep(1)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        make_release(store, Path(tmp), "1.0", BASE)
        seconds = time.perf_counter() - started
    time.sleep(1)
    stop.set()
    thread.join()
    return {"release_s": seconds, "writes": len(waits), "refused": refused["n"],
            "p50_ms": statistics.median(waits) * 1000, "max_ms": max(waits) * 1000}


def main() -> None:
    from benchmarks.runner import embedded_store

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--writes", type=int, default=300)
    args = parser.parse_args()
    configure_logging("WARNING", False, to_stderr=True)
    console = Console(stderr=True)
    with embedded_store() as (url, store):
        with console.status(f"generating and writing the graph (scale {args.scale:g}) ..."):
            store.apply_schema()
            rows = write(store, generate(42, args.scale))
        with console.status("timing writes ..."):
            cost = write_cost(store, args.writes)
        writer = FalkorDBStore.from_url(url, "bench", timeout=5)
        try:
            with console.status("cutting a release beside a writer ..."):
                beside = release_beside_a_writer(store, writer)
        finally:
            writer.close()
        store.write(CLEAN)
    print(f"graph: {rows:,} rows (scale {args.scale:g})")
    print(f"one write: gated {cost['gated_ms']:.2f} ms, straight to the graph "
          f"{cost['straight_ms']:.2f} ms (x{cost['ratio']:.2f})")
    print(f"a release ({beside['release_s']:.1f} s) beside a writer writing nonstop: "
          f"{beside['writes']:.0f} writes, p50 {beside['p50_ms']:.1f} ms, longest wait "
          f"{beside['max_ms']:.0f} ms, {beside['refused']:.0f} refused after 5 s")


if __name__ == "__main__":
    main()

"""What the embedded store's copy gate costs: a write's extra round trips, and how long a
release's copy of the graph holds writes off (app/graph/copy_gate.py).

    python -m benchmarks.copy_gate [--scale 1.0] [--writes 300] [--copies 5]

The gate exists because the FalkorDB build we ship hangs for good when a write commits while
``GRAPH.COPY`` copies the graph. Each write now registers itself on the server first and
leaves afterwards (two Lua/ZREM round trips), and a copy holds new writes off until it ends.
Baselines, in the same run on the same server and graph: the same statement sent straight to
the graph (the way writes went before the gate), and writes with no copy running. The graph
is the generated one (``benchmarks/generator.py``, ESCO-sized at scale 1.0). Each write is a
one-node MERGE (50 ``Framework`` nodes coded ``BENCH-COPY-*``); rounds alternate between the
two paths, best of 3.
"""

from __future__ import annotations

import argparse
import statistics
import threading
import time
from collections.abc import Callable
from typing import Any, LiteralString

from rich.console import Console

from app.graph.falkordb_store import FalkorDBStore
from benchmarks.generator import generate, write

WRITE: LiteralString = ("MERGE (f:Framework {code: $code}) "
                        "SET f.name = $name, f.status = 'illustrative', f.updated = $n")


def _per_write_ms(action: Callable[[int], object], writes: int) -> float:
    started = time.perf_counter()
    for n in range(writes):
        action(n)
    return (time.perf_counter() - started) / writes * 1000


def _params(n: int) -> dict[str, Any]:
    return {"code": f"BENCH-COPY-{n % 50}", "name": f"w{n}", "n": n}


def write_cost(store: FalkorDBStore, writes: int) -> dict[str, float]:
    graph: Any = store._graph  # pyright: ignore[reportPrivateUsage]  (the ungated path)
    gated = min(_per_write_ms(lambda n: store.write(WRITE, _params(n)), writes)
                for _ in range(3))
    straight = min(_per_write_ms(lambda n: graph.query(WRITE, _params(n)), writes)
                   for _ in range(3))
    return {"gated_ms": gated, "straight_ms": straight, "ratio": gated / straight}


def copy_seconds(store: FalkorDBStore, copies: int) -> list[float]:
    """How long each copy takes, taken alone (the gate is closed that long)."""
    times = []
    for _ in range(copies):
        started = time.perf_counter()
        with store.snapshot():
            times.append(time.perf_counter() - started)
    return times


def writes_beside(store: FalkorDBStore, writer: FalkorDBStore, copies: int) -> dict[str, float]:
    """Write latencies with a writer writing nonstop, first alone, then while copies run."""
    def latencies(during: Callable[[], object]) -> list[float]:
        stop = threading.Event()
        seen: list[float] = []

        def loop() -> None:
            n = 0
            while not stop.is_set():
                started = time.perf_counter()
                writer.write(WRITE, _params(n))
                seen.append(time.perf_counter() - started)
                n += 1

        thread = threading.Thread(target=loop)
        thread.start()
        try:
            during()
        finally:
            stop.set()
            thread.join()
        return seen

    alone = latencies(lambda: time.sleep(3))
    beside = latencies(lambda: copy_seconds(store, copies))
    return {"alone_p50_ms": statistics.median(alone) * 1000,
            "alone_max_ms": max(alone) * 1000,
            "beside_p50_ms": statistics.median(beside) * 1000,
            "beside_max_ms": max(beside) * 1000, "beside_writes": len(beside)}


def main() -> None:
    from benchmarks.runner import embedded_store

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--copies", type=int, default=5)
    args = parser.parse_args()
    console = Console(stderr=True)
    with embedded_store() as (url, store):
        with console.status(f"generating and writing the graph (scale {args.scale:g}) ..."):
            store.apply_schema()
            rows = write(store, generate(42, args.scale))
        console.print(f"graph written: {rows:,} rows")
        cost = write_cost(store, args.writes)
        copies = copy_seconds(store, args.copies)
        writer = FalkorDBStore.from_url(url, "bench", timeout=120)
        try:
            beside = writes_beside(store, writer, args.copies)
        finally:
            writer.close()
        store.write("MATCH (f:Framework) WHERE f.code STARTS WITH 'BENCH-COPY-' "
                    "DETACH DELETE f")
    print(f"graph: {rows:,} rows (scale {args.scale:g})")
    print(f"one write, gated {cost['gated_ms']:.2f} ms; straight to the graph "
          f"{cost['straight_ms']:.2f} ms (the gate: x{cost['ratio']:.2f})")
    print(f"one copy (writes held off meanwhile): median {statistics.median(copies):.2f} s, "
          f"max {max(copies):.2f} s over {len(copies)}")
    print(f"a writer writing nonstop: alone p50 {beside['alone_p50_ms']:.1f} ms, max "
          f"{beside['alone_max_ms']:.1f} ms; while {args.copies} copies run p50 "
          f"{beside['beside_p50_ms']:.1f} ms, max {beside['beside_max_ms']:.1f} ms "
          f"({beside['beside_writes']:.0f} writes)")


if __name__ == "__main__":
    main()

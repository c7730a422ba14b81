"""What the Neo4j write gate costs writes (issue 22.5).

    CQF_BENCH_NEO4J_URI=bolt://127.0.0.1:7687 CQF_BENCH_NEO4J_PASSWORD=... \\
        python -m benchmarks.write_gate [--writes 300] [--threads 4]

Every write transaction on Neo4j first takes the write lock of one gate node, so that a
release's snapshot (which holds that lock) sees one graph state. The baseline, measured in
the same run on the same server, is the same writes without the gate. Each write is one small
audited-size statement (a MERGE of one node with a few properties); serial writes show the
gate's extra statement, concurrent writes its serialisation.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from app.graph.neo4j_store import Neo4jStore

WRITE = ("MERGE (f:Framework {code: $code}) "
         "SET f.name = $name, f.status = 'illustrative', f.updated = $n")
CLEAN = "MATCH (f:Framework) WHERE f.code STARTS WITH 'BENCH-GATE-' DETACH DELETE f"


def _store(gate: bool) -> Neo4jStore:
    return Neo4jStore(os.environ.get("CQF_BENCH_NEO4J_URI", "bolt://127.0.0.1:7687"),
                      os.environ.get("CQF_BENCH_NEO4J_USER", "neo4j"),
                      os.environ["CQF_BENCH_NEO4J_PASSWORD"], "neo4j", timeout=30,
                      liveness=30, gate_writes=gate)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _writes(store: Neo4jStore, count: int, threads: int, tag: str) -> float:
    def one(n: int) -> None:
        store.write(WRITE, {"code": f"BENCH-GATE-{tag}-{n % 50}", "name": f"w{n}", "n": n})

    if threads == 1:
        return _timed(lambda: [one(n) for n in range(count)])
    with ThreadPoolExecutor(threads) as pool:
        return _timed(lambda: list(pool.map(one, range(count))))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    stores = {"ungated": _store(False), "gated": _store(True)}
    try:
        stores["gated"].write(CLEAN)
        for name, store in stores.items():  # warm both connection pools
            _writes(store, 20, 1, f"warm-{name}")
        for threads in (1, args.threads):
            seconds = {name: min(_writes(store, args.writes, threads, f"{name}-{threads}")
                                 for _ in range(3))
                       for name, store in stores.items()}
            rate = {name: args.writes / s for name, s in seconds.items()}
            print(f"{threads} thread(s), {args.writes} writes: "
                  f"ungated {rate['ungated']:.0f}/s, gated {rate['gated']:.0f}/s, "
                  f"gated/ungated time {seconds['gated'] / seconds['ungated']:.2f}")
        stores["gated"].write(CLEAN)
    finally:
        for store in stores.values():
            store.close()


if __name__ == "__main__":
    main()

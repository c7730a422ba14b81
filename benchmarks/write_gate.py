"""What the Neo4j write gate costs a write (issue 22.5).

    CQF_TEST_NEO4J_URI=bolt://127.0.0.1:PORT CQF_TEST_NEO4J_PASSWORD=... \\
        python -m benchmarks.write_gate [--writes 200] [--threads 4]

Every write transaction on Neo4j first locks one of a few stripe nodes of the write gate, so
that a release (which holds all of them while it reads) is one graph state. Baseline, in the
same run on the same server: the same statement the way writes were sent before the gate
(``execute_query`` on a driver of its own: one statement, one transaction), and the gated path
with its lock statement replaced by ``RETURN 1`` ("no lock": what the lock itself costs,
apart from the extra statement). Each write is a
one-node MERGE with three properties (50 nodes); rounds alternate between the two paths, best
of 3 each. Nodes it writes are ``Framework`` nodes coded ``BENCH-GATE-*``, deleted at the end.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, LiteralString

from neo4j import GraphDatabase, Query, RoutingControl

from app.graph.cypher.operations import write_gate
from app.graph.neo4j_store import Neo4jStore

WRITE: LiteralString = ("MERGE (f:Framework {code: $code}) "
                        "SET f.name = $name, f.status = 'illustrative', f.updated = $n")
CLEAN: LiteralString = "MATCH (f:Framework) WHERE f.code STARTS WITH 'BENCH-GATE-' DETACH DELETE f"


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    uri = os.environ.get("CQF_TEST_NEO4J_URI", "bolt://127.0.0.1:7687")
    password = os.environ["CQF_TEST_NEO4J_PASSWORD"]
    store = Neo4jStore(uri, "neo4j", password, "neo4j", timeout=30, liveness=30)
    driver: Any = GraphDatabase.driver(uri, auth=("neo4j", password))

    def gated(n: int) -> None:
        store.write(WRITE, {"code": f"BENCH-GATE-{n % 50}", "name": f"w{n}", "n": n})

    def before(n: int) -> None:
        driver.execute_query(Query(WRITE, timeout=30), {"code": f"BENCH-GATE-{n % 50}",
                             "name": f"w{n}", "n": n}, database_="neo4j",
                             routing_=RoutingControl.WRITE)

    def unlocked(n: int) -> None:
        lock, write_gate.TAKE_STRIPE = write_gate.TAKE_STRIPE, "RETURN 1"
        try:
            gated(n)
        finally:
            write_gate.TAKE_STRIPE = lock

    def run(write: Callable[[int], None], threads: int) -> float:
        if threads == 1:
            return _timed(lambda: [write(n) for n in range(args.writes)])
        with ThreadPoolExecutor(threads) as pool:
            return _timed(lambda: list(pool.map(write, range(args.writes))))

    try:
        store.apply_schema()
        run(gated, 1)  # warm both paths and the plan cache
        run(before, 1)
        for threads in (1, args.threads):
            paths = {"before": before, "no lock": unlocked, "gated": gated}
            if threads > 1:  # swapping the statement is not thread-safe
                del paths["no lock"]
            best = dict.fromkeys(paths, float("inf"))
            for _ in range(3):
                for name, path in paths.items():
                    best[name] = min(best[name], run(path, threads))
            rates = ", ".join(f"{name} {args.writes / t:.0f}/s" for name, t in best.items())
            print(f"{threads} thread(s), {args.writes} writes: {rates}; "
                  f"gated/before time {best['gated'] / best['before']:.2f}")
    finally:
        store.write(CLEAN)
        store.close()
        driver.close()


if __name__ == "__main__":
    main()

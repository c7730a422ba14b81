"""Cold answers on Neo4j beside the embedded store, in one run (issue 23.4).

    python -m benchmarks.neo4j_cold --neo4j-uri bolt://127.0.0.1:7687 --neo4j-password ...
    python -m benchmarks.neo4j_cold --quick      # fewer rounds; no record

The Neo4j server defaults to the tests' (``CQF_TEST_NEO4J_URI``, ``CQF_TEST_NEO4J_PASSWORD``):
**its database is cleared and seeded** with the project's seed data, as the tests do. The
embedded FalkorDB is the suite's own, in a temporary directory, with the same seed data.

Two ``cqf serve`` processes (one worker each, rate limiting off, ``CQF_KEEP_ANSWERS=false``:
every answer is computed afresh while the read models stay cached, so what is measured is
the answer's own work and its round trips to the store) run at the same time, and every
request is sent to both in turn, so a change of the shared machine's load falls on both
alike. With ``--nothing-cached`` the same again with ``CQF_MAPPING_CACHE_SECONDS=0`` (every answer
also reloads the read models it needs). Prints p50/p95 per operation and backend and the
ratio Neo4j / embedded of the p50s (goal: at most 1.5 with kept answers off).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from app.graph.falkordb_store import FalkorDBStore
from app.graph.neo4j_store import Neo4jStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from benchmarks import http_bench as hb
from benchmarks import write_stream
from benchmarks.runner import DOC, _load_average, _machine, embedded_store

START = "<!-- bench:neo4j-cold:start -->"
END = "<!-- bench:neo4j-cold:end -->"
GRAPH = "cold"
GOAL = 1.5
MODES = {"kept answers off": {"CQF_KEEP_ANSWERS": "false"},
         "nothing cached": {"CQF_MAPPING_CACHE_SECONDS": "0"}}


@contextlib.contextmanager
def _serve(envs: dict[str, dict[str, str]]) -> Iterator[dict[str, str]]:
    """One ``cqf serve`` per environment, started together (each takes seconds to start on a
    busy machine); yields their base URLs by name."""
    bases, processes = {}, []
    try:
        for name, env in envs.items():
            port = hb.free_port()
            bases[name] = f"http://127.0.0.1:{port}"
            full = {**os.environ, "CQF_SEED_ON_START": "false", "CQF_LOG_LEVEL": "WARNING",
                    "CQF_RATE_LIMIT_ENABLED": "false", "CQF_STORE_TIMEOUT_SECONDS": "60",
                    "CQF_STORE_LIVENESS_SECONDS": "30", "CQF_PORT": str(port), **env}
            processes.append(subprocess.Popen(  # noqa: S603
                [sys.executable, "-c", "from app.cli import main; main()", "serve",
                 "--workers", "1"], env=full, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL))
        for process, base in zip(processes, bases.values(), strict=True):
            hb._wait_ready(process, base + "/health/ready", "cqf serve")  # noqa: SLF001
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _questions(base: str) -> dict[str, list[hb.Call]]:
    """Per operation, distinct questions taken from the seeded graph itself."""
    with httpx.Client(base_url=base, timeout=120) as client:
        def codes(path: str, n: int) -> list[str]:
            items = client.get(f"/api/v1/{path}", params={"limit": n}).json()["items"]
            return [i["code"] for i in items]

        competencies, families = codes("competencies", 20), codes("job-families", 6)
        profiles = codes("job-profiles", 10)
    levels = [f"IE-NFQ:{n}" for n in range(4, 11)]
    return {
        "competency look-up": [hb.Call("GET", f"/api/v1/competencies/{c}") for c in competencies],
        "equivalence from-to": [hb.Call("GET", f"/api/v1/equivalences?from={lv}&to=NL-NLQF")
                                for lv in levels],
        "equivalence, all targets": [hb.Call("GET", f"/api/v1/equivalences?from={lv}")
                                     for lv in levels],
        "CQF table (JSON)": [hb.Call("GET", "/api/v1/cqf-table"),
                             hb.Call("GET", "/api/v1/cqf-table?lang=fr")],
        "career path": [hb.Call("GET", f"/api/v1/job-families/{f}/career-path")
                        for f in families],
        "portability": [hb.Call("POST", "/api/v1/portability", {"from_profile": p, "limit": 10})
                        for p in profiles],
        "successors": [hb.Call("GET", f"/api/v1/job-profiles/{p}/successors") for p in profiles],
    }


def _timed(client: httpx.Client, call: hb.Call) -> float:
    start = time.perf_counter()
    response = client.request(call.method, call.path, json=call.body)
    elapsed = (time.perf_counter() - start) * 1000
    response.raise_for_status()
    return elapsed


def _measure(console: Console, bases: dict[str, str], rounds: int
             ) -> dict[str, dict[str, list[float]]]:
    """Latencies (ms) per operation and backend: every question once untimed (the read models
    load), then ``rounds`` times each question, sent to each backend in turn."""
    questions = _questions(next(iter(bases.values())))
    out: dict[str, dict[str, list[float]]] = {}
    clients = {name: httpx.Client(base_url=base, timeout=120) for name, base in bases.items()}
    try:
        for op, calls in questions.items():
            console.print(f"  {op} ...")
            for call in calls:
                for client in clients.values():
                    _timed(client, call)
            out[op] = {name: [] for name in clients}
            for i in range(rounds):
                for call in calls:
                    order = list(clients.items())
                    for name, client in order if i % 2 else reversed(order):
                        out[op][name].append(_timed(client, call))
    finally:
        for client in clients.values():
            client.close()
    return out


def _stats(latencies: dict[str, dict[str, list[float]]]) -> list[dict[str, Any]]:
    rows = []
    for op, per in latencies.items():
        e, n = per["embedded"], per["neo4j"]
        ep50, np50 = hb.percentile(e, 0.5), hb.percentile(n, 0.5)
        rows.append({"operation": op, "requests": len(n), "embedded_p50": round(ep50, 2),
                     "embedded_p95": round(hb.percentile(e, 0.95), 2),
                     "neo4j_p50": round(np50, 2), "neo4j_p95": round(hb.percentile(n, 0.95), 2),
                     "ratio_p50": round(np50 / ep50, 2)})
    return rows


def measure(console: Console, uri: str, user: str, password: str, rounds: int,
            modes: tuple[str, ...] = ("kept answers off",)) -> dict[str, list[dict[str, Any]]]:
    results: dict[str, list[dict[str, Any]]] = {}
    with embedded_store() as (address, _):
        url = str(address)  # the server's redis:// URL (the helper's annotation says int)
        console.print("seeding the embedded store and Neo4j ...")
        falkordb = FalkorDBStore.from_url(url, GRAPH, timeout=120)
        neo4j = Neo4jStore(uri, user, password, "neo4j", timeout=120, liveness=120)
        try:
            for store in (falkordb, neo4j):
                if store is neo4j:
                    store.write("MATCH (n) DETACH DELETE n")
                store.apply_schema()
                seed(store, SEED_DATA_DIR)
        finally:
            falkordb.close()
            neo4j.close()
        stores = {"embedded": {"CQF_BACKEND": "falkordb", "CQF_FALKORDB_URL": url,
                               "CQF_GRAPH_NAME": GRAPH},
                  "neo4j": {"CQF_BACKEND": "neo4j", "CQF_NEO4J_URI": uri,
                            "CQF_NEO4J_USER": user, "CQF_NEO4J_PASSWORD": password}}
        for mode in modes:
            console.print(f"measuring cold answers, {mode} ...")
            with _serve({name: {**env, **MODES[mode]} for name, env in stores.items()}) as bases:
                results[mode] = _stats(_measure(console, bases, rounds))
    return results


def table(mode: str, rows: list[dict[str, Any]]) -> Table:
    out = Table(title=f"Cold answers, {mode}: Neo4j beside the embedded store")
    for column in ("operation", "requests", "embedded p50 ms", "embedded p95 ms",
                   "Neo4j p50 ms", "Neo4j p95 ms", "Neo4j / embedded (p50)"):
        out.add_column(column)
    for r in rows:
        out.add_row(r["operation"], str(r["requests"]), str(r["embedded_p50"]),
                    str(r["embedded_p95"]), str(r["neo4j_p50"]), str(r["neo4j_p95"]),
                    f"{r['ratio_p50']}x")
    return out


def markdown(meta: dict[str, Any], results: dict[str, list[dict[str, Any]]]) -> str:
    lines = ["## Cold answers on Neo4j beside the embedded store (issue 23.4)", "",
             "Reproduce: `python -m benchmarks.neo4j_cold` (the tests' Neo4j from "
             "`CQF_TEST_NEO4J_URI`/`CQF_TEST_NEO4J_PASSWORD`, or `--neo4j-uri`; its database is "
             "cleared and seeded). The project's seed graph on both stores; one `cqf serve` "
             "worker per store running at the same time, every request sent to both in turn. "
             "*Kept answers off*: `CQF_KEEP_ANSWERS=false`, every answer computed afresh, read "
             "models cached (a hot answer is then at most two round trips on Neo4j, "
             "`tests/integration/test_neo4j_round_trips.py`). Goal: Neo4j p50 within "
             f"{GOAL}x of embedded with kept ""answers off.", "",
             f"Run {meta['date']} on {meta['machine']}; {meta['rounds']} rounds of each "
             f"question; load average (1 / 5 / 15 min) before: {meta['load_before']}, after: "
             f"{meta['load_after']}. The machine was shared with other work: compare the "
             "ratios, measured side by side, not the milliseconds across runs.", ""]
    if "nothing cached" in results:
        lines += ["*Nothing cached* (`--nothing-cached`): `CQF_MAPPING_CACHE_SECONDS=0`, each "
                  "answer also reloads the read models it needs (several statements each).", ""]
    for mode, rows in results.items():
        lines += [f"{mode[0].upper()}{mode[1:]}:", "",
                  "| operation | requests | embedded p50 ms | embedded p95 ms | Neo4j p50 ms | "
                  "Neo4j p95 ms | Neo4j / embedded (p50) |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += [f"| {r['operation']} | {r['requests']} | {r['embedded_p50']} | "
                  f"{r['embedded_p95']} | {r['neo4j_p50']} | {r['neo4j_p95']} | "
                  f"{r['ratio_p50']}x |" for r in rows]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.neo4j_cold",
                                     description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--neo4j-uri", default=os.environ.get("CQF_TEST_NEO4J_URI"))
    parser.add_argument("--neo4j-user", default=os.environ.get("CQF_TEST_NEO4J_USER", "neo4j"))
    parser.add_argument("--neo4j-password", default=os.environ.get("CQF_TEST_NEO4J_PASSWORD"))
    parser.add_argument("--quick", action="store_true", help="3 rounds, no record (CI)")
    parser.add_argument("--nothing-cached", action="store_true",
                        help="also measure with CQF_MAPPING_CACHE_SECONDS=0")
    parser.add_argument("--rounds", type=int, default=None, help="rounds of each question")
    parser.add_argument("--record", action=argparse.BooleanOptionalAction, default=None,
                        help="write docs/benchmarks.md (default: not with --quick)")
    args = parser.parse_args()
    console = Console()
    if not args.neo4j_uri or not args.neo4j_password:
        console.print("no Neo4j: set CQF_TEST_NEO4J_URI and CQF_TEST_NEO4J_PASSWORD, or pass "
                      "--neo4j-uri and --neo4j-password")
        raise SystemExit(2)
    rounds = args.rounds or (3 if args.quick else 10)
    meta = {"date": dt.date.today().isoformat(), "machine": _machine(), "rounds": rounds,
            "load_before": _load_average()}
    modes = tuple(MODES) if args.nothing_cached else ("kept answers off",)
    results = measure(console, args.neo4j_uri, args.neo4j_user, args.neo4j_password, rounds,
                      modes)
    meta["load_after"] = _load_average()
    for mode, rows in results.items():
        console.print(table(mode, rows))
    console.print(f"load average before / after: {meta['load_before']} / {meta['load_after']}")
    if args.record if args.record is not None else not args.quick:
        write_stream.update_doc(markdown(meta, results).rstrip(), DOC, START, END)
        console.print(f"recorded: {DOC.name}")


if __name__ == "__main__":
    main()

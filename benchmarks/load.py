"""Bounded load test: 50 concurrent connections on loopback for 60 s (``--seconds``; ``--quick``
runs 5 s) mixing lookups, level equivalence and portability against ``cqf serve`` on the
embedded store (a fresh data directory, seeded on start). An asyncio httpx driver: one
keep-alive connection per worker. Any non-2xx answer or transport error counts as an error.
Writes p50/p95/p99 and throughput into docs/benchmarks.md between the load markers (and
nowhere else in that file).

    python -m benchmarks.load            # the record: 60 s
    python -m benchmarks.load --quick    # a 5 s smoke run
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from app.graph.embedded import _free_loopback_port

DOC = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.md"
START, END = "<!-- bench:load:start -->", "<!-- bench:load:end -->"
MIX = (("lookup", 0.6), ("equivalence", 0.25), ("portability", 0.15))


def start_service(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_LOG_LEVEL": "WARNING", "CQF_RATE_LIMIT_ENABLED": "false"}
    process = subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()",
                                "serve"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("cqf serve did not become ready")


def requests_for(base: str) -> dict[str, list[tuple[str, str, dict | None]]]:
    """Real codes from the seeded graph, so every request is answerable."""
    def codes(path: str) -> list[str]:
        return [i["code"] for i in httpx.get(base + path, timeout=10).json()["items"]]

    competencies = codes("/api/v1/competencies?limit=50")
    profiles = codes("/api/v1/job-profiles?limit=50")
    levels = [f"EQF:{n}" for n in range(1, 9)]
    return {
        "lookup": [("GET", f"/api/v1/competencies/{c}", None) for c in competencies]
        + [("GET", f"/api/v1/job-profiles/{p}", None) for p in profiles]
        + [("GET", f"/api/v1/levels/{lv}", None) for lv in levels],
        "equivalence": [("GET", f"/api/v1/equivalences?from={lv}", None) for lv in levels]
        + [("GET", "/api/v1/equivalences?from=IE-NFQ:8&to=NL-NLQF", None)],
        "portability": [("POST", "/api/v1/portability", {"from_profile": p, "limit": 10})
                        for p in profiles],
    }


async def worker(client: httpx.AsyncClient, plan: dict, deadline: float, seed: int,
                 samples: dict[str, list[float]], errors: list[str]) -> None:
    rng = random.Random(seed)
    kinds, weights = [k for k, _ in MIX], [w for _, w in MIX]
    while time.monotonic() < deadline:
        kind = rng.choices(kinds, weights)[0]
        method, path, body = rng.choice(plan[kind])
        started = time.perf_counter()
        try:
            answer = await client.request(method, path, json=body)
            if answer.status_code >= 300:
                errors.append(f"{answer.status_code} {method} {path}")
        except httpx.HTTPError as exc:
            errors.append(f"{type(exc).__name__} {method} {path}")
        samples[kind].append(time.perf_counter() - started)


async def run_load(base: str, seconds: float, connections: int) -> dict:
    plan = requests_for(base)
    samples: dict[str, list[float]] = {k: [] for k, _ in MIX}
    errors: list[str] = []
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(worker(client, plan, deadline, i, samples, errors)
                               for i in range(connections)))
        elapsed = time.monotonic() - started
    return {"samples": samples, "errors": errors, "elapsed": elapsed,
            "connections": connections}


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 \
        else (values[0] if values else 0.0)


def table(result: dict) -> str:
    rows = ["| operation | requests | errors | p50 ms | p95 ms | p99 ms | requests/s |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    everything = [v for vs in result["samples"].values() for v in vs]
    groups = [*result["samples"].items(), ("all", everything)]
    for kind, values in groups:
        errs = len(result["errors"]) if kind == "all" else sum(
            1 for e in result["errors"] if _kind_of(e) == kind)
        rows.append(f"| {kind} | {len(values)} | {errs} | {percentile(values, 50) * 1000:.1f} "
                    f"| {percentile(values, 95) * 1000:.1f} | {percentile(values, 99) * 1000:.1f} "
                    f"| {len(values) / result['elapsed']:.0f} |")
    return "\n".join(rows)


def _kind_of(error: str) -> str:
    return ("equivalence" if "equivalences" in error else "portability"
            if "portability" in error else "lookup")


def record(result: dict, seconds: float) -> None:
    section = (f"{START}\n### Load (`python -m benchmarks.load`)\n\n"
               f"{result['connections']} concurrent keep-alive connections on loopback for "
               f"{seconds:.0f} s against `cqf serve` (one uvicorn worker, embedded FalkorDB, "
               f"seed graph), mix {', '.join(f'{k} {w:.0%}' for k, w in MIX)}; "
               f"measured {time.strftime('%Y-%m-%d')} on this machine "
               f"({os.cpu_count()} cores). Client and server share the cores.\n\n"
               f"{table(result)}\n{END}")
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--quick", action="store_true", help="5 s smoke run")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--no-record", action="store_true", help="do not touch the docs")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    port = _free_loopback_port()
    with tempfile.TemporaryDirectory() as data_dir:
        service = start_service(Path(data_dir), port)
        try:
            result = asyncio.run(run_load(f"http://127.0.0.1:{port}", seconds,
                                          args.connections))
        finally:
            service.send_signal(signal.SIGTERM)
            service.wait(timeout=30)
    print(table(result))
    if result["errors"]:
        print(f"{len(result['errors'])} errors, e.g. {result['errors'][:5]}", file=sys.stderr)
    if not args.no_record and not args.quick:
        record(result, seconds)
    sys.exit(1 if result["errors"] else 0)


if __name__ == "__main__":
    main()

"""HTTP figures through real uvicorn servers (their own processes), each beside two baselines
measured in the same run:

- **bare**: a minimal FastAPI app (``benchmarks/bare.py``) on the service's own uvicorn
  settings: what the framework and server alone do on this machine;
- **live**: the service's own ``/health/live``: what the service does before any store work.

Throughput comes from wrk (``benchmarks/wrk.py``: one thread, 16 keep-alive connections, its
own process). Without wrk the suite falls back to httpx client processes and says so.
Single-client latency (p50/p95/p99) comes from sequential httpx requests after a warm-up that
sends every distinct request once (caches primed), which is the latency one user sees.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

import httpx

from benchmarks import wrk
from benchmarks.generator import Sample

BARE = "bare FastAPI, def route (separate app)"
BARE_ASYNC = "bare FastAPI, async def route"
LIVE = "service /health/live"
CONNECTIONS = 16


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None


@dataclass(frozen=True)
class Goal:
    """A target from issue 15: throughput at least ``vs_bare`` x the bare app (16
    connections); single-client p95 at most ``p95_ms`` on the ESCO-sized graph."""

    vs_bare: float | None = None
    p95_ms: float | None = None

    def text(self) -> str:
        parts = []
        if self.vs_bare is not None:
            parts.append(f">= {self.vs_bare}x bare")
        if self.p95_ms is not None:
            parts.append(f"p95 <= {self.p95_ms:g} ms (ESCO)")
        return ", ".join(parts)


@dataclass
class Operation:
    name: str
    calls: list[Call]
    goal: Goal = field(default_factory=Goal)
    throughput: bool = True  # False: single-client latency only
    requests: int | None = None  # single-client requests, when fewer than the suite's


@dataclass
class HttpFigure:
    graph: str
    workers: int
    name: str
    requests: int
    p50_ms: float | None
    p95_ms: float | None
    p99_ms: float | None
    throughput_rps: float | None
    concurrent_p95_ms: float | None
    errors: int
    load_generator: str
    goal: str = ""
    verdict: str = ""
    ratios: dict[str, float] = field(default_factory=dict)


LOOKUP = Goal(vs_bare=0.5, p95_ms=5)


def operations(sample: Sample, case_package: str | None = None) -> list[Operation]:
    pairs = list(zip(sample.levels, sample.frameworks, strict=False))
    pairs = [(lv, fw) for lv, fw in pairs if not lv.startswith(fw + ":")]
    ops = [
        Operation(LIVE, [Call("GET", "/health/live")], Goal(vs_bare=0.8)),
        Operation("lookup competency", [Call("GET", f"/api/v1/competencies/{c}")
                                        for c in sample.competencies], LOOKUP),
        Operation("lookup level", [Call("GET", "/api/v1/levels/{}/{}".format(*lv.split(":", 1)))
                                   for lv in sample.levels], LOOKUP),
        Operation("lookup job profile", [Call("GET", f"/api/v1/job-profiles/{p}")
                                         for p in sample.profiles], LOOKUP),
        Operation("equivalence from->to", [
            Call("GET", f"/api/v1/equivalences?from={lv}&to={fw}") for lv, fw in pairs], LOOKUP),
        Operation("equivalence from (all targets)", [
            Call("GET", f"/api/v1/equivalences?from={lv}") for lv in sample.levels],
            Goal(vs_bare=0.3, p95_ms=20)),
        Operation("portability top-10", [
            Call("POST", "/api/v1/portability", {"from_profile": p, "limit": 10})
            for p in sample.profiles], Goal(vs_bare=0.25, p95_ms=15)),
        Operation("portability top-10 with_training", [
            Call("POST", "/api/v1/portability",
                 {"from_profile": p, "limit": 10, "with_training": True})
            for p in sample.profiles], Goal(p95_ms=30)),
    ]
    if case_package:
        ops.append(Operation("CASE CFPackage (competency framework)", [
            Call("GET", f"/ims/case/v1p0/CFPackages/{case_package}")], Goal(p95_ms=50),
            throughput=False, requests=40))
    return ops


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_ready(process: subprocess.Popen[bytes], url: str, what: str,
                timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited: {process.stderr.read()!r}"
                               if process.stderr else f"{what} exited")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start within {timeout:.0f} s")
        time.sleep(0.2)


@contextlib.contextmanager
def _process(args: list[str], env: dict[str, str], ready: str, what: str,
             timeout: float = 120) -> Iterator[subprocess.Popen[bytes]]:
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL,  # noqa: S603
                               stderr=subprocess.PIPE)
    try:
        _wait_ready(process, ready, what, timeout)
        yield process
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
        if process.poll() is None:
            process.kill()
            process.wait()


@contextlib.contextmanager
def bare_server(workers: int = 1) -> Iterator[str]:
    """The minimal FastAPI app on the service's uvicorn settings; yields its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with _process([sys.executable, "-m", "benchmarks.bare", "--port", str(port), "--workers",
                   str(workers)], dict(os.environ), base + "/", "bare app"):
        yield base


@contextlib.contextmanager
def api_server(store_url: str, graph: str, workers: int = 1) -> Iterator[str]:
    """``cqf serve`` itself (the command operators run) over the already written graph of
    an external FalkorDB; rate limiting off (the suite measures capacity, not the throttle)."""
    with api_process(store_url, graph, workers) as (base, _):
        yield base


@contextlib.contextmanager
def api_process(store_url: str, graph: str, workers: int = 1,
                timeout: float = 120) -> Iterator[tuple[str, int]]:
    """As ``api_server``, also yielding the serving process's pid (for measuring it)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "CQF_BACKEND": "falkordb",
           "CQF_FALKORDB_URL": store_url, "CQF_GRAPH_NAME": graph,
           "CQF_SEED_ON_START": "false", "CQF_LOG_LEVEL": "WARNING",
           "CQF_RATE_LIMIT_ENABLED": "false", "CQF_STORE_TIMEOUT_SECONDS": "60",
           "CQF_PORT": str(port)}
    with _process([sys.executable, "-c", "from app.cli import main; main()", "serve",
                   "--workers", str(workers)], env, base + "/health/ready", "cqf serve",
                  timeout) as process:
        yield base, process.pid


def _send(client: httpx.Client, call: Call) -> int:
    """The status code, or 0 when the request failed or timed out (counted as an error)."""
    try:
        return client.request(call.method, call.path, json=call.body).status_code
    except httpx.HTTPError:
        return 0


def percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _drive(base: str, calls: list[Call], start_at: float, duration: float,
           offset: int) -> tuple[int, int, list[float]]:
    """One httpx client process (fallback without wrk): requests in a loop for ``duration``."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=base, timeout=30) as client:
        _send(client, calls[offset % len(calls)])  # open the connection before the clock
        time.sleep(max(0.0, start_at - time.time()))
        end = time.perf_counter() + duration
        i = offset
        while (now := time.perf_counter()) < end:
            status = _send(client, calls[i % len(calls)])
            latencies.append((time.perf_counter() - now) * 1000)
            errors += status != 200
            i += 1
    return len(latencies), errors, latencies


class HttpBench:
    """Measures operations against one server. ``requests``: single-client requests per
    operation; ``duration``: seconds of load per operation."""

    def __init__(self, requests: int, duration: float, console: Any = None,
                 warm_seconds: float = 3.0) -> None:
        self.requests = requests
        self.duration = duration
        self.warm_seconds = warm_seconds  # each wrk round of ``warm``
        self.no_wrk = wrk.available()
        if self.no_wrk and console is not None:
            console.print(f"[yellow]{self.no_wrk}: throughput from 8 httpx client processes "
                          "instead (they share the cores with the server)[/yellow]")
        self.generator = "httpx x8" if self.no_wrk else f"wrk -t1 -c{CONNECTIONS}"

    def single(self, base: str, calls: list[Call],
               requests: int | None = None) -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        with httpx.Client(base_url=base, timeout=60) as client:
            for call in calls:  # warm-up: every distinct request once (primes caches)
                errors += _send(client, call) != 200
            for i in range(min(requests or self.requests, self.requests)):
                start = time.perf_counter()
                errors += _send(client, calls[i % len(calls)]) != 200
                latencies.append((time.perf_counter() - start) * 1000)
        return latencies, errors

    def warm(self, base: str, calls: list[Call], patience: float = 120) -> None:
        """Load, unmeasured, until every connection got answers: with several workers, each
        fills its own caches first (seconds at the ESCO-sized graph)."""
        if self.no_wrk:
            self.single(base, calls, 1)
            return
        deadline = time.monotonic() + patience
        while time.monotonic() < deadline:
            result = wrk.run(base, [(c.method, c.path, c.body) for c in calls],
                             seconds=self.warm_seconds, connections=CONNECTIONS)
            if result.requests >= 4 * CONNECTIONS:
                return

    def load(self, base: str, calls: list[Call]) -> tuple[float, float, int]:
        """(requests/s, p95 ms under load, errors)."""
        if not self.no_wrk:
            result = wrk.run(base, [(c.method, c.path, c.body) for c in calls],
                             seconds=self.duration, connections=CONNECTIONS)
            return result.rps, result.p95_ms, result.errors
        with ProcessPoolExecutor(8, mp_context=get_context("fork")) as pool:
            start_at = time.time() + 0.5
            futures = [pool.submit(_drive, base, calls, start_at, self.duration, k * 7)
                       for k in range(8)]
            done = [f.result() for f in futures]
        latencies = [x for d in done for x in d[2]]
        return (sum(d[0] for d in done) / self.duration, percentile(latencies, 0.95),
                sum(d[1] for d in done))

    def measure(self, base: str, op: Operation, graph: str, workers: int = 1,
                single: bool = True) -> HttpFigure:
        lat, errors = self.single(base, op.calls, op.requests) if single else ([], 0)
        rps, loaded_p95, more = self.load(base, op.calls) if op.throughput else (None, None, 0)

        def pct(q: float) -> float | None:
            return round(percentile(lat, q), 2) if lat else None

        return HttpFigure(graph, workers, op.name, len(lat), pct(0.50), pct(0.95), pct(0.99),
                          round(rps, 1) if rps is not None else None,
                          round(loaded_p95, 2) if loaded_p95 is not None else None,
                          errors + more, self.generator, op.goal.text())


def with_ratios(figures: list[HttpFigure], goals: dict[str, Goal], esco_graph: str) -> None:
    """Ratios against the bare app and /health/live of the same graph section and worker
    count, and a verdict against the goal (p95 goals apply to the ESCO-sized graph only)."""
    for f in figures:
        group = [g for g in figures if g.graph == f.graph and g.workers == f.workers]
        bare = next((g for g in group if g.name == BARE), None)
        ceiling = next((g for g in group if g.name == BARE_ASYNC), None)
        live = next((g for g in group if g.name == LIVE), None)
        if f.throughput_rps is not None:
            if bare and bare.throughput_rps:
                f.ratios["vs_bare"] = round(f.throughput_rps / bare.throughput_rps, 3)
            if ceiling and ceiling.throughput_rps:
                f.ratios["vs_bare_async"] = round(f.throughput_rps / ceiling.throughput_rps, 3)
            if live and live.throughput_rps:
                f.ratios["vs_live"] = round(f.throughput_rps / live.throughput_rps, 3)
        goal = goals.get(f.name)
        if goal is None:
            continue
        checks = []
        if goal.vs_bare is not None and "vs_bare" in f.ratios and f.workers == 1:
            checks.append(f.ratios["vs_bare"] >= goal.vs_bare)
        if goal.p95_ms is not None and f.graph == esco_graph and f.p95_ms is not None:
            checks.append(f.p95_ms <= goal.p95_ms)
        if checks:
            f.verdict = "met" if all(checks) else "NOT met"

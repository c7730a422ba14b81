"""HTTP figures through a real uvicorn server (its own process) driven by httpx.

Single client: p50/p95 latency of sequential requests. Concurrent: ``clients`` processes, each
with its own keep-alive connection, for a fixed time; throughput is requests answered per
second. Every operation is reported beside the trivial endpoint measured in the same run.
"""

from __future__ import annotations

import contextlib
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

from benchmarks.generator import Sample

BASELINE = "trivial /health/live"


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: dict[str, Any] | None = None


@dataclass
class Operation:
    name: str
    calls: list[Call]
    goal: str = ""


@dataclass
class HttpFigure:
    name: str
    requests: int
    p50_ms: float
    p95_ms: float
    p99_ms: float
    throughput_rps: float
    concurrent_p95_ms: float
    errors: int
    goal: str = ""
    ratios: dict[str, float] = field(default_factory=dict)


def operations(sample: Sample) -> list[Operation]:
    pairs = list(zip(sample.levels, sample.frameworks, strict=False))
    pairs = [(lv, fw) for lv, fw in pairs if not lv.startswith(fw + ":")]
    lookup_goal = "p95 < 10 ms, throughput >= 0.5x trivial"
    return [
        Operation(BASELINE, [Call("GET", "/health/live")]),
        Operation("lookup competency", [Call("GET", f"/api/v1/competencies/{c}")
                                        for c in sample.competencies], lookup_goal),
        Operation("lookup level", [Call("GET", f"/api/v1/levels/{lv}") for lv in sample.levels],
                  lookup_goal),
        Operation("equivalence from->to", [
            Call("GET", f"/api/v1/equivalences?from={lv}&to={fw}") for lv, fw in pairs],
            lookup_goal),
        Operation("equivalence from (all targets)", [
            Call("GET", f"/api/v1/equivalences?from={lv}") for lv in sample.levels],
            lookup_goal),
        Operation("portability top-10", [
            Call("POST", "/api/v1/portability", {"from_profile": p, "limit": 10})
            for p in sample.profiles], "p95 < 50 ms single-client"),
    ]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def api_server(store_port: int, graph: str) -> Iterator[str]:
    """Start ``benchmarks.server`` on a free loopback port; yield its base URL."""
    port = _free_port()
    process = subprocess.Popen(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "benchmarks.server", "--port", str(port),
         "--store-port", str(store_port), "--graph", graph],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"benchmark server exited: {process.stderr.read()!r}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(f"{base}/health/live", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError("benchmark server did not start within 60 s")
            time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=10)
        if process.poll() is None:
            process.kill()


def _send(client: httpx.Client, call: Call) -> int:
    """The status code, or 0 when the request failed or timed out (counted as an error)."""
    try:
        return client.request(call.method, call.path, json=call.body).status_code
    except httpx.HTTPError:
        return 0


def _percentile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def _drive(base: str, calls: list[Call], start_at: float, duration: float,
           offset: int) -> tuple[int, int, list[float]]:
    """One concurrent client: requests in a loop from ``start_at`` for ``duration`` seconds."""
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
    def __init__(self, base: str, clients: int, requests: int, duration: float) -> None:
        self.base = base
        self.clients = clients
        self.requests = requests
        self.duration = duration
        self.pool = ProcessPoolExecutor(clients, mp_context=get_context("fork"))

    def close(self) -> None:
        self.pool.shutdown()

    def single(self, calls: list[Call]) -> tuple[list[float], int]:
        latencies: list[float] = []
        errors = 0
        with httpx.Client(base_url=self.base, timeout=30) as client:
            for call in calls:  # warm-up: every distinct request once (primes caches)
                _send(client, call)
            for i in range(self.requests):
                start = time.perf_counter()
                errors += _send(client, calls[i % len(calls)]) != 200
                latencies.append((time.perf_counter() - start) * 1000)
        return latencies, errors

    def concurrent(self, calls: list[Call]) -> tuple[float, list[float], int]:
        start_at = time.time() + 0.5
        futures = [self.pool.submit(_drive, self.base, calls, start_at, self.duration, k * 7)
                   for k in range(self.clients)]
        done = [f.result() for f in futures]
        count = sum(d[0] for d in done)
        latencies = [x for d in done for x in d[2]]
        return count / self.duration, latencies, sum(d[1] for d in done)

    def measure(self, op: Operation) -> HttpFigure:
        single, errors = self.single(op.calls)
        rps, loaded, more_errors = self.concurrent(op.calls)
        return HttpFigure(op.name, len(single), round(_percentile(single, 0.50), 2),
                          round(_percentile(single, 0.95), 2),
                          round(_percentile(single, 0.99), 2), round(rps, 1),
                          round(_percentile(loaded, 0.95), 2), errors + more_errors, op.goal)


def with_ratios(figures: list[HttpFigure]) -> list[HttpFigure]:
    base = next(f for f in figures if f.name == BASELINE)
    for f in figures:
        f.ratios = {"throughput_vs_trivial": round(f.throughput_rps / base.throughput_rps, 3),
                    "p95_vs_trivial": round(f.p95_ms / base.p95_ms, 2)}
    return figures

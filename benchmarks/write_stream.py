"""Reads under a stream of writes (issue 26): on the generated graph plus 100,000 course
mappings from 100 institutions (``--quick``: 1,000 from one), 16 readers over the hot routes
of ``cqf serve`` (one worker) while one writer changes a course every second, and separately
while it writes a level mapping every 10 s (``--quick``: every 1 s; in turn a proposal, its
acceptance, its retraction: two writes in three change what the accepted mappings say). Per
route: p50/p95 of the readers with no writes (the warm baseline), under each stream, and the
first answer after each write (a probe asks every hot route once, in turn, as soon as the
write has answered). A course write touches none of the parts the hot routes rest on except
the competency look-up's (its page lists the courses developing it, and the writer's courses
develop the looked-up competencies: each write makes about half of them read again, one
statement each) and the career path's (each step names the courses that close its gaps); a
level's page lists programmes, which no course write changes. A level-mapping write touches
the mapping graph behind equivalence, portability, the CQF table and the career path's
placements.
Beside it, the bare FastAPI app under the same 16 readers (``benchmarks/bare.py``), measured
in the same run.

    python -m benchmarks --only stream [--quick]   # inside the core suite
    python -m benchmarks.write_stream [--quick] [--scale F] [--seconds S] [--course-mappings N]

Readers are Debian's wrk (``benchmarks/wrk.py``), a C load generator, one process per hot
route, the 16 keep-alive connections shared between the routes: a Python client of 16
connections took as much of the two cores as the server it measured (the bare app's p95 was
235–341 ms under it). Without wrk the readers fall back to one asyncio httpx client process,
and the report says so. The probe after each write is one sequential httpx client. Client and
server share the machine's cores: compare the figures of one run.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from app.graph.falkordb_store import FalkorDBStore
from app.services.access.keys import create_key
from benchmarks import growth, wrk
from benchmarks import http_bench as hb
from benchmarks.generator import GeneratedGraph, Sample

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
RESULTS = ROOT / "benchmarks" / "results"
START, END = "<!-- bench:stream:start -->", "<!-- bench:stream:end -->"
READERS = 16
PER_INSTITUTION = 1_000  # course mappings per added institution: 100k from 100 of them
# The readers take answers as they are, like wrk: inflating the gzip form of an 18 MB CASE
# package costs the one client process (which shares the 2 cores with the server) about as
# much as the server's whole answer, and every other reader's time would count it.
IDENTITY = {"Accept-Encoding": "identity"}


@dataclass(frozen=True)
class Route:
    name: str
    calls: list[hb.Call]
    after_course: str  # what a course write does to it: "unrelated" or "related"


@dataclass
class Phase:
    name: str
    seconds: float
    writes: int = 0
    write_ms: list[float] = field(default_factory=list)
    latencies: dict[str, list[float]] = field(default_factory=dict)
    measured: dict[str, wrk.WrkResult] = field(default_factory=dict)  # readers were wrk
    first_after: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    failed: list[str] = field(default_factory=list)  # the first failed writes' answers


def _codes(base: str, path: str, n: int = 5) -> list[str]:
    items = httpx.get(f"{base}{path}?limit={n}", timeout=120).json()["items"]
    return [str(i["code"]) for i in items]


def routes(base: str, sample: Sample) -> list[Route]:
    """The hot routes, with real codes of the graph under test."""
    pairs = [(lv, fw) for lv, fw in zip(sample.levels, sample.frameworks, strict=False)
             if not lv.startswith(fw + ":")][:10]
    families = _codes(base, "/api/v1/job-families", 3)
    docs = httpx.get(base + "/ims/case/v1p0/CFDocuments", timeout=300).json()["CFDocuments"]
    competency_doc = next(d["identifier"] for d in docs
                          if d.get("frameworkType") == "Competencies" or "competency" in
                          str(d.get("title", "")).lower())
    return [
        Route("lookup competency", [hb.Call("GET", f"/api/v1/competencies/{c}")
                                    for c in sample.competencies[:10]], "related"),
        Route("lookup level", [hb.Call("GET", "/api/v1/levels/{}/{}".format(*lv.split(":", 1)))
                               for lv in sample.levels[:10]], "unrelated"),
        Route("equivalence from->to", [hb.Call("GET", f"/api/v1/equivalences?from={lv}&to={fw}")
                                       for lv, fw in pairs], "unrelated"),
        Route("portability top-10", [hb.Call("POST", "/api/v1/portability",
                                             {"from_profile": p, "limit": 10})
                                     for p in sample.profiles[:10]], "unrelated"),
        Route("CQF table", [hb.Call("GET", "/api/v1/cqf-table")], "unrelated"),
        Route("career path", [hb.Call("GET", f"/api/v1/job-families/{f}/career-path")
                              for f in families], "related"),
        Route("CASE package (competencies)", [
            hb.Call("GET", f"/ims/case/v1p0/CFPackages/{competency_doc}")], "unrelated"),
    ]


async def _read(base: str, plan: list[tuple[str, hb.Call]], seconds: float,
                phase: Phase) -> None:
    async def reader(offset: int, client: httpx.AsyncClient) -> None:
        end = time.perf_counter() + seconds
        i = offset
        while (now := time.perf_counter()) < end:
            name, call = plan[i % len(plan)]
            try:
                status = (await client.request(call.method, call.path, json=call.body)
                          ).status_code
            except httpx.HTTPError:
                status = 0
            phase.latencies.setdefault(name, []).append((time.perf_counter() - now) * 1000)
            phase.errors += status != 200
            i += 1

    limits = httpx.Limits(max_connections=READERS, max_keepalive_connections=READERS)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits,
                                 headers=IDENTITY) as client:
        await asyncio.gather(*(reader(n, client) for n in range(READERS)))


def _read_wrk(base: str, hot: dict[str, list[hb.Call]], seconds: float, phase: Phase) -> None:
    """One wrk process per route at once, the readers' connections dealt out in turn."""
    names = list(hot)
    share = {name: READERS // len(names) + (i < READERS % len(names))
             for i, name in enumerate(names)}

    def one(name: str) -> None:
        phase.measured[name] = wrk.run(base, [(c.method, c.path, c.body) for c in hot[name]],
                                       seconds=seconds, connections=share[name])

    threads = [threading.Thread(target=one, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    phase.errors += sum(result.errors for result in phase.measured.values())


def _writer(base: str, every: float, seconds: float, write: Callable[[httpx.Client, int], int],
            probe: list[tuple[str, hb.Call]], phase: Phase) -> None:
    """One write every ``every`` seconds; right after each, every hot route asked once."""
    with httpx.Client(base_url=base, timeout=300) as client:
        end = time.perf_counter() + seconds
        n = 0
        while time.perf_counter() < end - 0.5:
            started = time.perf_counter()
            try:
                status = write(client, n)
            except WriteFailed as exc:
                status = 599
                phase.failed.append(str(exc))
            phase.write_ms.append((time.perf_counter() - started) * 1000)
            phase.errors += status >= 300
            phase.writes += 1
            threading.Thread(target=_probe, args=(base, probe, phase), daemon=True).start()
            n += 1
            time.sleep(max(0.0, started + every - time.perf_counter()))


class WriteFailed(RuntimeError):
    """A write the service refused (its answer is kept for the report)."""


def _probe(base: str, probe: list[tuple[str, hb.Call]], phase: Phase) -> None:
    """Each hot route asked once, in turn, right after a write answered."""
    with httpx.Client(base_url=base, timeout=300, headers=IDENTITY) as client:
        for name, call in probe:
            now = time.perf_counter()
            try:
                client.request(call.method, call.path, json=call.body)
            except httpx.HTTPError:  # the server stopped at the end of the phase
                return
            phase.first_after.setdefault(name, []).append((time.perf_counter() - now) * 1000)


def _phase(base: str, name: str, seconds: float, plan: list[tuple[str, hb.Call]],
           writer: Callable[[Phase], None] | None = None) -> Phase:
    phase = Phase(name, seconds)
    thread = threading.Thread(target=writer, args=(phase,), daemon=True) if writer else None
    if thread:
        thread.start()
    if wrk.available() is None:
        hot: dict[str, list[hb.Call]] = {}
        for route, call in plan:
            if call not in hot.setdefault(route, []):
                hot[route].append(call)
        _read_wrk(base, hot, seconds, phase)
    else:
        asyncio.run(_read(base, plan, seconds, phase))
    if thread:
        thread.join(timeout=600)
    return phase


def _course_write(institution: str, programme: str, competencies: list[str]
                  ) -> Callable[[httpx.Client, int], int]:
    levels = ("aware", "trained", "advanced", "expert")

    def write(client: httpx.Client, n: int) -> int:
        body = {"name": f"Stream course {n % 3}", "ects": 5.0,
                "develops": [{"competency": competencies[(n + k) % len(competencies)],
                              "proficiency": levels[(n + k) % 4]} for k in range(3)]}
        answer = client.put(f"/api/v1/institutions/{institution}/programmes/{programme}"
                            f"/courses/WS-{n % 3}", json=body)
        if answer.status_code >= 300:
            raise WriteFailed(f"{answer.status_code} {answer.text[:300]}")
        return answer.status_code

    return write


def _mapping_write(source: str, target: str) -> Callable[[httpx.Client, int], int]:
    """Proposes a mapping, accepts it on the next turn (a review: from then on it counts in
    every answer), retracts it on the one after (the graph stays its size)."""
    made: list[str] = []
    accepted: list[str] = []

    def write(client: httpx.Client, n: int) -> int:
        if accepted:
            return client.delete(f"/api/v1/mappings/{accepted.pop()}").status_code
        if made:
            mapping = made.pop()
            accepted.append(mapping)
            return client.post(f"/api/v1/mappings/{mapping}/review",
                               json={"decision": "accept"}).status_code
        answer = client.post("/api/v1/mappings", json={
            "from_level": source, "to_level": target, "match_type": "broadMatch",
            "confidence": 0.5, "method": "expert_panel",
            "source": {"document": "write-stream benchmark", "year": 2026}})
        if answer.status_code < 300:
            made.append(str(answer.json()["id"]))
        return answer.status_code

    return write


def _p(values: list[float], q: float) -> float | None:
    return round(hb.percentile(values, q), 1) if values else None


def measure(console: Console, store_url: str, graph: str, sample: Sample,
            programme: tuple[str, str], *, quick: bool,
            seconds: float | None = None, course_mappings: int | None = None
            ) -> dict[str, Any]:
    """``programme``: (institution, the programme's own code) the course writer writes to.
    ``course_mappings``: added first, from institutions of 1,000 each (default 100,000, as
    in the issue; 1,000 with ``quick``)."""
    span = seconds or (2.0 if quick else 40.0)
    mapping_every = 1.0 if quick else 10.0
    added = course_mappings if course_mappings is not None else (1_000 if quick else 100_000)
    store = FalkorDBStore.from_url(store_url, graph, timeout=120)
    try:  # a university writes its courses; an admin the level mappings
        if added:
            institutions = -(-added // PER_INSTITUTION)
            console.print(f"write stream: adding {added:,} course mappings from "
                          f"{institutions} institution{'s' * (institutions != 1)} ...")
            growth.add_course_mappings(store, added, direct=True,
                                       per_upload=PER_INSTITUTION)
        admin = create_key(store, "admin")["key"]
        university = create_key(store, f"institution:{programme[0]}")["key"]
    finally:
        store.close()
    with hb.bare_server() as bare:
        console.print("write stream: bare app under 16 readers ...")
        bare_phase = _phase(bare, "bare", min(span, 5.0), [("bare", hb.Call("GET", "/"))])
    with hb.api_server(store_url, graph) as base:
        hot = routes(base, sample)
        # Every route asked as often as every other, each through its own questions.
        plan = [(r.name, r.calls[i % len(r.calls)])
                for i in range(max(len(r.calls) for r in hot)) for r in hot]
        probe = [(r.name, r.calls[0]) for r in hot]
        console.print("write stream: warming every hot answer ...")
        _warm(base, [c for _, c in plan])
        institution, own = programme
        competencies = sample.competencies[:12]
        levels = sorted({lv for lv in sample.levels})
        headers = {"X-API-Key": admin}
        writes_courses = {"X-API-Key": university}
        phases = []
        console.print("write stream: readers, no writes ...")
        phases.append(_phase(base, "no writes", span, plan))
        console.print("write stream: readers, a course written every second ...")
        course = _course_write(institution, own, competencies)
        phases.append(_phase(base, "course write / 1 s", span, plan, lambda ph: _writer(
            base, 1.0, span, _with(writes_courses, course), probe, ph)))
        console.print(f"write stream: readers, a level mapping every {mapping_every:g} s ...")
        mapping = _mapping_write(levels[0], levels[-1])
        phases.append(_phase(base, f"level mapping / {mapping_every:g} s", max(
            span, mapping_every * 2.5), plan, lambda ph: _writer(
                base, mapping_every, max(span, mapping_every * 2.5), _with(headers, mapping),
                probe, ph)))
    return {"course_mappings_added": added,
            "routes": [r.name for r in hot], "after_course": {r.name: r.after_course
                                                              for r in hot},
            "readers": "wrk" if wrk.available() is None else f"httpx ({wrk.available()})",
            "bare": _readers(bare_phase, "bare"),
            "phases": [_summary(ph) for ph in phases]}


def _warm(base: str, calls: list[hb.Call]) -> None:
    """Every distinct question asked twice in turn (the second pass finds what the first
    built); an answer other than 200 stops the run (the routes must answer)."""
    with httpx.Client(base_url=base, timeout=600) as client:
        for _ in range(2):
            for call in calls:
                answer = client.request(call.method, call.path, json=call.body)
                if answer.status_code != 200:
                    raise RuntimeError(f"{call.method} {call.path}: {answer.status_code}")


def _with(headers: dict[str, str], write: Callable[[httpx.Client, int], int]
          ) -> Callable[[httpx.Client, int], int]:
    def run(client: httpx.Client, n: int) -> int:
        client.headers.update(headers)
        return write(client, n)

    return run


def _summary(phase: Phase) -> dict[str, Any]:
    return {"name": phase.name, "seconds": phase.seconds, "writes": phase.writes,
            "failed": phase.failed[:3],
            "write_p50_ms": _p(phase.write_ms, 0.5), "errors": phase.errors,
            "routes": {name: {**_readers(phase, name),
                              "first_after_p95_ms": _p(phase.first_after.get(name, []), 0.95),
                              "first_after_max_ms": round(max(phase.first_after[name]), 1)
                              if phase.first_after.get(name) else None}
                       for name in sorted({*phase.latencies, *phase.measured})}}


def _readers(phase: Phase, name: str) -> dict[str, Any]:
    """What the readers measured of one route: by wrk, else from the httpx client's times."""
    if name in phase.measured:
        result = phase.measured[name]
        return {"n": result.requests, "p50_ms": round(result.p50_ms, 1),
                "p95_ms": round(result.p95_ms, 1)}
    times = phase.latencies.get(name, [])
    return {"n": len(times), "p50_ms": _p(times, 0.5), "p95_ms": _p(times, 0.95)}


def table(result: dict[str, Any]) -> Table:
    out = Table(title="reads under a stream of writes (p95 ms; first answer after a write)")
    out.add_column("route")
    for phase in result["phases"]:
        out.add_column(phase["name"])
        if phase["writes"]:
            out.add_column("first after write (p95 / max)")
    for name in result["routes"]:
        cells = [name]
        for phase in result["phases"]:
            r = phase["routes"].get(name, {})
            cells.append(str(r.get("p95_ms")))
            if phase["writes"]:
                cells.append(f"{r.get('first_after_p95_ms')} / {r.get('first_after_max_ms')}")
        out.add_row(*cells)
    return out


def markdown(meta: dict[str, Any], result: dict[str, Any]) -> str:
    phases = result["phases"]
    head = ["route", "a course write is"]
    for ph in phases:
        head.append(f"p50 / p95 ms, {ph['name']}")
        if ph["writes"]:
            head.append(f"first answer after a write, p95 / max ms ({ph['name']})")
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name in result["routes"]:
        cells = [name, result["after_course"][name]]
        for ph in phases:
            r = ph["routes"].get(name, {})
            cells.append(f"{r.get('p50_ms')} / {r.get('p95_ms')}")
            if ph["writes"]:
                cells.append(f"{r.get('first_after_p95_ms')} / {r.get('first_after_max_ms')}")
        lines.append("| " + " | ".join(cells) + " |")
    writes = "; ".join(f"{ph['name']}: {ph['writes']} writes (p50 {ph['write_p50_ms']} ms), "
                       f"{ph['errors']} errors" for ph in phases)
    bare = result["bare"]
    return "\n".join([
        "## Reads under a stream of writes (issue 26)", "",
        __doc__.split("\n\n    python")[0].strip(), "",
        f"Run {meta['date']} ({meta['mode']}, graph scale {meta['scale']:g}: "
        f"{meta['graph']}, then {result.get('course_mappings_added', 0):,} course mappings "
        f"from institutions of {PER_INSTITUTION:,}), {meta['machine']}; "
        f"load average before {meta['load_before']}, "
        f"after {meta['load_after']}. {meta.get('note', '')}".strip(), "",
        f"Bare FastAPI app under the same {READERS} readers: p50 {bare['p50_ms']} ms, "
        f"p95 {bare['p95_ms']} ms ({bare['n']} requests). Readers: {result['readers']}.", "",
        *lines, "", f"Writes: {writes}.", ""])


def update_doc(section: str, path: Path = DOC, start: str = START, end: str = END) -> None:
    """``section`` between its markers in ``path`` (appended the first time)."""
    text = path.read_text(encoding="utf-8")
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def save(meta: dict[str, Any], result: dict[str, Any], quick: bool) -> Path:
    out = RESULTS / ("stream-quick.json" if quick else "stream-latest.json")
    out.write_text(json.dumps({"meta": meta, **result}, indent=2) + "\n", encoding="utf-8")
    return out


def writable_programme(graph: GeneratedGraph) -> tuple[str, str]:
    """The first generated programme: (its institution, its own code)."""
    row = graph.bundle.node_set("Programme").rows[0]
    return str(row["institution"]), str(row["code"])


def main() -> None:
    from benchmarks.runner import (
        Options,
        _generate,
        _headline,
        _load_average,
        _machine,
        embedded_store,
    )

    parser = argparse.ArgumentParser(prog="python -m benchmarks.write_stream")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--seconds", type=float, default=None, help="per phase")
    parser.add_argument("--record", action="store_true", help="write docs/benchmarks.md")
    parser.add_argument("--note", default="")
    parser.add_argument("--course-mappings", type=int, default=None,
                        help="added before measuring (default 100,000; 1,000 with --quick)")
    args = parser.parse_args()
    console = Console()
    opts = Options(quick=args.quick, scale=args.scale)
    load_before = _load_average()
    with embedded_store() as (url, store):
        graph, written, seconds = _generate(console, store, opts)
        console.print(f"graph written: {written:,} rows in {seconds} s")
        result = measure(console, url, "bench", graph.sample, writable_programme(graph),
                         quick=args.quick, seconds=args.seconds,
                         course_mappings=args.course_mappings)
    meta = {"mode": "quick" if args.quick else "full", "date": dt.date.today().isoformat(),
            "scale": opts.factor, "graph": _headline(graph), "machine": _machine(),
            "load_before": load_before, "load_after": _load_average(), "note": args.note,
            "cpus": os.cpu_count()}
    console.print(table(result))
    console.print(f"results: {save(meta, result, args.quick).relative_to(ROOT)}")
    if args.record:
        update_doc(markdown(meta, result))


if __name__ == "__main__":
    main()

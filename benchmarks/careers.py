"""Careers benchmarks: p95 of the CQF table (JSON), a family's career path, a career plan
(at most 4 moves) and successors on the generated ESCO-sized graph, each beside the bare
FastAPI app and the service's ``/health/live`` measured in the same run.

    python -m benchmarks.careers            # ESCO-sized graph, records its own section
    python -m benchmarks.careers --quick    # graph at 1/10, short runs, no record

Uses the core suite's machinery (``benchmarks.http_bench``: ``cqf serve`` in its own
process, single-client latency after every distinct request was sent once, wrk throughput)
and writes only between its own markers in ``docs/benchmarks.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console
from rich.table import Table

from benchmarks import http_bench as hb
from benchmarks.runner import (
    DOC,
    GRAPH,
    Options,
    _generate,
    _load_average,
    _machine,
    embedded_store,
)

START = "<!-- bench:careers:start -->"
END = "<!-- bench:careers:end -->"
GOALS = {"CQF table (JSON)": 50.0, "career path": 20.0, "career plan (max 4 moves)": 100.0,
         "successors": 50.0}
HELD = 8  # competencies in each held set of the competency-start plans


def plan_pairs(base: str, profiles: list[str]) -> list[tuple[str, str]]:
    """Half random start/target pairs (mostly no route: the search exhausts), half a start
    and its 8th best portability target (near enough for a plan to exist)."""
    pairs = list(zip(profiles[0:20:2], profiles[1:20:2], strict=False))
    with httpx.Client(base_url=base, timeout=300) as client:
        for start in profiles[20:30]:
            ranked = client.post("/api/v1/portability", json={"from_profile": start,
                                                               "limit": 8}).json()["results"]
            if ranked:
                pairs.append((start, ranked[-1]["profile"]["code"]))
    return pairs


def held_sets(competencies: list[str], pairs: list[tuple[str, str]]
              ) -> list[tuple[dict[str, str], str]]:
    """One held set per pair's target: ``HELD`` sampled competencies, at rising proficiency."""
    names = ("trained", "advanced", "expert")
    sets = []
    for i, (_, target) in enumerate(pairs):
        chosen = competencies[(i * HELD) % len(competencies):][:HELD] or competencies[:HELD]
        sets.append(({c: names[j % 3] for j, c in enumerate(chosen)}, target))
    return sets


def operations(profiles: list[str], families: list[str], pairs: list[tuple[str, str]],
               held: list[tuple[dict[str, str], str]]) -> list[hb.Operation]:
    return [
        hb.Operation(hb.LIVE, [hb.Call("GET", "/health/live")]),
        hb.Operation("CQF table (JSON)", [hb.Call("GET", "/api/v1/cqf-table")],
                     hb.Goal(p95_ms=GOALS["CQF table (JSON)"])),
        hb.Operation("career path", [hb.Call("GET", f"/api/v1/job-families/{f}/career-path")
                                     for f in families], hb.Goal(p95_ms=GOALS["career path"])),
        hb.Operation("career plan (max 4 moves)", [
            hb.Call("POST", "/api/v1/career-plans",
                    {"from_profile": a, "target_profile": b, "max_steps": 4})
            for a, b in pairs], hb.Goal(p95_ms=GOALS["career plan (max 4 moves)"])),
        hb.Operation("career plan from competencies (max 4 moves)", [
            hb.Call("POST", "/api/v1/career-plans",
                    {"competencies": c, "target_profile": t, "max_steps": 4})
            for c, t in held], hb.Goal(p95_ms=GOALS["career plan (max 4 moves)"])),
        hb.Operation("successors", [hb.Call("GET", f"/api/v1/job-profiles/{p}/successors")
                                    for p in profiles], hb.Goal(p95_ms=GOALS["successors"])),
    ]


def after_start(base: str, family: str) -> dict[str, float]:
    """How long the first users wait right after ``/health/ready``: the default CQF table
    (built by the start-up warm-up) and a career path (the warmed read model, its answer
    not yet kept). A request arriving while the warm-up still runs waits for the same load."""
    waits = {}
    with httpx.Client(base_url=base, timeout=600) as client:
        for name, path in (("CQF table (JSON)", "/api/v1/cqf-table"),
                           ("career path", f"/api/v1/job-families/{family}/career-path")):
            start = time.perf_counter()
            client.get(path).raise_for_status()
            waits[name] = round((time.perf_counter() - start) * 1000, 1)
    return waits


def _cold(base: str, op: hb.Operation) -> tuple[list[float], int]:
    """Each distinct request once, timed: the first answer, before any answer is kept
    (read models already loaded). Returns latencies (ms) and how many plans were found."""
    latencies, plans = [], 0
    with httpx.Client(base_url=base, timeout=300) as client:
        for call in op.calls:
            start = time.perf_counter()
            response = client.request(call.method, call.path, json=call.body)
            latencies.append((time.perf_counter() - start) * 1000)
            if call.method == "POST":
                plans += response.json().get("plan") is not None
    return latencies, plans


def measure(console: Console, opts: Options) -> tuple[dict[str, Any], list[hb.HttpFigure], str]:
    bench = hb.HttpBench(requests=60 if opts.quick else 200,
                         duration=1.0 if opts.quick else 4.0, console=console)
    figures: list[hb.HttpFigure] = []
    cold: dict[str, tuple[float, float, int]] = {}
    plans = ""
    with embedded_store() as (url, store):
        graph, written, seconds = _generate(console, store, opts)
        families = [f"BJF-{i:02d}" for i in range(1, 21)]
        title = "ESCO-sized" if opts.factor == 1.0 else f"generated x{opts.factor:g}"
        with hb.bare_server() as bare:
            console.print("measuring the bare FastAPI app ...")
            figures.append(bench.measure(bare, hb.Operation(hb.BARE, [hb.Call("GET", "/")]),
                                         title))
            with hb.api_server(url, GRAPH) as base:
                console.print("measuring the first answers after start (warm-up) ...")
                started = after_start(base, families[0])
                pairs = plan_pairs(base, graph.sample.profiles)
                ops = operations(graph.sample.profiles, families, pairs,
                                 held_sets(graph.sample.competencies, pairs))
                httpx.get(f"{base}/api/v1/job-profiles/{graph.sample.profiles[0]}/successors",
                          timeout=600)  # loads the read models once, before any clock
                for op in ops:
                    console.print(f"measuring {op.name} (first answers) ...")
                    lat, found = _cold(base, op)
                    cold[op.name] = (round(hb.percentile(lat, 0.5), 1),
                                     round(hb.percentile(lat, 0.95), 1), len(lat))
                    if op.name == "career plan (max 4 moves)":
                        plans = (f"{found} of {len(op.calls)} start/target pairs have a plan "
                                 "within 4 moves (10 random pairs, the rest a start and its 8th "
                                 "best portability target)")
                for op in ops:
                    console.print(f"measuring {op.name} ...")
                    figures.append(bench.measure(base, op, title))
    hb.with_ratios(figures, {op.name: op.goal for op in ops}, esco_graph=title)
    meta = {"date": dt.date.today().isoformat(), "machine": _machine(), "seed": opts.seed,
            "scale": opts.factor, "rows_written": written, "generate_seconds": seconds,
            "load_before": _load_average(), "note": opts.note}
    meta["cold"] = cold
    meta["after_start"] = started
    return meta, figures, plans


def markdown(meta: dict[str, Any], figures: list[hb.HttpFigure], plans: str) -> str:
    lines = [
        "## Careers: CQF table, career path, career plan, successors",
        "",
        "Reproduce: `python -m benchmarks.careers` (ESCO-sized graph, seed "
        f"{meta['seed']}; `--quick` for 1/10). One `cqf serve` worker over the generated "
        "graph; the bare FastAPI app and `/health/live` measured in the same run. Latency: "
        "single client, sequential requests after every distinct request was sent once "
        "(read models and answer caches primed, as in steady service). Throughput: "
        f"{figures[0].load_generator}.",
        "",
        f"Run {meta['date']} on {meta['machine']}; graph written in "
        f"{meta['generate_seconds']} s ({meta['rows_written']:,} rows); load average before: "
        f"{meta['load_before']}. **The machine was shared with other work during the run** "
        "(about eight sessions on 2 cores): compare the figures with the bare app's beside "
        "them, not across runs. " + (meta["note"] or ""),
        "",
        f"Plans: {plans}.",
        "",
        "Steady state (answers kept per question and tied to the read models, refreshed on "
        "change; every distinct request sent once before the clock):",
        "",
        "| operation | requests | p50 ms | p95 ms | p99 ms | req/s | vs bare | goal | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for f in figures:
        lines.append(f"| {f.name} | {f.requests} | {f.p50_ms} | {f.p95_ms} | {f.p99_ms} | "
                     f"{f.throughput_rps} | {f.ratios.get('vs_bare', '')} | {f.goal} | "
                     f"{f.verdict} |")
    lines += ["", "First answers (each distinct question once, read models already loaded, "
              "nothing kept yet): what the first user of a question waits after a change. The "
              "default CQF table is the exception: the start-up warm-up built and kept it.", "",
              "| operation | questions | p50 ms | p95 ms |", "| --- | ---: | ---: | ---: |"]
    for name, (p50, p95, n) in meta.get("cold", {}).items():
        lines.append(f"| {name} | {n} | {p50} | {p95} |")
    waits = meta.get("after_start") or {}
    if waits:
        lines += ["", "After start: a served process builds the careers read model, the mapping "
                  "graph and the default CQF table on a background thread right after the "
                  "store is open (readiness is not delayed; logs `careers.warm.done`). The "
                  "first requests sent the moment `/health/ready` answers wait for what is "
                  "left of that load:", "",
                  "| first request after ready | ms |", "| --- | ---: |"]
        lines += [f"| {name} | {ms} |" for name, ms in waits.items()]
    return "\n".join(lines)


def update_doc(path: Path, section: str) -> None:
    block = f"{START}\n{section.rstrip()}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + block + rest.split(END, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.careers")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--no-record", dest="record", action="store_false", default=None)
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    opts = Options(quick=args.quick, seed=args.seed, record=args.record, note=args.note)
    console = Console()
    meta, figures, plans = measure(console, opts)
    table = Table("operation", "p50 ms", "p95 ms", "req/s", "vs bare", "verdict")
    for f in figures:
        table.add_row(f.name, str(f.p50_ms), str(f.p95_ms), str(f.throughput_rps),
                      str(f.ratios.get("vs_bare", "")), f.verdict)
    console.print(table)
    console.print(plans)
    if (args.record if args.record is not None else not args.quick) and not os.environ.get(
            "CQF_BENCH_NO_RECORD"):
        update_doc(DOC, markdown(meta, figures, plans))
        console.print(f"recorded: {DOC}")


if __name__ == "__main__":
    main()

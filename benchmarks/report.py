"""Results as rich tables, as JSON (``benchmarks/results/latest.json``) and as a Markdown
section of ``docs/benchmarks.md`` between this suite's markers (other sections belong to
other suites and are left untouched)."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from benchmarks.domain_bench import DomainFigure
from benchmarks.http_bench import HttpFigure
from benchmarks.writes import WriteFigure

START = "<!-- bench:core:start -->"
END = "<!-- bench:core:end -->"
DOC_TITLE = "# Benchmarks\n\nFigures measured by the benchmark suites in `benchmarks/`.\n"


HTTP_COLUMNS = ("graph", "operation", "workers", "req/s", "vs bare def", "vs bare async",
                "vs /health/live",
                "p95 ms loaded", "p50 ms 1 client", "p95 ms 1 client", "p99 ms 1 client",
                "errors", "goal", "verdict")


def _num(value: float | None, fmt: str = "{:,.0f}") -> str:
    return "-" if value is None else fmt.format(value)


def _http_cells(f: HttpFigure) -> list[str]:
    return [f.graph, f.name, str(f.workers), _num(f.throughput_rps),
            _num(f.ratios.get("vs_bare"), "{:.2f}"), _num(f.ratios.get("vs_bare_async"), "{:.2f}"),
            _num(f.ratios.get("vs_live"), "{:.2f}"),
            _num(f.concurrent_p95_ms, "{:g}"), _num(f.p50_ms, "{:g}"), _num(f.p95_ms, "{:g}"),
            _num(f.p99_ms, "{:g}"), str(f.errors), f.goal, f.verdict]


def print_tables(console: Console, http: list[HttpFigure], writes: list[WriteFigure],
                 domain: list[DomainFigure]) -> None:
    if http:
        table = Table(title=f"HTTP (uvicorn on 127.0.0.1, load: {http[0].load_generator})")
        for col in HTTP_COLUMNS:
            table.add_column(col)
        for f in http:
            table.add_row(*_http_cells(f))
        console.print(table)
    if writes:
        table = Table(title="Writes: whole UNWIND batches vs row by row")
        for col in ("rows", "what", "batch rows/s", "row-by-row rows/s", "speed-up"):
            table.add_column(col)
        for w in writes:
            table.add_row(str(w.rows), w.name, f"{w.batch_rows_per_s:.0f}",
                          f"{w.row_rows_per_s:.0f}", f"{w.ratio}x")
        console.print(table)
    if domain:
        table = Table(title="Domain functions alone (in process, cached inputs)")
        for col in ("function", "calls", "p50 ms", "p95 ms"):
            table.add_column(col)
        for d in domain:
            table.add_row(d.name, str(d.calls), f"{d.p50_ms}", f"{d.p95_ms}")
        console.print(table)


def write_json(path: Path, meta: dict[str, Any], http: list[HttpFigure],
               writes: list[WriteFigure], domain: list[DomainFigure]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"meta": meta, "http": [asdict(f) for f in http],
            "writes": [asdict(w) for w in writes], "domain": [asdict(d) for d in domain]}
    path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")


def markdown(meta: dict[str, Any], http: list[HttpFigure], writes: list[WriteFigure],
             domain: list[DomainFigure]) -> str:
    lines = [f"### Run: {meta['mode']} mode, {meta['date']}", "",
             f"Machine: {meta['machine']}. Graph (seed {meta['seed']}, scale {meta['scale']}): "
             + ", ".join(f"{v:,} {k}" for k, v in meta["graph"].items()) + ".",
             f"Generated and written in {meta['generate_seconds']} s "
             f"({meta['rows_written']:,} rows, UNWIND batches of 1,000).", ""]
    if meta.get("note"):
        lines += [meta["note"], ""]
    if http:
        lines += [f"Load: {http[0].load_generator}. Machine load average (1/5/15 min) before "
                  f"the run {meta.get('load_before', '?')}, after {meta.get('load_after', '?')}.",
                  "", "| " + " | ".join(HTTP_COLUMNS) + " |",
                  "| --- | --- | ---: | " + " | ".join("---:" for _ in HTTP_COLUMNS[3:-2])
                  + " | --- | --- |"]
        lines += ["| " + " | ".join(_http_cells(f)) + " |" for f in http]
        lines.append("")
    if writes:
        lines += ["| write | rows | UNWIND batch rows/s | row-by-row rows/s | speed-up |",
                  "| --- | ---: | ---: | ---: | ---: |"]
        lines += [f"| {w.name} | {w.rows:,} | {w.batch_rows_per_s:,.0f} | "
                  f"{w.row_rows_per_s:,.0f} | {w.ratio}x |" for w in writes]
        lines.append("")
    if domain:
        lines += ["| domain function (in process) | calls | p50 ms | p95 ms |",
                  "| --- | ---: | ---: | ---: |"]
        lines += [f"| {d.name} | {d.calls} | {d.p50_ms} | {d.p95_ms} |" for d in domain]
        lines.append("")
    return "\n".join(lines)


def update_doc(path: Path, section: str) -> None:
    """Replace only the text between this suite's markers (create the file if missing)."""
    block = f"{START}\n{section.rstrip()}\n{END}"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if START in text and END in text:
        head, rest = text.split(START, 1)
        _, tail = rest.split(END, 1)
        text = head + block + tail
    else:
        text = (text.rstrip() + "\n\n" if text.strip() else DOC_TITLE + "\n") + block + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")

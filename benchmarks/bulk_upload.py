"""Bulk upload throughput: one validated file written as ONE statement, against a row-by-row
baseline (the same write, one statement per row) measured in the same run on the same
embedded FalkorDB.

    python -m benchmarks.bulk_upload            # 50,000-row file, 5,000-row baseline sample
    python -m benchmarks.bulk_upload --quick    # 50,000-row file, 1,000-row baseline sample

The baseline runs on a sample because 50,000 single statements take minutes; rows/s is a
rate, so the sample is enough to compare.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import tempfile
import time
from pathlib import Path

from app.domain.auth import Principal
from app.domain.vocab import PROFICIENCY_CODES
from app.graph.cypher.institutions.courses import APPLY_MAPPINGS
from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import GraphStore
from app.logs import configure_logging
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.institutions import courses
from app.services.institutions import uploads as course_mappings

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
ADMIN = Principal("bench", "admin")
LEVELS = PROFICIENCY_CODES


def _prepare(store: GraphStore, programmes: int) -> tuple[list[str], list[str]]:
    store.apply_schema()
    seed(store, SEED_DATA_DIR)
    courses.put_institution(store, ADMIN, "BENCH-U", {"name": "Benchmark University"})
    for p in range(programmes):
        courses.put_programme(store, ADMIN, "BENCH-U", f"BENCH-P{p}", {"name": f"Prog {p}"})
    comps = [r["code"] for r in store.read("MATCH (c:Competency) RETURN c.code AS code")]
    stds = [r["code"] for r in store.read("MATCH (s:PicardStandard) RETURN s.code AS code")]
    return sorted(comps), sorted(stds)


def make_file(rows: int, comps: list[str], stds: list[str], programmes: int) -> bytes:
    out = io.StringIO()
    out.write(HEADER)
    targets = [("develops", c) for c in comps] + [("aligns_with", s) for s in stds]
    written, course = 0, 0
    while written < rows:
        code = f"BENCH-C{course:05d}"
        for n, (kind, target) in enumerate(targets):
            if written >= rows:
                break
            name = f"Course {course}" if n == 0 else ""
            level = LEVELS[(course + n) % 4] if kind == "develops" else ""
            out.write(f"BENCH-P{course % programmes},{code},{name},{kind},{target},{level},"
                      f"Learning outcome {course}.{n},written exam\n")
            written += 1
        course += 1
    return out.getvalue().encode("utf-8")


def _timed(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


def row_by_row(store: GraphStore, data: bytes, sample: int) -> tuple[int, float]:
    """Baseline: the same validated plan, written with one statement per row (each course
    with its first row) instead of one statement for the file."""
    raw = course_mappings.parse_upload(data, "text/csv")[:sample]
    planned = course_mappings.plan(store, ADMIN, "BENCH-U", raw)
    courses = {c["code"]: c for c in planned.params["courses"]}
    empty = {key: [] for key in planned.params}
    start = time.perf_counter()
    for key in ("develops", "aligns"):
        for row in planned.params[key]:
            course = courses.pop(row["course"], None)
            store.write(APPLY_MAPPINGS, {**empty, key: [row],
                                         "courses": [course] if course else []})
    return len(raw), time.perf_counter() - start


def run(rows: int, sample: int, programmes: int = 20) -> dict[str, float]:
    configure_logging("WARNING", False)
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedFalkorDB(Path(tmp))
        server.start()
        try:
            bulk_store = FalkorDBStore.from_url(server.url, "bench_bulk", timeout=600)
            base_store = FalkorDBStore.from_url(server.url, "bench_rows", timeout=600)
            comps, stds = _prepare(bulk_store, programmes)
            _prepare(base_store, programmes)
            data = make_file(rows, comps, stds, programmes)
            raw, parse_s = _timed(course_mappings.parse_upload, data, "text/csv")
            planned, plan_s = _timed(course_mappings.plan, bulk_store, ADMIN, "BENCH-U", raw)
            assert planned.report["added"] == rows, planned.report
            _, write_s = _timed(bulk_store.write, APPLY_MAPPINGS, planned.params)
            again, again_s = _timed(course_mappings.upload, bulk_store, ADMIN, "BENCH-U", data,
                                    "text/csv")
            assert again["unchanged"] == rows, again
            done, base_s = row_by_row(base_store, data, sample)
        finally:
            server.stop()
    return {"rows": rows, "bytes": len(data), "parse_s": parse_s, "plan_s": plan_s,
            "write_s": write_s, "again_s": again_s, "sample": done, "base_s": base_s}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller row-by-row sample")
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    sample = 1_000 if args.quick else 5_000
    r = run(args.rows, sample)
    total_s = r["parse_s"] + r["plan_s"] + r["write_s"]
    write_rate, base_rate = r["rows"] / r["write_s"], r["sample"] / r["base_s"]
    print(f"bulk upload benchmark ({platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}, embedded FalkorDB)")
    print(f"file: {r['rows']:,} rows, {r['bytes'] / 1e6:.1f} MB CSV; "
          f"parse {r['parse_s']:.2f} s, validate + diff {r['plan_s']:.2f} s")
    print(f"{'write path':<46}{'rows':>8}{'seconds':>9}{'rows/s':>10}")
    print(f"{'bulk: ONE statement for the whole file':<46}{r['rows']:>8,}{r['write_s']:>9.2f}"
          f"{write_rate:>10,.0f}")
    print(f"{'baseline: one statement per row (sample)':<46}{r['sample']:>8,}"
          f"{r['base_s']:>9.2f}{base_rate:>10,.0f}")
    print(f"{'bulk end to end (parse + validate + write)':<46}{r['rows']:>8,}{total_s:>9.2f}"
          f"{r['rows'] / total_s:>10,.0f}")
    print(f"ratio, write vs write: {write_rate / base_rate:.1f}x; "
          f"bulk end to end vs baseline write alone: {r['rows'] / total_s / base_rate:.1f}x")
    print(f"re-upload of the same file (validated, nothing to write): {r['again_s']:.2f} s")


if __name__ == "__main__":
    main()

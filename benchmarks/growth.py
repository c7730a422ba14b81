"""Cold start and crash recovery of the embedded store as course mappings grow (issue 22.1).

    python -m benchmarks.growth                    # 10k and 100k course mappings
    python -m benchmarks.growth --sizes 10000 1000000
    python -m benchmarks.growth --sizes 1000000 --runs 1 --direct   # 1M in about 10 min

For each size: the ESCO-sized catalogue (benchmarks/generator.py, seed 42) is written, then
the course mappings arrive as 20,000-row uploads through the upload service (what an
institution's bulk upload writes), with the store's automatic compaction on. Then:

- **baseline**: a start of an empty store, measured in the same run;
- **cold start**: stop, start, until a graph query answers with every mapping;
- **SIGKILL recovery**: the server killed, then restarted as the supervisor does, until it
  answers with every mapping;
- **raw replay** (``--raw``, slow): the same writes with compaction off, and one start
  replaying that raw statement log (what an older version replayed on every start).

With ``--direct`` the mappings are planned by the upload service but written straight into
the store as the upload's own statement in 20,000-mapping batches (no audit entry per upload):
the same courses and mappings several times faster than through the upload's one statement
per file, which is what makes 1M measurable here (about 10 minutes).

Times are from spawning the server to a graph query answering, each the best of ``--runs``.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import signal
import tempfile
import time
from pathlib import Path

from app.domain.auth import Principal
from app.domain.vocab import PROFICIENCY_CODES
from app.graph.admin_client import admin_client
from app.graph.cypher.institutions.courses import APPLY_MAPPINGS
from app.graph.embedded import APPEND_DIR, EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.logs import configure_logging
from app.services.institutions import courses
from app.services.institutions import uploads as course_mappings
from benchmarks.generator import generate, write

ADMIN = Principal("bench", "admin")
GRAPH = "growth"
UPLOAD_ROWS = 20_000
DIRECT_BATCH = 20_000
PER_COURSE = 20
COUNT = "MATCH (:Course)-[d:DEVELOPS]->(:Competency) RETURN count(d) AS total"


def upload_file(institution: int, rows: int, comps: list[str]) -> bytes:
    out = io.StringIO()
    out.write("programme,course,course_name,kind,target,proficiency,evidence,assessment\n")
    for n in range(rows):
        course, k = divmod(n, PER_COURSE)
        target = comps[(course * 7919 + k * 104729) % len(comps)]
        name = f"Course {course}" if k == 0 else ""
        out.write(f"G{institution}-P{course % 10},G{institution}-C{course:06d},{name},develops,"
                  f"{target},{PROFICIENCY_CODES[(course + k) % 4]},Outcome {course}.{k},exam\n")
    return out.getvalue().encode("utf-8")


def fill(store: FalkorDBStore, mappings: int, direct: bool = False) -> float:
    """The catalogue, then ``mappings`` course mappings in 20k-row uploads; seconds.
    ``direct``: each upload is planned by the upload service (validation, the same rows and
    properties) but written straight into the store as the upload's own statement
    (``APPLY_MAPPINGS``) in batches of ``DIRECT_BATCH`` mappings, without the audit entry
    and the institution lock -- the same graph of courses and mappings, minus one audit node
    per upload, in a fraction of the time."""
    start = time.perf_counter()
    store.apply_schema()
    write(store, generate(42, 1.0))
    add_course_mappings(store, mappings, direct, start)
    return time.perf_counter() - start


def add_course_mappings(store: FalkorDBStore, mappings: int, direct: bool,
                        start: float | None = None, per_upload: int = UPLOAD_ROWS) -> None:
    """``mappings`` course mappings over the graph's competencies, from one new institution
    (ten programmes) per upload of ``per_upload`` rows; with ``direct``, progress every ten
    uploads on stdout."""
    start = time.perf_counter() if start is None else start
    comps = sorted(str(r["code"]) for r in store.read(
        "MATCH (c:Competency) RETURN c.code AS code"))
    for i in range((mappings + per_upload - 1) // per_upload):
        rows = min(per_upload, mappings - i * per_upload)
        inst = f"GROW-{i}"
        courses.put_institution(store, ADMIN, inst, {"name": f"Growth {i}"})
        for p in range(10):
            courses.put_programme(store, ADMIN, inst, f"G{i}-P{p}", {"name": f"Prog {p}"})
        data = upload_file(i, rows, comps)
        if direct:
            added = load_direct(store, inst, data)
        else:
            added = course_mappings.upload(store, ADMIN, inst, data, "text/csv")["added"]
        assert added == rows, (added, rows)
        if direct and i % 10 == 9:
            print(f"  {(i + 1) * per_upload:,} mappings after "
                  f"{time.perf_counter() - start:.0f} s", flush=True)


def load_direct(store: FalkorDBStore, institution: str, data: bytes) -> int:
    """One upload's rows, planned by the upload service, written in big UNWIND batches of
    the upload's own statement."""
    planned = course_mappings.plan(store, ADMIN, institution,
                                   course_mappings.parse_upload(data, "text/csv"))
    params = planned.params
    empty: dict[str, list[dict[str, object]]] = {k: [] for k in params}
    store.write(APPLY_MAPPINGS, {**empty, "courses": params["courses"]})
    develops = params["develops"]
    for at in range(0, len(develops), DIRECT_BATCH):
        store.write(APPLY_MAPPINGS, {**empty, "develops": develops[at:at + DIRECT_BATCH]})
    return int(planned.report["added"])


def log_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in (data_dir / APPEND_DIR).iterdir())


def ready_seconds(server: EmbeddedFalkorDB, expected: int, restart: bool = False) -> float:
    start = time.perf_counter()
    if restart:
        server.restart()
    else:
        server.start()
    store = FalkorDBStore.from_url(server.url, GRAPH, timeout=60)
    total = store.read(COUNT)[0]["total"]
    seconds = time.perf_counter() - start
    store.close()
    assert total >= expected, (total, expected)
    return seconds


def wait_compacted(server: EmbeddedFalkorDB) -> None:
    assert server.port is not None
    client = admin_client(server.port, 10, server.password)
    try:
        while True:
            info = client.info("persistence")
            if not (info["aof_rewrite_in_progress"] or info["aof_rewrite_scheduled"]):
                return
            time.sleep(0.2)
    finally:
        client.close()


def empty_start_seconds(runs: int) -> float:
    """Baseline: a start of an empty store (one node), from spawn to a query answering."""
    with tempfile.TemporaryDirectory(prefix="cqf-growth-") as tmp:
        server = EmbeddedFalkorDB(Path(tmp) / "falkordb")
        server.start()
        FalkorDBStore.from_url(server.url, GRAPH).write("CREATE (:Marker)")
        server.stop()
        times = []
        for _ in range(runs):
            times.append(ready_seconds(server, 0))
            server.stop()
    return min(times)


def measure(mappings: int, runs: int, raw: bool, direct: bool = False) -> dict[str, float]:
    """``raw``: write with compaction off and first time the replay of that raw log (what
    an older version replayed on every start)."""
    with tempfile.TemporaryDirectory(prefix="cqf-growth-") as tmp:
        server = EmbeddedFalkorDB(Path(tmp) / "falkordb", start_timeout=60)
        server.start()
        assert server.port is not None
        if raw:
            admin = admin_client(server.port, 10, server.password)
            admin.config_set("auto-aof-rewrite-percentage", "0")
            admin.close()
        store = FalkorDBStore.from_url(server.url, GRAPH, timeout=600)
        fill_s = fill(store, mappings, direct)
        store.close()
        wait_compacted(server)
        server.stop()
        before = log_bytes(server.data_dir)
        replay = ready_seconds(server, mappings) if raw else float("nan")
        if raw:
            wait_compacted(server)  # the start found a long raw log and compacted it
            server.stop()
        compact = log_bytes(server.data_dir)
        cold = []
        for _ in range(runs):
            cold.append(ready_seconds(server, mappings))
            server.stop()
        server.start()
        kills = []
        for _ in range(runs):
            assert server.process is not None
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait()
            kills.append(ready_seconds(server, mappings, restart=True))
        server.stop()
    return {"mappings": mappings, "fill_s": fill_s, "log_mb": before / 1e6,
            "compact_mb": compact / 1e6, "replay_s": replay, "cold_s": min(cold),
            "cold_worst_s": max(cold), "kill_s": min(kills), "kill_worst_s": max(kills)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--raw", action="store_true",
                        help="also time one replay of the uncompacted log (slow)")
    parser.add_argument("--direct", action="store_true",
                        help="write the mappings straight into the store in big batches "
                             "(planned by the upload service; no audit entries): for 1M")
    args = parser.parse_args()
    configure_logging("WARNING", False)
    print(f"embedded store growth ({platform.machine()}, {os.cpu_count()} CPUs, "
          f"Python {platform.python_version()}; load {os.getloadavg()[0]:.1f}); "
          f"ESCO-sized catalogue + course mappings in {UPLOAD_ROWS:,}-row uploads"
          f"{' written directly in batches' if args.direct else ''}")
    empty = empty_start_seconds(args.runs)
    print(f"baseline: empty store ready in {empty:.2f} s")
    print("| course mappings | written in s | log MB | compacted MB | raw replay s | "
          "cold start s (worst) | SIGKILL recovery s (worst) | cold / empty |")
    print("|---|---|---|---|---|---|---|---|")
    for size in args.sizes:
        r = measure(size, args.runs, args.raw, args.direct)
        print(f"| {size:,} | {r['fill_s']:.1f} | {r['log_mb']:.1f} | {r['compact_mb']:.1f} | "
              f"{r['replay_s']:.1f} | {r['cold_s']:.2f} ({r['cold_worst_s']:.2f}) | "
              f"{r['kill_s']:.2f} ({r['kill_worst_s']:.2f}) | {r['cold_s'] / empty:.1f}x |",
              flush=True)


if __name__ == "__main__":
    main()

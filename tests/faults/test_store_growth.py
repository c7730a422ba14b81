"""A grown embedded store still starts: after several large uploads, every cold start and
every restart after a SIGKILL comes up with all the data -- the start waits while the store
loads (it never gives up on, or kills, a store still loading), and the log is compacted."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

from app.domain.auth import Principal
from app.graph.embedded import APPEND_DIR, REWRITE_MIN_SIZE, EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.supervisor import StoreSupervisor
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.institutions import courses, uploads

ADMIN = Principal("growth-test", "admin")
GRAPH = "growth"
UPLOADS, ROWS = 4, 10_000
COUNT = "MATCH (:Course)-[d:DEVELOPS]->(:Competency) RETURN count(d) AS total"
# The stall limit: far below the time the grown store takes to load on a busy machine, so a
# start that waited a fixed time instead of watching the loading progress would fail here.
STALL_SECONDS = 1.0


def _upload_file(inst: int, comps: list[str]) -> bytes:
    lines = ["programme,course,course_name,kind,target,proficiency,evidence,assessment"]
    for n in range(ROWS):
        course, k = divmod(n, len(comps))
        lines.append(f"G{inst}-P,G{inst}-C{course:05d},{'Course' if k == 0 else ''},develops,"
                     f"{comps[k]},trained,Learning outcome {inst}.{n},written exam")
    return ("\n".join(lines) + "\n").encode()


def _grow(server: EmbeddedFalkorDB) -> int:
    store = FalkorDBStore.from_url(server.url, GRAPH, timeout=300)
    store.apply_schema()
    seed(store, SEED_DATA_DIR)
    comps = sorted(r["code"] for r in store.read("MATCH (c:Competency) RETURN c.code AS code"))
    for i in range(UPLOADS):
        courses.put_institution(store, ADMIN, f"GROW-{i}", {"name": f"Growth {i}"})
        courses.put_programme(store, ADMIN, f"GROW-{i}", f"G{i}-P", {"name": "Programme"})
        report = uploads.upload(store, ADMIN, f"GROW-{i}", _upload_file(i, comps), "text/csv")
        assert report["added"] == ROWS
    total = int(store.read(COUNT)[0]["total"])
    store.close()
    return total


def _count(server: EmbeddedFalkorDB) -> int:
    store = FalkorDBStore.from_url(server.url, GRAPH, timeout=60)
    try:
        return int(store.read(COUNT)[0]["total"])
    finally:
        store.close()


def test_a_grown_store_is_ready_after_every_cold_start_and_every_kill(tmp_path: Path) -> None:
    data = tmp_path / "falkordb"
    server = EmbeddedFalkorDB(data, start_timeout=STALL_SECONDS)
    server.start()
    try:
        total = _grow(server)
    finally:
        server.stop()
    assert total >= UPLOADS * ROWS
    for start in range(5):
        server.start()  # raises if the store did not come up
        try:
            assert _count(server) == total, f"cold start {start + 1} lost mappings"
        finally:
            server.stop()
    tail = sum(f.stat().st_size for f in (data / APPEND_DIR).glob("*.incr.aof"))
    assert tail <= REWRITE_MIN_SIZE, f"{tail} bytes of statements left uncompacted"

    server.start()
    restarted = threading.Event()
    supervisor = StoreSupervisor(server, on_down=restarted.clear,
                                 on_up=lambda port: restarted.set()).start()
    try:
        for kill in range(3):
            assert server.process is not None
            os.kill(server.process.pid, signal.SIGKILL)
            deadline = time.monotonic() + 300
            while not restarted.is_set() or supervisor.restarts < kill + 1:
                assert time.monotonic() < deadline, f"kill {kill + 1}: the store never came back"
                time.sleep(0.1)
            assert _count(server) == total, f"kill {kill + 1} lost mappings"
    finally:
        supervisor.stop()
        server.stop()

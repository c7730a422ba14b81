"""The whole service tree (``cqf serve`` and its embedded store) is SIGKILLed in the middle of
an institution's bulk upload, while it holds that institution's upload lock. The restarted
service clears the lock of the dead holder while it starts, so the next write of that
institution succeeds at once instead of waiting for the lock's lease."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

from app.graph.embedded import PidRecord, free_loopback_port, read_password
from app.graph.falkordb_store import FalkorDBStore
from app.services.access.keys import create_key
from tests.faults.test_service_killed import _wait_dead, _wait_ready

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


def _serve(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_LOG_LEVEL": "WARNING", "CQF_ENV": "development",
           "CQF_RATE_LIMIT_ENABLED": "false"}
    with log.open("wb") as sink:  # the child keeps its own descriptor
        return subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()",
                                 "serve"], env=env, stdout=sink, stderr=sink,
                                start_new_session=True)  # its own group: the tree is killed


def _big_upload(store: FalkorDBStore) -> bytes:
    codes = [r["code"] for r in store.read("MATCH (c:Competency) RETURN c.code AS code")]
    rows = [f"PROG-EXU-MSC,KILL-{i:04d},Course {i},develops,{code},aware,,\n"
            for i in range(600) for code in codes[:40]]
    return (HEADER + "".join(rows)).encode()


def _locks(store: FalkorDBStore) -> list[str]:
    return [r["n"] for r in store.read("MATCH (l:ServiceLock) RETURN l.code AS n")]


def test_a_killed_upload_does_not_lock_the_institution_out(tmp_path: Path) -> None:
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    first = _serve(tmp_path, port, tmp_path / "first.log")
    try:
        _wait_ready(base, first)
        record = PidRecord.read(tmp_path / "falkordb" / "falkordb.pid")
        assert record is not None
        store = FalkorDBStore("127.0.0.1", record.port, "cqf",
                              password=read_password(tmp_path / "falkordb"))
        key = {"X-API-Key": create_key(store, "institution:EXU")["key"]}
        body = _big_upload(store)

        def upload() -> None:
            with contextlib.suppress(httpx.HTTPError):  # the server dies under it
                httpx.post(base + "/api/v1/institutions/EXU/mappings:bulk", content=body,
                           timeout=120, headers={**key, "content-type": "text/csv"})

        threading.Thread(target=upload, daemon=True).start()
        deadline = time.monotonic() + 60
        while not _locks(store):
            assert time.monotonic() < deadline, "the upload never took its lock"
            time.sleep(0.005)
        os.killpg(first.pid, signal.SIGKILL)  # the service, its workers and its store
        first.wait(timeout=10)
        assert _wait_dead(record.pid), "the store outlived the killed tree"
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    second = _serve(tmp_path, port, tmp_path / "second.log")
    try:
        _wait_ready(base, second)
        put = httpx.put(base + "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/"
                        "AFTER-KILL", headers=key, timeout=60, json={
                            "name": "Written after the crash",
                            "develops": [{"competency": "OPS-P01", "proficiency": "aware"}]})
        # 201, not 409: the dead holder's lock (its lease outlasts the restart) is gone
        assert put.status_code == 201, put.text
        assert "locks.cleared_orphans" in (tmp_path / "second.log").read_text()
        _a_store_restart_clears_a_dead_holder_s_lock(tmp_path, base, second)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)


def _a_store_restart_clears_a_dead_holder_s_lock(tmp_path: Path, base: str,
                                                 service: subprocess.Popen[bytes]) -> None:
    """A worker that died holding a lock, then the store dies too: the supervisor's restart
    clears the lock (its lease still runs for 10,000 s)."""
    record = PidRecord.read(tmp_path / "falkordb" / "falkordb.pid")
    assert record is not None
    store = FalkorDBStore("127.0.0.1", record.port, "cqf",
                              password=read_password(tmp_path / "falkordb"))
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    store.write("CREATE (:ServiceLock {code: 'mappings:EXU', token: 'dead', until: $until, "
                "host: $host, pid: $pid, started: 'x'})",
                {"until": time.time() + 10_000, "host": socket.gethostname(), "pid": dead.pid})
    store.close()
    os.kill(record.pid, signal.SIGKILL)
    assert _wait_dead(record.pid)
    deadline = time.monotonic() + 60
    while True:
        restarted = PidRecord.read(tmp_path / "falkordb" / "falkordb.pid")
        if restarted is not None and restarted.pid != record.pid:
            with contextlib.suppress(Exception):
                if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                    break
        assert time.monotonic() < deadline, "the store was not restarted"
        assert service.poll() is None
        time.sleep(0.2)
    store = FalkorDBStore("127.0.0.1", restarted.port, "cqf",
                          password=read_password(tmp_path / "falkordb"))
    assert _locks(store) == []
    store.close()

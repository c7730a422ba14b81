"""The service itself is SIGKILLed: its embedded store dies with it (parent-death signal),
a restart needs no manual clean-up (the stale pid file is handled), and the data is intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from app.graph.embedded import PidRecord, free_loopback_port, pid_alive, read_password
from app.graph.falkordb_store import FalkorDBStore

MARKER = "MERGE (:Framework {code: 'SERVICE-KILL-MARKER', name: 'acknowledged before the kill'})"


def _serve(data_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port),
           "CQF_LOG_LEVEL": "WARNING", "CQF_ENV": "development"}
    return subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()", "serve"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _wait_ready(base: str, process: subprocess.Popen[bytes], timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "cqf serve exited during start-up"
        try:
            if httpx.get(base + "/health/ready", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("cqf serve did not become ready")


def _wait_dead(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_killed_service_leaves_no_orphan_and_restarts_cleanly(tmp_path: Path) -> None:
    port = free_loopback_port()
    base = f"http://127.0.0.1:{port}"
    pid_file = tmp_path / "falkordb" / "falkordb.pid"
    first = _serve(tmp_path, port)
    try:
        _wait_ready(base, first)
        record = PidRecord.read(pid_file)
        assert record is not None and record.owner_pid == first.pid
        store = FalkorDBStore("127.0.0.1", record.port, "cqf",
                              password=read_password(tmp_path / "falkordb"))
        store.write(MARKER)
        store.close()
        frameworks = httpx.get(base + "/api/v1/frameworks?limit=500").json()["total"]
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        assert _wait_dead(record.pid), f"orphan redis-server {record.pid} outlived the service"
        assert pid_file.exists()  # the crash left its stale record behind
    finally:
        if first.poll() is None:
            first.kill()
    second = _serve(tmp_path, port)
    try:
        _wait_ready(base, second)
        marker = httpx.get(base + "/api/v1/frameworks/SERVICE-KILL-MARKER")
        assert marker.status_code == 200
        assert httpx.get(base + "/api/v1/frameworks?limit=500").json()["total"] == frameworks
        restarted = PidRecord.read(pid_file)
        assert restarted is not None and restarted.pid != record.pid
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
    assert _wait_dead(restarted.pid), "the store outlived a clean shutdown"

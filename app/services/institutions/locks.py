"""Serialise work that must not interleave (two bulk uploads for one institution), across
threads, API workers and CLI commands alike: the lock lives in the store
(app/graph/cypher/institutions/locks.py).

A lock dies with its holder. It names the holder (host, process id and the process's start
token, so a reused pid is not taken for the holder) and carries a short lease that a
renewer thread extends while the work runs; ``clear_orphans`` (called at every start and
after every store restart) deletes the locks whose holder on this host is gone, and a lock
of a holder elsewhere ends with its lease; a holder whose release met the store down (a
restart takes a fraction of a second) tries again until the store is back. The second comer
waits a few seconds at most, then gets ``Busy``: 409 problem+json with ``Retry-After``; no
worker is held for long."""

from __future__ import annotations

import functools
import math
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import structlog

from app.domain.errors import Busy
from app.graph.cypher.institutions import locks as q
from app.graph.embedded import pid_alive
from app.graph.port import ConstraintViolation, GraphStore

log = structlog.get_logger(__name__)

WAIT_SECONDS = 5.0  # the longest a request waits on one holder before it is told to retry
QUEUE_SECONDS = 15.0  # the longest it waits behind a queue of short writes, holder after holder
LEASE_SECONDS = 30.0  # a holder that stops renewing loses the lock after this
RENEW_SECONDS = 5.0
RETRY_AFTER_SECONDS = 5
RELEASE_RETRY_SECONDS = 0.25  # how often a release that met the store down is tried again


@dataclass(frozen=True)
class Holder:
    """A process, told apart from any later process with the same pid by its start token."""

    host: str
    pid: int
    started: str


def _start_token(pid: int) -> str:
    """The kernel's start time of ``pid`` (clock ticks since boot) with the boot's id: the
    pair names one process for ever; '' where /proc does not say (then the pid alone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:
        return ""
    return f"{boot}:{stat.rsplit(')', 1)[1].split()[19]}"


@functools.cache
def _host() -> str:
    return socket.gethostname()


def this_process() -> Holder:
    pid = os.getpid()
    return Holder(_host(), pid, _start_token(pid))


def holder_gone(host: object, pid: object, started: object) -> bool:
    """Whether a lock's holder is known to be gone: it ran on this host and its process no
    longer runs (or the pid now belongs to a process started later). A holder on another
    host is never judged from here: its lease decides."""
    if host != _host() or not isinstance(pid, int):
        return False
    if not pid_alive(pid):
        return True
    return bool(started) and _start_token(pid) not in ("", started)


def clear_orphans(store: GraphStore) -> int:
    """Delete the locks whose holder is gone; the number deleted."""
    gone = [{"name": r["name"], "token": r["token"]} for r in store.read(q.HELD)
            if holder_gone(r["host"], r["pid"], r["started"])]
    if not gone:
        return 0
    store.write(q.CLEAR, {"locks": gone})
    log.warning("locks.cleared_orphans", locks=[g["name"] for g in gone])
    return len(gone)


def _holder(store: GraphStore, name: str) -> tuple[str | None, int]:
    """Who holds the lock now (its token), and the seconds until its lease ends, within
    1..RETRY_AFTER_SECONDS (what ``Retry-After`` says)."""
    rows = store.read(q.HOLDER, {"name": name})
    token, until = (rows[0]["token"], rows[0]["until"]) if rows else (None, None)
    if not isinstance(until, int | float):
        return token, 1
    return token, max(1, min(RETRY_AFTER_SECONDS, math.ceil(until - time.time())))


class _Renewer:
    """Extends the lease every ``every`` seconds until stopped."""

    def __init__(self, store: GraphStore, name: str, token: str, lease: float,
                 every: float) -> None:
        self._stop = threading.Event()
        self._args = (store, name, token, lease, every)
        self._thread = threading.Thread(target=self._run, name=f"lock-lease {name}",
                                        daemon=True)
        self._thread.start()

    def _run(self) -> None:
        store, name, token, lease, every = self._args
        while not self._stop.wait(every):
            try:
                if not store.write(q.RENEW, {"name": name, "token": token,
                                             "until": time.time() + lease}):
                    log.warning("locks.lease_lost", lock=name)
                    return
            except Exception as exc:  # noqa: BLE001 - store down: the next beat tries again
                log.warning("locks.renew_failed", lock=name, error=str(exc))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=1)


def _acquire(store: GraphStore, name: str, token: str, lease: float, me: Holder) -> bool:
    now = time.time()
    try:
        return bool(store.write(q.ACQUIRE, {
            "name": name, "token": token, "now": now, "until": now + lease,
            "holder": f"pid {me.pid}", "host": me.host, "pid": me.pid, "started": me.started}))
    except ConstraintViolation:  # Neo4j: another taker created the lock node first
        return False


@contextmanager
def held(store: GraphStore, name: str, busy: str, wait: float = WAIT_SECONDS,
         lease: float = LEASE_SECONDS, renew: float = RENEW_SECONDS,
         queue: float = QUEUE_SECONDS,
         busy_params: Mapping[str, object] | None = None) -> Iterator[None]:
    """Hold the lock ``name`` for the block. A taker waits while the lock changes hands (up
    to ``queue`` seconds behind short writes), but at most ``wait`` seconds on one holder;
    then ``Busy`` (409 with Retry-After)."""
    token = secrets.token_hex(8)
    me = this_process()
    began = time.monotonic()
    deadline = began + wait
    seen: str | None = None
    pause = 0.02
    while not _acquire(store, name, token, lease, me):
        holder, retry_after = _holder(store, name)
        now = time.monotonic()
        if holder != seen:  # the lock changed hands: the writers ahead are moving
            seen = holder
            deadline = min(now + wait, began + max(wait, queue))
        if now >= deadline:
            raise Busy(busy, retry_after, params=busy_params)
        time.sleep(pause)
        pause = min(pause * 2, 0.25)
    renewer = _Renewer(store, name, token, lease, renew)
    try:
        yield
    finally:
        renewer.stop()
        try:
            store.write(q.RELEASE, {"name": name, "token": token})
        except Exception:  # noqa: BLE001 - the store is down: free the lock once it is back
            _release_later(store, name, token, lease)


def _release_later(store: GraphStore, name: str, token: str, lease: float) -> None:
    """Frees a lock whose release met the store down (a store restart takes a fraction of a
    second): its holder lives on, so no start clears it, and the institution's writes would
    be refused until the lease ends. Tried until it succeeds or the lease would have ended."""
    ends = time.monotonic() + lease

    def run() -> None:
        while time.monotonic() < ends:
            time.sleep(RELEASE_RETRY_SECONDS)
            with suppress(Exception):  # still down: try again
                store.write(q.RELEASE, {"name": name, "token": token})
                log.info("locks.released_late", lock=name)
                return

    threading.Thread(target=run, name=f"lock-release {name}", daemon=True).start()

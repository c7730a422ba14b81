"""A client-side deadline for every statement, and one shared answer to "does the store
still answer?".

The Neo4j driver reads with the server's ``connection.recv_timeout_seconds`` hint (120 s on
a default server): a frozen server (SIGSTOP, ``docker pause``, a VM stalled) holds a caller
that long, and the statement's own timeout is enforced by the server, which answers nothing.
So each statement runs on a worker thread and the caller waits on its future:

- the statement answers: its rows (or its error);
- it fails with a connection error: the store is marked down at once;
- it has not answered after ``check_after`` seconds: one liveness probe (``RETURN 1`` on its
  own connection), shared by every caller waiting at that moment, must answer within
  ``probe_deadline`` (or some other statement must answer meanwhile: a busy server is slow,
  not gone); when neither happens, the store is marked down and every waiting caller fails
  together. A slow statement on a live store keeps waiting, up to ``limit``.

While the store is down, statements fail at once without touching the driver (no thread is
spent on a dead server), and one recovery thread probes every ``retry_every`` seconds; the
first probe that answers marks the store up. A probe stuck on a frozen server is waited for,
not replaced: it answers the moment the server thaws.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError, Future, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

import structlog

from app.graph.port import StoreUnavailable

log = structlog.get_logger(__name__)

T = TypeVar("T")


class Liveness:
    def __init__(self, probe: Callable[[], object], is_outage: Callable[[BaseException], bool],
                 *, limit: float, check_after: float = 0.5, probe_deadline: float = 0.5,
                 retry_every: float = 0.2, workers: int = 64, name: str = "store") -> None:
        self._probe_call = probe
        self._is_outage = is_outage
        self.limit = limit
        self.check_after = min(check_after, limit)
        self.probe_deadline = probe_deadline
        self.retry_every = retry_every
        self.name = name
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=f"{name}-stmt")
        # Probes have their own worker: busy statements never delay the liveness answer.
        self._probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix=f"{name}-probe")
        self._lock = threading.Lock()
        self._probe: Future[object] | None = None
        self._probe_started = 0.0
        self._alive_at = 0.0  # when the store last answered anything (probe or statement)
        self._down = threading.Event()
        self._down_since = 0.0
        self._recovering = False
        self._closed = False
        self._running: set[Future[Any]] = set()
        with self._lock:  # open the probe's connection now, not under the first slow statement
            self._current_probe()

    @property
    def down(self) -> bool:
        return self._down.is_set()

    def run(self, call: Callable[[], T]) -> T:
        """``call()`` on a worker, bounded as the module says; StoreUnavailable when the store
        is down or stops answering."""
        if self._down.is_set():
            raise StoreUnavailable(f"{self.name} is not answering")
        with self._lock:  # one step with ``close``: a statement is refused or waited for
            if self._closed:
                raise StoreUnavailable(f"{self.name} is closed")
            future = self._pool.submit(call)
            self._running.add(future)
        future.add_done_callback(self._finished)
        started = time.monotonic()
        wait = self.check_after
        while True:
            try:
                return self._result(future, wait)
            except FutureTimeout:
                pass
            if self._down.is_set():  # another caller saw it go: fail together
                raise StoreUnavailable(f"{self.name} is not answering")
            if time.monotonic() - started >= self.limit:
                raise StoreUnavailable(f"{self.name} gave no answer within {self.limit:g} s")
            if not self.alive():
                raise StoreUnavailable(f"{self.name} is not answering")
            wait = min(self.check_after, max(0.01, self.limit - (time.monotonic() - started)))

    def _finished(self, future: Future[Any]) -> None:
        with self._lock:
            self._running.discard(future)

    def _result(self, future: Future[T], wait: float) -> T:
        try:
            found = future.result(timeout=wait)
        except FutureTimeout:
            raise
        except CancelledError as exc:  # still queued when the store closed
            raise StoreUnavailable(f"{self.name} is closed") from exc
        except BaseException as exc:
            if self._is_outage(exc):
                self.mark_down(exc)
                raise StoreUnavailable(f"{self.name} did not answer") from exc
            self._answered()  # an error the server sent is an answer too
            raise
        self._answered()
        return found

    def _answered(self) -> None:
        with self._lock:
            self._alive_at = time.monotonic()

    def alive(self) -> bool:
        """Does the store answer now? One probe for all callers; a recent answer counts."""
        if self._down.is_set():
            return False
        with self._lock:
            if time.monotonic() - self._alive_at < self.check_after:
                return True
            probe = self._current_probe()
            started = self._probe_started
        remaining = self.probe_deadline - (time.monotonic() - started)
        try:
            probe.result(timeout=max(0.0, remaining))
        except FutureTimeout:
            with self._lock:  # a busy server is slow, not gone: anything answered meanwhile?
                answered = self._alive_at >= started
            if answered:
                return True
            self.mark_down(None)
            return False
        except BaseException as exc:  # noqa: BLE001 - any failure of the probe: not answering
            self.mark_down(exc)
            return False
        return True

    def _current_probe(self) -> Future[object]:
        """The probe in flight, or a new one (called under ``_lock``)."""
        if self._probe is None or self._probe.done():
            self._probe = self._probes.submit(self._probed)
            self._probe_started = time.monotonic()
        return self._probe

    def _probed(self) -> object:
        answer = self._probe_call()
        self._answered()
        return answer

    def mark_down(self, cause: BaseException | None) -> None:
        with self._lock:
            if self._down.is_set() or self._closed:
                return
            self._down.set()
            self._down_since = time.monotonic()
            start = not self._recovering
            self._recovering = True
        log.warning("store.down", store=self.name,
                    cause=type(cause).__name__ if cause else "no answer to the liveness probe")
        if start:
            threading.Thread(target=self._recover, name=f"{self.name}-recovery",
                             daemon=True).start()

    def _recover(self) -> None:
        while not self._closed:
            with self._lock:
                probe = self._current_probe()
            try:
                probe.result(timeout=self.retry_every)
            except FutureTimeout:
                continue  # stuck on a frozen server: keep waiting for that same probe
            except BaseException:  # noqa: BLE001 - still down: try again shortly
                time.sleep(self.retry_every)
                continue
            with self._lock:
                self._down.clear()
                self._recovering = False
                seconds = time.monotonic() - self._down_since
            log.warning("store.up", store=self.name, down_seconds=round(seconds, 3))
            return

    def close(self) -> None:
        """Stop taking statements and let those running end (for up to ``limit``), so the
        driver is not closed under a statement still using its connection."""
        with self._lock:  # from here ``run`` refuses: no statement starts after ``running``
            self._closed = True
            running = list(self._running)
        wait(running, timeout=0 if self._down.is_set() else self.limit)
        self._pool.shutdown(wait=False, cancel_futures=True)
        self._probes.shutdown(wait=False, cancel_futures=True)

"""Keeps the embedded store up: a watcher thread notices the server's death within a tenth
of a second and starts it again on the same data directory (and port), with back-off.

Why a thread and not a periodic request: the owner holds the ``Popen`` of its child, so
``poll()`` is a free, exact death test (no false alarm from a slow query). The restarts run
on this same long-lived thread on purpose: Linux's parent-death signal is tied to the
*thread* that started the child, so a short-lived worker thread would take the new server
down with it when it ended.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import structlog

from app.graph.embedded import EmbeddedFalkorDB

log = structlog.get_logger(__name__)

BACKOFF_SECONDS = (0.0, 0.5, 1.0, 2.0, 4.0, 8.0)  # then 8 s between attempts


class StoreSupervisor:
    """``on_down()`` runs when the death is seen; ``on_up(port)`` after a restart (it
    re-applies the schema and re-points the clients); an exception there counts as a failed
    attempt, and the next one follows after the back-off."""

    def __init__(self, server: EmbeddedFalkorDB, on_down: Callable[[], None],
                 on_up: Callable[[int], None], interval: float = 0.1) -> None:
        self.server = server
        self.on_down = on_down
        self.on_up = on_up
        self.interval = interval
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="store-supervisor",
                                        daemon=True)

    def start(self) -> StoreSupervisor:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=30)

    def _watch(self) -> None:
        while not self._stopping.wait(self.interval):
            if self.server.died():
                self._recover()

    def _recover(self) -> None:
        process = self.server.process
        code = process.returncode if process is not None else None
        died_at = time.monotonic()
        log.error("store.died", exit_code=code, data_dir=str(self.server.data_dir))
        self.on_down()
        for attempt in range(1, 10_000):
            delay = BACKOFF_SECONDS[min(attempt - 1, len(BACKOFF_SECONDS) - 1)]
            if self._stopping.wait(delay):
                return
            try:
                port = self.server.restart()
                self.on_up(port)
            except Exception as exc:  # noqa: BLE001 - any failure: try again later
                log.error("store.restart_failed", attempt=attempt, error=str(exc))
                continue
            self.restarts += 1
            log.warning("store.restarted", attempt=attempt, port=port, restarts=self.restarts,
                        seconds=round(time.monotonic() - died_at, 3))
            return

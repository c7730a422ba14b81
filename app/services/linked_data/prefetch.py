"""An iterator run ahead on a helper thread: the export reads the store's next page while this
thread turns the current one into text.

The helper puts each item on a small bounded queue (so memory holds ``depth`` pages at most)
and waits there while the reader is behind; an error on the helper is raised to the reader at
the item where it happened. Closing the reader early (a client that went away) stops the
helper at its next hand-over. The helper starts at the reader's first ``next``, not before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar, cast

T = TypeVar("T")
_DONE = object()


class _Stopped(Exception):
    """The reader has gone: the helper ends."""


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """``items``, each produced on a helper thread up to ``depth`` ahead of the reader."""
    handed: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise _Stopped

    def produce() -> None:
        try:
            for item in items:
                put((item,))
            put(_DONE)
        except _Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            try:
                put(exc)
            except _Stopped:
                pass
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a generator's own clean-up (its threads) runs here
                close()

    helper = threading.Thread(target=produce, name="export-reader", daemon=True)
    helper.start()
    try:
        while True:
            got = handed.get()
            if got is _DONE:
                return
            if isinstance(got, BaseException):
                raise got
            yield cast(tuple[T], got)[0]
    finally:
        stop.set()
        helper.join(timeout=5)

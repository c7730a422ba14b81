"""Items made on a helper thread and handed to the reading thread through a small bounded
queue: the export reads the store's next page, or pyoxigraph serialises, while the reader
turns the last item into text or sends it.

Memory holds ``depth`` items at most (the helper waits while the reader is behind); an error
on the helper is raised to the reader at the item where it happened; closing the reader early
(a client that went away) stops the helper at its next hand-over. The helper starts at the
reader's first ``next``, not before.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator

_DONE = object()


class Stopped(Exception):
    """Raised inside the helper by ``put`` once the reader has gone: the helper ends."""


Put = Callable[[object], None]


def handed_over(produce: Callable[[Put], None], depth: int, name: str) -> Iterator[object]:
    """What ``produce(put)`` puts, in order, read here while it runs on a thread of its own."""
    handed: queue.Queue[object] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(item: object) -> None:
        while not stop.is_set():
            try:
                handed.put(item, timeout=0.2)
                return
            except queue.Full:
                continue
        raise Stopped

    def run() -> None:
        try:
            produce(put)
            put(_DONE)
        except Stopped:
            pass
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            try:
                put(_Failed(exc))
            except Stopped:
                pass

    helper = threading.Thread(target=run, name=name, daemon=True)
    helper.start()
    try:
        while True:
            got = handed.get()
            if got is _DONE:
                return
            if isinstance(got, _Failed):
                raise got.error
            yield got
    finally:
        stop.set()
        helper.join(timeout=5)


class _Failed:
    """An error of the helper, as an item (an item may itself be an exception object)."""

    __slots__ = ("error",)

    def __init__(self, error: BaseException) -> None:
        self.error = error

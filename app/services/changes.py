"""Process-local notice that the graph was just written through this process.

Every API write leaves an audit entry (``app.services.audit``), which calls ``notify``
after the write; read models cached in this process (the CASE packages) subscribe here and
drop their value at once, so the next read in this process sees the write. Other processes
notice through their caches' signatures (``app.services.refresh``). Subscribers are held
weakly: an app that is gone (tests make many) stops being notified.
"""

from __future__ import annotations

import threading
import weakref
from typing import Protocol


class Invalidates(Protocol):
    def changed(self, target_kind: str) -> None: ...


_subscribers: weakref.WeakSet = weakref.WeakSet()
_lock = threading.Lock()


def subscribe(subscriber: Invalidates) -> None:
    with _lock:
        _subscribers.add(subscriber)


def notify(target_kind: str) -> None:
    """Tell every live subscriber that ``target_kind`` (an audit target kind) was written."""
    with _lock:
        current = list(_subscribers)
    for subscriber in current:
        subscriber.changed(target_kind)

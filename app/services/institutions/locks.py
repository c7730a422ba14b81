"""Serialise work that must not interleave (two bulk uploads for one institution), across
threads, API workers and CLI commands alike: the lock lives in the store
(app/graph/cypher/institutions/locks.py).
The second comer waits for the first, up to ``wait`` seconds,
then gets a Conflict (409 problem+json) saying the work is in progress."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager

from app.domain.errors import Conflict
from app.graph.cypher.institutions import locks as q
from app.graph.port import GraphStore

WAIT_SECONDS = 30.0
TTL_SECONDS = 300.0  # longer than any upload; a crashed holder's lock frees itself after it


@contextmanager
def held(store: GraphStore, name: str, busy: str, wait: float = WAIT_SECONDS,
         ttl: float = TTL_SECONDS) -> Iterator[None]:
    token = secrets.token_hex(8)
    deadline = time.monotonic() + wait
    pause = 0.02
    while True:
        now = time.time()
        if store.write(q.ACQUIRE, {"name": name, "token": token, "now": now,
                                   "until": now + ttl, "holder": f"pid {os.getpid()}"}):
            break
        if time.monotonic() >= deadline:
            raise Conflict(busy)
        time.sleep(pause)
        pause = min(pause * 2, 0.5)
    try:
        yield
    finally:
        store.write(q.RELEASE, {"name": name, "token": token})

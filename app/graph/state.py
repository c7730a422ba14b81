"""Which state of the graph an answer comes from: a token that changes whenever the graph
does, and when this process first saw that state (its ``Last-Modified``).

The token hashes node and relationship counts and the newest audit entry: every write made
through the API leaves an audit entry, and creations and deletions change the counts. It is
read at most once per ``ttl`` seconds per process, so a burst of requests costs one check.
Used for the export's and the SPARQL snapshot's validators; single-entity answers hash their
own body instead (exact, whatever the writer).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from app.graph.cypher.operations import graph_state as q
from app.graph.port import GraphStore


@dataclass(frozen=True)
class State:
    token: str
    changed_at: datetime


def signature(store: GraphStore) -> tuple[Any, ...]:
    nodes = store.read(q.NODE_COUNT)[0]["n"]
    edges = store.read(q.EDGE_COUNT)[0]["n"]
    audit = store.read(q.LAST_AUDIT)
    return nodes, edges, audit[0]["at"] if audit else None


class GraphStateTracker:
    def __init__(self, ttl: float = 1.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._state: State | None = None
        self._checked = 0.0

    def current(self, store: GraphStore) -> State:
        with self._lock:
            if self._state is not None and time.monotonic() - self._checked < self.ttl:
                return self._state
        sig = signature(store)
        token = hashlib.sha256(repr(sig).encode()).hexdigest()[:16]
        with self._lock:
            self._checked = time.monotonic()
            if self._state is None or self._state.token != token:
                # When this process first saw the state: never earlier than the change, so
                # an If-Modified-Since can only cost a full answer, never hide a change.
                self._state = State(token, datetime.now(UTC).replace(microsecond=0))
            return self._state

    def forget(self) -> None:
        """A write in this process: check again on the next call."""
        with self._lock:
            self._checked = 0.0


def tracker(app_state: Any) -> GraphStateTracker:
    found = getattr(app_state, "graph_state", None)
    if found is None:
        found = app_state.graph_state = GraphStateTracker()
    return found

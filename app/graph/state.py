"""Which state of the graph an answer comes from: a token that changes whenever the graph
does, and when this process first saw that state (its ``Last-Modified``).

The token hashes node and relationship counts and the newest audit entry: every write made
through the API leaves an audit entry, and creations and deletions change the counts. It is
read at most once per ``ttl`` seconds per process, so a burst of requests costs one check.
A request on the event loop (``current_async``) takes no worker thread for it: one read runs
on a thread of its own and every request that needs it awaits that read; it begins a quarter
of ``ttl`` before the state it renews expires, so under steady traffic no request waits for
it (only the ones right after a write in this process do, which must see that write).
Used for the export's and the SPARQL snapshot's validators, and as the key of the serialised
answers the hot read routes keep (``app.api.answers.AnswerCache``): an answer is reused only
while the token it was computed under is current. Every audited write also creates a node, so
it always changes the token.

Beside it, the tokens of the parts of the graph (``app.domain.parts``), read in the same
check: a kept answer declares the parts it rests on and keys on ``State.token_for(parts)``, so
a write keeps every answer that does not rest on what it touched. A change of the counts
with no part token moving is a write from outside the service (hand-written Cypher): it
moves every part's token of this process (``foreign``), as a write to the whole graph.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from app.domain import parts as part_names
from app.graph import parts as graph_parts
from app.graph.cypher.operations import graph_state as q
from app.graph.port import GraphStore, StoreUnavailable

# When a state's renewal begins in the background, as a share of the tracker's ``ttl``.
AHEAD = 0.75


@dataclass(frozen=True)
class State:
    token: str
    changed_at: datetime
    parts: dict[str, str] = field(default_factory=dict[str, str], compare=False)
    foreign: int = 0  # writes from outside the service seen by this process
    # token_for's answers for this state: every request of a hot route asks for one, and
    # hashing every institution's part token each time cost 7 % of a loaded server's CPU
    _tokens: dict[tuple[str, ...], str] = field(default_factory=dict[tuple[str, ...], str],
                                                compare=False, repr=False)

    def token_for(self, declared: tuple[str, ...]) -> str:
        """The token of the parts an answer rests on (``app.domain.parts``)."""
        found = self._tokens.get(declared)
        if found is None:  # two threads may both compute it: the same value
            seen = {**self.parts, part_names.FOREIGN: str(self.foreign)}
            found = graph_parts.token(declared, seen)
            self._tokens[declared] = found
        return found


def check(store: GraphStore) -> tuple[tuple[Any, ...], dict[str, str]]:
    """The graph's signature (node count without locks, relationship count, newest audit
    entry) and every part's token: one statement (one round trip) on Neo4j, a few cheap ones
    on the embedded store (see ``GRAPH_STATE_STATEMENTS``)."""
    params = {"prefix": graph_parts.PREFIX}
    if store.backend == "falkordb":
        row: dict[str, Any] = {}
        for statement in q.GRAPH_STATE_STATEMENTS:
            row.update(store.read(statement, params)[0])
    else:
        row = dict(store.read(q.GRAPH_STATE, params)[0])
    tokens = {str(code)[len(graph_parts.PREFIX):]: str(value)
              for code, value in row["parts"] if code is not None}
    return (row["nodes"] - row["locks"], row["edges"], row["at"]), tokens


class GraphStateTracker:
    def __init__(self, ttl: float = 1.0) -> None:
        self.ttl = ttl
        self._lock = threading.Lock()
        self._reading = threading.Lock()
        self._state: State | None = None
        self._checked = 0.0
        self._generation = 0
        self._finished = 0  # reads ended, so a waiter knows one ended while it waited
        self._failure: StoreUnavailable | None = None  # how the last read ended, if it failed
        self._counts: tuple[Any, ...] | None = None
        self._foreign = 0
        self._inflight: tuple[int, Future[State]] | None = None  # (generation, read)

    async def current_async(self, store: GraphStore) -> State:
        """``current`` for the event loop: the state seen less than ``ttl`` ago, else the
        result of the one read in flight that began after this process's last write (or
        of a new one). Past ``AHEAD`` of ``ttl`` a read begins in the background."""
        with self._lock:
            state, age = self._state, time.monotonic() - self._checked
        if state is not None and age < self.ttl:
            if age >= AHEAD * self.ttl:
                self._begin(store, AHEAD * self.ttl)
            return state
        # shielded: a request that goes away must not cancel the read others await
        return await asyncio.shield(asyncio.wrap_future(self._begin(store, self.ttl)))

    def _begin(self, store: GraphStore, within: float) -> Future[State]:
        """The read in flight that began after this process's last write, or a new one
        (which takes a state seen less than ``within`` seconds ago, if one is by then)."""
        with self._lock:
            if self._inflight is not None and self._inflight[0] == self._generation \
                    and not self._inflight[1].done():
                return self._inflight[1]
            read: Future[State] = Future()
            self._inflight = (self._generation, read)

        def run() -> None:
            read.set_running_or_notify_cancel()
            try:
                read.set_result(self._current(store, within))
            except BaseException as exc:  # noqa: BLE001 - every awaiter gets it
                read.set_exception(exc)

        threading.Thread(target=run, name="graph-state", daemon=True).start()
        return read

    def current(self, store: GraphStore) -> State:
        return self._current(store, self.ttl)

    def _current(self, store: GraphStore, within: float) -> State:
        """The state seen less than ``within`` seconds ago, else read now (one reader at a
        time; the others take what it read)."""
        found = self._seen_within(within)
        if found is not None:
            return found
        with self._lock:
            finished = self._finished
        with self._reading:
            found = self._seen_within(within)
            if found is not None:
                return found
            with self._lock:
                failure = self._failure if self._finished != finished else None
            if failure is not None:
                # The read this caller waited behind failed: the store did not answer, and
                # asking again now would only make this caller wait as long once more.
                raise StoreUnavailable(str(failure)) from failure
            try:
                found = self._read(store)
            except StoreUnavailable as exc:
                with self._lock:
                    self._failure = exc
                    self._finished += 1
                raise
            with self._lock:
                self._failure = None
                self._finished += 1
            return found

    def _read(self, store: GraphStore) -> State:
        with self._lock:
            generation = self._generation
        sig, tokens = check(store)
        token = hashlib.sha256(repr((sig, sorted(tokens.items()))).encode()).hexdigest()[:16]
        with self._lock:
            if generation == self._generation:  # no write here since: good for ``ttl``
                self._checked = time.monotonic()
            counts = sig[:2]
            before = self._state
            if before is not None and self._counts is not None and counts != self._counts \
                    and tokens == before.parts:
                self._foreign += 1  # the graph changed and no write through the service did
            self._counts = counts
            if before is None or before.token != token or before.foreign != self._foreign:
                # When this process first saw the state: never earlier than the change, so
                # an If-Modified-Since can only cost a full answer, never hide a change.
                changed_at = datetime.now(UTC).replace(microsecond=0)
                if before is not None and before.token == token:
                    changed_at = before.changed_at
                self._state = State(token, changed_at, tokens, self._foreign)
                return self._state
            return before

    def fresh(self) -> State | None:
        """The state seen less than ``ttl`` ago, or None: never touches the store."""
        return self._seen_within(self.ttl)

    def _seen_within(self, seconds: float) -> State | None:
        with self._lock:
            if self._state is not None and time.monotonic() - self._checked < seconds:
                return self._state
        return None

    def last_known(self) -> State | None:
        """The state last read, however long ago (never touches the store): what a kept
        answer may still be given under while the store does not answer."""
        with self._lock:
            return self._state

    def forget(self, store: GraphStore | None = None) -> None:
        """A write in this process: check again on the next call; with ``store``, begin that
        check now, so the requests after the write find it under way or done."""
        with self._lock:
            self._checked = 0.0
            self._generation += 1
        if store is not None:
            self._begin(store, self.ttl)


def tracker(app_state: Any) -> GraphStateTracker:
    found = getattr(app_state, "graph_state", None)
    if found is None:
        settings = getattr(app_state, "settings", None)
        refresh = getattr(settings, "mapping_cache_seconds", 0.0) or 0.0
        # Never slower than the configured refresh time of the read models (the cached
        # answers key on this token): another worker's write is seen within it.
        found = app_state.graph_state = GraphStateTracker(min(1.0, refresh) if refresh
                                                          else 1.0)
    return found

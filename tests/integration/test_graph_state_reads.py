"""The graph-state check as the event loop asks for it (``GraphStateTracker.current_async``):
a crowd of requests costs one check, a write in this process is always seen by the next
request, and under steady traffic the check is renewed before it expires, so no request
waits for it. On both backends."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from app.graph.port import GraphStore
from app.graph.state import AHEAD, GraphStateTracker

T = TypeVar("T")


def _on_a_loop(work: Coroutine[Any, Any, T]) -> T:
    """``work`` on an event loop of its own (on a thread of its own: the test's thread may
    hold a loop another test left)."""
    with ThreadPoolExecutor(1) as thread:
        return thread.submit(asyncio.run, work).result()


class CountedReads:
    """The real store, counting the statements the tracker sends it."""

    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.backend = store.backend
        self.reads = 0

    def read(self, query: Any, params: Any = None) -> Any:
        self.reads += 1
        return self.store.read(query, params)


def _one_check(store: GraphStore) -> int:
    counted = CountedReads(store)
    GraphStateTracker().current(counted)  # type: ignore[arg-type]
    return counted.reads


def test_a_crowd_of_requests_costs_one_check(store: GraphStore) -> None:
    counted = CountedReads(store)
    tracker = GraphStateTracker(ttl=30)

    async def crowd() -> set[str]:
        states = await asyncio.gather(*(tracker.current_async(counted)  # type: ignore[arg-type]
                                        for _ in range(50)))
        return {s.token for s in states}

    assert len(_on_a_loop(crowd())) == 1
    assert counted.reads == _one_check(store)


def test_the_request_after_a_write_in_this_process_sees_it(store: GraphStore) -> None:
    tracker = GraphStateTracker(ttl=30)
    before = _on_a_loop(tracker.current_async(store))
    store.write("CREATE (:Competency {code: 'STATE-CHECK'})")
    assert _on_a_loop(tracker.current_async(store)).token == before.token  # not told yet
    tracker.forget()  # what a write through the service does
    assert _on_a_loop(tracker.current_async(store)).token != before.token


def test_under_steady_traffic_the_check_is_renewed_before_it_expires(store: GraphStore) -> None:
    ttl = 0.6
    counted = CountedReads(store)
    tracker = GraphStateTracker(ttl=ttl)
    first = _on_a_loop(tracker.current_async(counted))  # type: ignore[arg-type]
    reads = counted.reads
    time.sleep(AHEAD * ttl + 0.05)
    asked = time.monotonic()
    assert _on_a_loop(tracker.current_async(counted)) is first  # type: ignore[arg-type]
    assert time.monotonic() - asked < 0.05, "answered from the state it had, at once"
    deadline = time.monotonic() + 5
    while counted.reads < 2 * reads and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(0.05)
    assert counted.reads == 2 * reads, "one renewal, in the background"
    time.sleep(max(0.0, asked + (1 - AHEAD) * ttl + 0.05 - time.monotonic()))
    assert tracker.fresh() is not None, "past the first state's expiry it is still fresh"

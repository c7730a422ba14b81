"""The helper-thread hand-over under the export's read-ahead and its serializer: order,
errors where they happened, bounded memory, and a reader that leaves early stops the helper."""

from __future__ import annotations

import threading
import time

import pytest

from app.rdf.handoff import Put, handed_over
from app.services.linked_data.prefetch import prefetched


def test_items_arrive_in_order_and_an_error_is_raised_after_the_items_before_it() -> None:
    def produce(put: Put) -> None:
        put(1)
        put(ValueError("an item, not an error"))
        raise RuntimeError("the store went away")

    read = handed_over(produce, 2, "test")
    assert next(read) == 1
    assert isinstance(next(read), ValueError)
    with pytest.raises(RuntimeError, match="the store went away"):
        next(read)


def test_the_helper_stays_at_most_depth_items_ahead_and_stops_when_the_reader_leaves() -> None:
    made: list[int] = []
    ended = threading.Event()

    def produce(put: Put) -> None:
        try:
            for n in range(1000):
                made.append(n)
                put(n)
        finally:
            ended.set()

    read = handed_over(produce, 3, "test")
    assert next(read) == 0
    time.sleep(0.3)
    assert len(made) <= 1 + 3 + 1  # the item read, the queue, the one waiting to be put
    read.close()
    assert ended.wait(2)
    assert len(made) < 1000


def test_prefetched_closes_its_source_on_the_helper_when_the_reader_leaves() -> None:
    closed = threading.Event()

    def pages():
        try:
            yield from range(1000)
        finally:
            closed.set()

    read = prefetched(pages())
    assert [next(read), next(read)] == [0, 1]
    read.close()
    assert closed.wait(2)

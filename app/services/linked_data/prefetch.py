"""An iterator run ahead on a helper thread: the export reads the store's next page while this
thread turns the current one into text (``app.rdf.handoff``: bounded, errors raised here,
stopped when the reader goes away)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TypeVar, cast

from app.rdf.handoff import Put, handed_over

T = TypeVar("T")


def prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """``items``, each produced on a helper thread up to ``depth`` ahead of the reader."""
    def produce(put: Put) -> None:
        try:
            for item in items:
                put(item)
        finally:
            close = getattr(items, "close", None)
            if close is not None:  # a generator's own clean-up (its threads) runs here
                close()

    return cast(Iterator[T], handed_over(produce, depth, "export-reader"))

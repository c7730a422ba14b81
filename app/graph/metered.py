"""A store that times every statement for the service's metrics: infrastructure beside the
adapters, so the graph layer never needs the API's Prometheus registry (it only sees a
``StatementTimer``)."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, LiteralString, Protocol

from app.graph.port import GraphStore, Row, StoreUnavailable


class StatementTimer(Protocol):
    def observe_statement(self, operation: str, seconds: float) -> None: ...

    def count_unavailable(self, operation: str) -> None: ...


class MeteredStore:
    """A GraphStore that times every statement; everything else passes through."""

    def __init__(self, inner: GraphStore, timer: StatementTimer) -> None:
        self.inner = inner
        self.timer = timer
        self.backend = inner.backend

    def _timed(self, operation: str, call: Callable[[], list[Row]]) -> list[Row]:
        started = time.perf_counter()
        try:
            return call()
        except StoreUnavailable:
            self.timer.count_unavailable(operation)
            raise
        finally:
            self.timer.observe_statement(operation, time.perf_counter() - started)

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._timed("read", lambda: self.inner.read(query, params))

    def write(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self._timed("write", lambda: self.inner.write(query, params))

    def write_rows(self, query: LiteralString, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        return self._timed("write_rows", lambda: self.inner.write_rows(query, rows))

    def fulltext(self, terms: Sequence[str], labels: Sequence[str], limit: int) -> list[Row]:
        return self._timed("fulltext", lambda: self.inner.fulltext(terms, labels, limit))

    def apply_schema(self) -> list[str]:
        return self.inner.apply_schema()

    def snapshot(self) -> AbstractContextManager[GraphStore]:
        return self.inner.snapshot()

    def ping(self) -> bool:
        return self.inner.ping()

    def close(self) -> None:
        self.inner.close()

    def __getattr__(self, name: str) -> Any:  # adapter extras (address, ...) pass through
        return getattr(self.inner, name)

"""The graph-store port: the only surface the rest of the service sees of a database.

Both adapters (embedded/external FalkorDB and Neo4j) return plain dicts keyed by the names
in each query's RETURN clause, so services never handle a driver record or a node object.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, LiteralString, Protocol

from app.domain.text import N_

Row = dict[str, Any]


class StoreUnavailable(RuntimeError):
    """The store did not answer (down, unreachable, or slower than the configured timeout)."""


class UnstorableText(ValueError):
    """A value the store cannot hold (FalkorDB's strings end at NUL): refused before anything
    is written. The API refuses such text at its edge already; this is the store's own guard
    for every other caller (CLI, seed files)."""

    MESSAGE = N_("text may not contain NUL (\\u0000)")  # a msgid: the API words it

    def __init__(self) -> None:
        super().__init__(self.MESSAGE)


class ConstraintViolation(RuntimeError):
    """A write broke a uniqueness constraint; nothing of that statement was written."""


class GraphStore(Protocol):
    backend: str

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run a read-only statement (routed to readers on a Neo4j cluster)."""
        ...

    def write(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        """Run one write statement atomically."""
        ...

    def write_rows(self, query: LiteralString, rows: Sequence[Mapping[str, Any]]) -> list[Row]:
        """Run ``query`` once with ``$rows`` bound to all rows: one atomic statement."""
        ...

    def fulltext(self, terms: Sequence[str], labels: Sequence[str], limit: int) -> list[Row]:
        """Full-text candidates: rows have label, code, name, name_fr and description (the
        service ranks them, ``app.domain.search``; an index's own score differs by store).
        Terms are plain words."""
        ...

    def apply_schema(self) -> list[str]:
        """Create constraints and indexes idempotently; returns what was created."""
        ...

    def snapshot(self) -> AbstractContextManager[GraphStore]:
        """A read-only view of the whole graph as it was at one instant, for work that must
        see one graph state across many reads (a release): writes committed meanwhile are
        not in it. Only ``read`` (and ``fulltext``) may be used on the view."""
        ...

    def ping(self) -> bool: ...

    def close(self) -> None: ...

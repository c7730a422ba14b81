"""Read several independent reads (``app.graph.cypher.sections``) in as few round trips as
the store allows: one statement on Neo4j, one statement per read on the embedded store."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any, LiteralString, cast

from app.graph.cypher.sections import Section, one_statement
from app.graph.port import GraphStore, Row


@cache
def _combined(sections: tuple[Section, ...]) -> LiteralString:
    return one_statement(sections)


def read_sections(store: GraphStore, sections: tuple[Section, ...],
                  params: Mapping[str, Any] | None = None) -> dict[str, list[Row]]:
    """Each section's rows by its name (every section sees all of ``params``)."""
    if store.backend != "neo4j":
        return {s.name: store.read(s.query, params) for s in sections}
    rows = store.read(_combined(sections), params)
    found: Row = rows[0] if rows else {}
    return {s.name: [cast(Row, r) for r in cast(list[Any], found.get(s.name) or [])]
            for s in sections}

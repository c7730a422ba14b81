"""Bringing stored data up to the current model (``cqf db migrate``, and every start-up):
each step is idempotent, so running it again changes nothing."""

from __future__ import annotations

import structlog

from app.graph import parts
from app.graph.cypher.operations.migrations import SCOPE_OWNED_CODES
from app.graph.port import GraphStore

log = structlog.get_logger(__name__)


def migrate_data(store: GraphStore) -> dict[str, int]:
    """Run every data migration; returns how many nodes each one changed."""
    changed: dict[str, int] = {}
    for name, statement in SCOPE_OWNED_CODES:
        rows = store.write(statement)
        changed[name] = int(rows[0]["changed"]) if rows else 0
    if any(changed.values()):
        parts.stamp(store)
        log.info("data.migrated", **{k.replace(" ", "_"): v for k, v in changed.items()})
    return changed

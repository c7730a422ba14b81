"""Writes the seed bundle into a graph store.

Idempotent by construction (MERGE on keys, SET +=), so ``cqf seed`` may run any number of
times, and the service seeds automatically only when the graph is empty.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import structlog

from app.domain.vocab import NodeLabel
from app.graph import parts
from app.graph.cypher.catalog.reads import ANY_NODE
from app.graph.cypher.operations.seed import STAMP_SEEDED_REVIEWS, merge_nodes, merge_relationships
from app.graph.port import GraphStore
from app.seed.catalog import SeedBundle, load_seed_bundle

log = structlog.get_logger(__name__)

BATCH_SIZE = 1000
Progress = Callable[[str, int], None]


def _batches(rows: Sequence[Any], size: int = BATCH_SIZE) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


def total_rows(bundle: SeedBundle) -> int:
    return sum(len(s.rows) for s in bundle.nodes) + sum(len(s.rows) for s in bundle.rels)


def write_bundle(store: GraphStore, bundle: SeedBundle, progress: Progress | None = None) -> int:
    """Write nodes first (relationships MATCH their endpoints), then relationships."""
    written = 0
    for node_set in bundle.nodes:
        query = merge_nodes(NodeLabel(node_set.label))
        for batch in _batches(node_set.rows):
            store.write_rows(query, batch)
            written += len(batch)
            if progress:
                progress(node_set.label, len(batch))
    for rel_set in bundle.rels:
        query = merge_relationships(rel_set.type, NodeLabel(rel_set.from_label),
                                    NodeLabel(rel_set.to_label))
        for batch in _batches(rel_set.rows):
            store.write_rows(query, batch)
            written += len(batch)
            if progress:
                progress(rel_set.type, len(batch))
    store.write(STAMP_SEEDED_REVIEWS, {"now": datetime.now(UTC).isoformat(timespec="seconds")})
    if parts.read_tokens(store):  # a re-seed of a graph written to: every kept answer is
        parts.stamp(store)        # computed again (a first seed moves the counts, which
                                  # is seen as a write from outside: app.graph.state)
    log.info("seed.written", rows=written)
    return written


def graph_is_empty(store: GraphStore) -> bool:
    return not store.read(ANY_NODE)


def seed(store: GraphStore, directory: Path, progress: Progress | None = None) -> SeedBundle:
    bundle = load_seed_bundle(directory)
    write_bundle(store, bundle, progress)
    return bundle

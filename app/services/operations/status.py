"""What the graph holds, for an operator (``cqf db status``): nodes counted by label."""

from __future__ import annotations

from collections import Counter

from app.graph.cypher.catalog.reads import NODE_COUNTS
from app.graph.port import GraphStore


def node_counts(store: GraphStore) -> Counter[str]:
    return Counter({str(r["label"]): int(r["total"]) for r in store.read(NODE_COUNTS)})

"""Seed/bulk writes: the same rows as whole ``UNWIND`` batches vs one statement per row.

Each variant writes into its own fresh graph on the same server, so neither sees the other's
nodes. The embedded store fsyncs its append-only file on every statement, which is exactly
the cost row-by-row writing multiplies.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from app.domain.vocab import NodeLabel
from app.graph.cypher.operations.seed import merge_nodes, merge_relationships
from app.graph.falkordb_store import FalkorDBStore
from benchmarks.generator import GeneratedGraph

BATCH = 1000


@dataclass
class WriteFigure:
    name: str
    rows: int
    batch_seconds: float
    row_seconds: float
    batch_rows_per_s: float
    row_rows_per_s: float
    ratio: float


def _timed(action: Callable[[], None]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _rows(graph: GeneratedGraph, rows: int) -> tuple[list[dict], list[dict], list[dict]]:
    bundle = graph.bundle
    competencies = bundle.node_set("Competency").rows[:rows]
    profiles = bundle.node_set("JobProfile").rows
    wanted = {c["code"] for c in competencies}
    requires = [r for r in bundle.rels_of_type("REQUIRES") if r["to"] in wanted][:rows]
    needed = {r["from"] for r in requires}
    return competencies, [p for p in profiles if p["code"] in needed], requires


def _write(store: FalkorDBStore, rows: list[dict], query: str, batch: int) -> None:
    for start in range(0, len(rows), batch):
        store.write_rows(query, rows[start:start + batch])  # type: ignore[arg-type]


def measure(store_url: str, graph: GeneratedGraph, rows: int, prefix: str) -> list[WriteFigure]:
    competencies, profiles, requires = _rows(graph, rows)
    node_q = merge_nodes(NodeLabel.COMPETENCY)
    profile_q = merge_nodes(NodeLabel.JOB_PROFILE)
    rel_q = merge_relationships("REQUIRES", NodeLabel.JOB_PROFILE, NodeLabel.COMPETENCY)
    seconds: dict[tuple[str, int], float] = {}
    for batch in (BATCH, 1):
        store = FalkorDBStore.from_url(store_url, f"{prefix}-w{batch}", timeout=60)
        store.apply_schema()
        seconds["nodes", batch] = _timed(lambda s=store, b=batch: _write(s, competencies,
                                                                          node_q, b))
        _write(store, profiles, profile_q, BATCH)  # endpoints for the edges, not timed
        seconds["edges", batch] = _timed(lambda s=store, b=batch: _write(s, requires, rel_q, b))
        store.write("MATCH (n) DETACH DELETE n")
        store.close()
    figures = []
    for name, count in (("nodes", len(competencies)), ("edges", len(requires))):
        fast, slow = seconds[name, BATCH], seconds[name, 1]
        figures.append(WriteFigure(
            f"{name} (Competency MERGE)" if name == "nodes" else "edges (REQUIRES MERGE)",
            count, round(fast, 3), round(slow, 3), round(count / fast, 1),
            round(count / slow, 1), round(slow / fast, 1)))
    return figures

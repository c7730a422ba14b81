"""Batch writes of the seed graph: one ``UNWIND $rows`` statement per batch, so each batch is
atomic on both backends and re-running it changes nothing (MERGE on the key, SET +=)."""

from __future__ import annotations

from app.graph.labels import RELATIONSHIP_TYPES, NodeLabel


def merge_nodes(label: NodeLabel) -> str:
    return (
        f"UNWIND $rows AS row MERGE (n:{label.value} {{code: row.code}}) SET n += row "
        "RETURN count(n) AS written"
    )


def merge_relationships(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> str:
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"unknown relationship type {rel_type}")
    # Mappings are keyed by their id (two different mappings may join the same levels);
    # every other relationship is unique per (from, type, to).
    key = " {id: row.props.id}" if rel_type == "MAPS_TO" else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{from_label.value} {{code: row.from}}) "
        f"MATCH (b:{to_label.value} {{code: row.to}}) "
        f"MERGE (a)-[r:{rel_type}{key}]->(b) SET r += row.props RETURN count(r) AS written"
    )

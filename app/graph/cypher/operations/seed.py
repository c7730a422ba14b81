"""Batch writes of the seed graph: one ``UNWIND $rows`` statement per batch, so each batch is
atomic on both backends and re-running it changes nothing (MERGE on the key, SET +=)."""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text, rel_text


def merge_nodes(label: NodeLabel) -> LiteralString:
    return (
        f"UNWIND $rows AS row MERGE (n:{label_text(label)} {{code: row.code}}) SET n += row, "
        "n.code_key = toLower(row.code) "
        "RETURN count(n) AS written"
    )


def merge_relationships(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> LiteralString:
    # Mappings are keyed by their id (two different mappings may join the same levels);
    # every other relationship is unique per (from, type, to).
    key = " {id: row.props.id}" if rel_type == "MAPS_TO" else ""
    return (
        f"UNWIND $rows AS row MATCH (a:{label_text(from_label)} {{code: row.from}}) "
        f"MATCH (b:{label_text(to_label)} {{code: row.to}}) "
        f"MERGE (a)-[r:{rel_text(rel_type)}{key}]->(b) SET r += row.props "
        "RETURN count(r) AS written"
    )


# A seeded mapping with a review status was reviewed when it entered the seed data and is
# accepted into this graph when seeded: that moment is its review date (``reviewed_at``, the
# SSSOM ``mapping_date``), set once, never moved by a later re-seed.
STAMP_SEEDED_REVIEWS = (
    "MATCH (:Level)-[m:MAPS_TO]->(:Level) "
    "WHERE m.review_status IS NOT NULL AND m.reviewed_at IS NULL "
    "SET m.reviewed_at = $now, m.reviewed_by = coalesce(m.reviewed_by, 'seed') "
    "RETURN count(m) AS stamped"
)

"""Data migrations run by ``cqf db migrate`` and at start-up, after the schema. Each is
idempotent: it touches only nodes not yet migrated, and returns how many it changed.
The same text runs on FalkorDB and Neo4j."""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text

# Programme and course codes became scoped by their owner (``app.domain.identity``): the old
# code moves to ``local_code`` and ``code`` becomes INSTITUTION/PROGRAMME[/COURSE].
# Programmes first: a course's ``programme`` stays the programme's own code.
SCOPE_OWNED_CODES: tuple[tuple[str, LiteralString], ...] = (
    ("programme codes scoped by institution",
     "MATCH (p:Programme) WHERE p.local_code IS NULL AND p.institution IS NOT NULL "
     "SET p.local_code = p.code, p.code = p.institution + '/' + p.code "
     "RETURN count(p) AS changed"),
    ("course codes scoped by institution and programme",
     "MATCH (c:Course) WHERE c.local_code IS NULL AND c.institution IS NOT NULL "
     "AND c.programme IS NOT NULL "
     "SET c.local_code = c.code, c.code = c.institution + '/' + c.programme + '/' + c.code "
     "RETURN count(c) AS changed"),
)


# One code, one thing: every node of these labels carries its folded code (``code_key``),
# unique per label (graph_schema). A graph written before that gets it here, except where
# two nodes share a folded code: those are reported (``duplicate_codes``), never guessed at.
def unfolded(label: NodeLabel) -> LiteralString:
    """How many nodes of ``label`` lack their folded code (a cheap check run first)."""
    return (f"MATCH (n:{label_text(label)}) "
            "WHERE n.code IS NOT NULL AND (n.code_key IS NULL OR n.code_key <> toLower(n.code)) "
            "RETURN count(n) AS n")


def fold_codes(label: NodeLabel) -> LiteralString:
    """Set the folded code of every node whose folded code no other node of the label has."""
    return (f"MATCH (n:{label_text(label)}) WHERE n.code IS NOT NULL "
            "WITH toLower(n.code) AS key, collect(n) AS nodes WHERE size(nodes) = 1 "
            "WITH nodes[0] AS n, key WHERE n.code_key IS NULL OR n.code_key <> key "
            "SET n.code_key = key RETURN count(n) AS changed")


def duplicate_codes(label: NodeLabel) -> LiteralString:
    """Codes of ``label`` that differ only in letter case, with what hangs on each."""
    return (f"MATCH (n:{label_text(label)}) WHERE n.code IS NOT NULL "
            "WITH toLower(n.code) AS key, collect(n) AS nodes WHERE size(nodes) > 1 "
            "UNWIND nodes AS n OPTIONAL MATCH (n)-[r]-() "
            "WITH key, n, count(r) AS links ORDER BY n.code "
            "RETURN key, collect({code: n.code, links: links}) AS nodes ORDER BY key")

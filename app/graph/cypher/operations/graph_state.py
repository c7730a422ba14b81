"""A cheap signature of the whole graph: what changes when anything is written (counts, and
the newest audit entry, which every API write leaves)."""

from __future__ import annotations

from typing import LiteralString

NODE_COUNT: LiteralString = "MATCH (n) RETURN count(n) AS n"
EDGE_COUNT: LiteralString = "MATCH ()-[r]->() RETURN count(r) AS n"
LAST_AUDIT: LiteralString = "MATCH (a:AuditEntry) RETURN max(a.at) AS at"

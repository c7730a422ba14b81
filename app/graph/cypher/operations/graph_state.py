"""A cheap signature of the whole graph: what changes when anything is written (counts, and
the newest audit entry, which every API write leaves)."""

from __future__ import annotations

from typing import LiteralString

NODE_COUNT: LiteralString = "MATCH (n) RETURN count(n) AS n"
LOCK_COUNT: LiteralString = "MATCH (l:ServiceLock) RETURN count(l) AS n"
EDGE_COUNT: LiteralString = "MATCH ()-[r]->() RETURN count(r) AS n"
LAST_AUDIT: LiteralString = "MATCH (a:AuditEntry) RETURN max(a.at) AS at"

# The state token of each part of the graph (``app.domain.parts``): one ``ServiceMeta`` node
# per part, code ``part:<name>``, value the code of the audit entry (or the stamp) of the
# last write that touched it. ``$prefix`` is ``part:``.
PART_TOKENS: LiteralString = (
    "MATCH (m:ServiceMeta) WHERE m.code STARTS WITH $prefix "
    "RETURN m.code AS part, m.value AS token"
)
# A write outside the audited path (seed, migrations, the base IRI) stamps the parts it
# touched itself.
STAMP_PARTS: LiteralString = (
    "UNWIND $parts AS part MERGE (m:ServiceMeta {code: part}) SET m.value = $token"
)

"""A cheap signature of the whole graph: what changes when anything is written (counts, and
the newest audit entry, which every API write leaves)."""

from __future__ import annotations

from typing import LiteralString

# The whole check in one statement, so it costs one round trip on a networked store
# (issue 23.4): node and relationship counts (locks come and go with every upload and course
# write and change no answer, so they are counted apart), the newest audit entry, and the
# state token of every part (see PART_TOKENS). ``$prefix`` is ``part:``.
GRAPH_STATE: LiteralString = (
    "CALL { MATCH (n) RETURN count(n) AS nodes } "
    "CALL { MATCH (l:ServiceLock) RETURN count(l) AS locks } "
    "CALL { MATCH ()-[r]->() RETURN count(r) AS edges } "
    "CALL { MATCH (a:AuditEntry) RETURN max(a.at) AS at } "
    "CALL { MATCH (m:ServiceMeta) WHERE m.code STARTS WITH $prefix "
    "RETURN collect([m.code, m.value]) AS parts } "
    "RETURN nodes, locks, edges, at, parts"
)

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

"""The write gate on Neo4j: one node whose write lock every write transaction takes first,
and a release's snapshot holds for as long as it reads (``Neo4jStore.snapshot``).

Neo4j isolates transactions at read-committed only: the statements of one read transaction
see writes committed between them. Holding the gate's lock makes the snapshot's reads one
graph state -- no write can commit while the snapshot is open; writes wait for it (up to the
store timeout, then the usual 503) and then go on. The embedded store needs no gate (its
snapshot is ``GRAPH.COPY``, one command).
"""

from __future__ import annotations

from typing import LiteralString

GATE_CODE = "writes"

# SET takes the node's exclusive lock (held to the end of the transaction); MERGE is safe
# under the ``write_gate_code`` uniqueness constraint (graph_schema/neo4j).
TAKE_WRITE_GATE: LiteralString = (
    "MERGE (g:WriteGate {code: $code}) SET g.writes = coalesce(g.writes, 0) + 1"
)

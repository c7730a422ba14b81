"""The write gate on Neo4j (issue 22.5): a few ``ServiceMeta`` nodes, ``write-gate:0`` to
``write-gate:<STRIPES-1>``, whose write locks keep a release's reads one graph state.

Neo4j isolates transactions only at read-committed: one read transaction's later statements
see writes committed after it began. So every write transaction first locks one stripe
(chosen at random: writers seldom wait for each other), and a release's snapshot locks all of
them, in code order, before it reads and until it ends: no write commits while a release
reads. Setting a property to the value it has takes the node's write lock and writes nothing.
The embedded store's gate is two keys on its server (``app.graph.falkordb_write_gate``).
"""

from __future__ import annotations

from typing import LiteralString

STRIPES = 8
STRIPE_CODES: tuple[str, ...] = tuple(f"write-gate:{i}" for i in range(STRIPES))

# One stripe, by a writer (MERGE: made on first use, safe under ``service_meta_code``).
TAKE_STRIPE: LiteralString = "MERGE (g:ServiceMeta {code: $code}) SET g.gate = true"

# Every stripe, one after the other in code order, by a snapshot (rolled back at its end).
TAKE_ALL_STRIPES: LiteralString = (
    "UNWIND $codes AS code MERGE (g:ServiceMeta {code: code}) SET g.gate = true"
)

# The stripes made at schema time, so a write never adds a node the graph's counts see.
MAKE_STRIPES: LiteralString = (
    "UNWIND $codes AS code MERGE (g:ServiceMeta {code: code}) "
    "ON CREATE SET g.gate = true"
)

# Is the snapshot's hold still there? (The server ends a transaction past its timeout.)
STILL_HELD: LiteralString = "RETURN 1 AS held"

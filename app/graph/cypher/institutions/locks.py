"""Named locks kept in the graph (``ServiceLock`` nodes), so they hold across API workers and
CLI commands on both backends: taking one is one conditional statement (FalkorDB runs write
statements one at a time; Neo4j's ``MERGE`` on the unique ``code`` locks the node until
the statement commits, so the second taker sees the first one's token). A lock carries an
expiry, so one left by a crashed holder frees itself; released, the node is deleted."""

from __future__ import annotations

from typing import LiteralString

ACQUIRE: LiteralString = (
    "MERGE (l:ServiceLock {code: $name}) "
    "WITH l WHERE l.token IS NULL OR l.until < $now "
    "SET l.token = $token, l.until = $until, l.holder = $holder "
    "RETURN l.token AS token"
)

RELEASE: LiteralString = (
    "MATCH (l:ServiceLock {code: $name}) WHERE l.token = $token DELETE l"
)

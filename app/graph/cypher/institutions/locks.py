"""Named locks kept in the graph (``ServiceLock`` nodes), so they hold across API workers and
CLI commands on both backends: taking one is one conditional statement (FalkorDB runs write
statements one at a time; Neo4j's ``MERGE`` on the unique ``code`` locks the node until
the statement commits, so the second taker sees the first one's token).

A lock names its holder (host, process id and the process's start token) and carries a
lease (``until``) that the holder renews while it works: a lock whose holder died frees
itself when the lease ends, and sooner when a start or a store restart on the holder's host
sees that the holder is gone (``HELD`` then ``CLEAR``). Released, the node is deleted."""

from __future__ import annotations

from typing import LiteralString

ACQUIRE: LiteralString = (
    "MERGE (l:ServiceLock {code: $name}) "
    "WITH l WHERE l.token IS NULL OR l.until < $now "
    "SET l.token = $token, l.until = $until, l.holder = $holder, l.host = $host, "
    "l.pid = $pid, l.started = $started, l.since = $now "
    "RETURN l.token AS token"
)

RENEW: LiteralString = (
    "MATCH (l:ServiceLock {code: $name}) WHERE l.token = $token "
    "SET l.until = $until RETURN l.token AS token"
)

RELEASE: LiteralString = (
    "MATCH (l:ServiceLock {code: $name}) WHERE l.token = $token DELETE l"
)

HOLDER: LiteralString = (
    "MATCH (l:ServiceLock {code: $name}) RETURN l.token AS token, l.until AS until"
)

HELD: LiteralString = (
    "MATCH (l:ServiceLock) "
    "RETURN l.code AS name, l.token AS token, l.host AS host, l.pid AS pid, "
    "l.started AS started, l.until AS until"
)

CLEAR: LiteralString = (
    "UNWIND $locks AS gone "
    "MATCH (l:ServiceLock {code: gone.name}) WHERE l.token = gone.token "
    "DELETE l RETURN count(*) AS cleared"
)

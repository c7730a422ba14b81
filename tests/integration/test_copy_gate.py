"""The copy gate on the embedded store (app/graph/copy_gate.py): a release's copy of the graph
while writes run must never hang the server. The FalkorDB build we ship hangs for good when
a write commits during ``GRAPH.COPY``; before the gate, a writer beside repeated copies hung it
within five copies. Each test runs its own server, so one that hangs takes no other test down."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.graph.copy_gate import CopyGate
from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
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


def test_copies_taken_while_a_writer_writes_leave_the_store_answering(
        server: EmbeddedFalkorDB) -> None:
    store, writer = _store(server), _store(server)
    store.write(COUNTER)
    store.write("UNWIND range(1, 20000) AS i CREATE (:Filler {i: i, text: 'the graph a copy "
                "takes a while to copy'})")
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

    def copy_many() -> None:
        for _ in range(40):
            before = written["n"]
            with store.snapshot() as view:
                first = view.read(COUNT)[0]["n"]
                while written["n"] == before and not failures:  # a write lands meanwhile
                    time.sleep(0.001)
                assert view.read(COUNT)[0]["n"] == first, "the copy changed under its reader"
            seen.append(first)

    thread = threading.Thread(target=write_until_stopped)
    copier = threading.Thread(target=copy_many)
    thread.start()
    copier.start()
    copier.join(timeout=60)
    stop.set()
    thread.join(timeout=30)
    assert not copier.is_alive(), f"the store stopped answering after {len(seen)} copies"
    assert not failures, f"a write beside the copies failed: {failures!r}"
    assert len(seen) == 40 and seen == sorted(seen) and seen[0] < seen[-1]
    assert store.ping()
    assert store.read(COUNT)[0]["n"] == written["n"] + 1


def test_a_write_waits_for_a_copy_then_lands_and_is_refused_past_its_timeout(
        server: EmbeddedFalkorDB) -> None:
    store, patient, hasty = _store(server), _store(server, 5.0), _store(server, 0.3)
    store.write(COUNTER)
    gate = CopyGate(store._db.connection, "g", store.address)  # pyright: ignore[reportPrivateUsage]
    landed: list[float] = []
    with gate.closed(wait=1, hold=5):
        began = time.monotonic()
        waiting = threading.Thread(target=lambda: (patient.write(COUNTER),
                                                   landed.append(time.monotonic())))
        waiting.start()
        with pytest.raises(StoreUnavailable, match="held this write off"):
            hasty.write(COUNTER)
        time.sleep(0.2)
        assert not landed and store.read(COUNT)[0]["n"] == 1, "a write went through the gate"
        opened = time.monotonic()
    waiting.join(timeout=5)
    assert landed and landed[0] >= opened > began
    assert store.read(COUNT)[0]["n"] == 2


def test_a_copy_waits_for_writes_in_flight_and_a_writer_that_died_holds_it_off_only_briefly(
        server: EmbeddedFalkorDB) -> None:
    store = _store(server)
    gate = CopyGate(store._db.connection, "g", store.address,  # pyright: ignore[reportPrivateUsage]
                    write_hold=1.0)
    with pytest.raises(StoreUnavailable), gate.writing(wait=1):
        raise StoreUnavailable("the writer's store went silent mid-write")
    # its entry stays (the server may still run the statement) until write_hold lapses
    with pytest.raises(StoreUnavailable, match="writes still in flight"), gate.closed(
            wait=0.3, hold=5):
        pass
    store.write(COUNTER)  # the failed copy opened the gate again: nothing was copied
    began = time.monotonic()
    with gate.closed(wait=5, hold=5):
        waited = time.monotonic() - began
    assert 0.3 < waited < 2.0


def test_a_copier_that_dies_mid_copy_holds_writes_off_only_until_its_gate_lapses(
        server: EmbeddedFalkorDB) -> None:
    store, writer = _store(server), _store(server, 0.3)
    gate = CopyGate(store._db.connection, "g", store.address)  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(StoreUnavailable), gate.closed(wait=0.5, hold=0.5):
        raise StoreUnavailable("the copy's answer never came")
    with pytest.raises(StoreUnavailable, match="held this write off"):
        writer.write(COUNTER)  # the server may still be copying: the gate stays closed
    time.sleep(1.0)
    writer.write(COUNTER)
    assert store.read(COUNT)[0]["n"] == 1

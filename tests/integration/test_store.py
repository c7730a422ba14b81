"""Store-level behaviour both backends must share."""

from __future__ import annotations

import threading
import time

import pytest

from app.domain.vocab import NodeLabel
from app.graph.cypher.operations.seed import merge_nodes
from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import ConstraintViolation, GraphStore, StoreUnavailable
from tests.conftest import neo4j_store_of
from tests.support.neo4j_server import Neo4jServer

COUNT_FRAMEWORKS = "MATCH (n:Framework) RETURN count(n) AS total"


def _framework(code: str) -> dict:
    return {"code": code, "name": f"framework {code}", "status": "illustrative",
            "source_document": "test"}


def test_schema_can_be_applied_twice(store: GraphStore) -> None:
    store.apply_schema()
    assert store.apply_schema() == []  # `cqf db migrate` then says "nothing to do"
    store.write_rows(merge_nodes(NodeLabel.FRAMEWORK), [_framework("A")])
    assert store.read(COUNT_FRAMEWORKS)[0]["total"] == 1


def test_code_is_unique_per_label(store: GraphStore) -> None:
    store.write("CREATE (:Framework {code: 'DUP'})")
    with pytest.raises(ConstraintViolation):
        store.write("CREATE (:Framework {code: 'DUP'})")
    assert store.read(COUNT_FRAMEWORKS)[0]["total"] == 1


def test_a_batch_with_one_duplicate_writes_none_of_its_rows(store: GraphStore) -> None:
    store.write("CREATE (:Framework {code: 'TAKEN'})")
    rows = [{"code": "NEW-1"}, {"code": "TAKEN"}, {"code": "NEW-2"}]
    with pytest.raises(ConstraintViolation):
        store.write_rows("UNWIND $rows AS row CREATE (:Framework {code: row.code})", rows)
    assert store.read(COUNT_FRAMEWORKS)[0]["total"] == 1


def test_values_are_parameters_not_cypher(store: GraphStore) -> None:
    hostile = "x'}) DETACH DELETE n //"
    store.write_rows(merge_nodes(NodeLabel.FRAMEWORK), [_framework("SAFE"), _framework(hostile)])
    codes = {r["code"] for r in store.read("MATCH (n:Framework) RETURN n.code AS code")}
    assert codes == {"SAFE", hostile}


def test_rows_come_back_as_plain_values(store: GraphStore) -> None:
    store.write_rows(merge_nodes(NodeLabel.FRAMEWORK),
                     [{**_framework("P"), "tags": ["a", "b"], "year": 2019, "ok": True}])
    row = store.read("MATCH (n:Framework {code: 'P'}) RETURN properties(n) AS node")[0]["node"]
    assert row["tags"] == ["a", "b"] and row["year"] == 2019 and row["ok"] is True


def test_a_snapshot_keeps_one_state_while_a_write_runs_beside_it(store: GraphStore) -> None:
    """Reads of one snapshot agree though a write is sent between them; the write lands
    (at once on FalkorDB, whose snapshot is a copy; on Neo4j when the snapshot ends)."""
    store.write("CREATE (:Framework {code: 'BEFORE'})")
    landed = threading.Event()

    def write_beside() -> None:
        store.write("CREATE (:Framework {code: 'BESIDE'})")
        landed.set()

    writer = threading.Thread(target=write_beside)
    with store.snapshot() as view:
        first = view.read(COUNT_FRAMEWORKS)
        writer.start()
        landed.wait(1.0)
        assert view.read(COUNT_FRAMEWORKS) == first == [{"total": 1}]
    writer.join(timeout=10)
    assert landed.is_set() and store.read(COUNT_FRAMEWORKS) == [{"total": 2}]


def test_a_write_refused_while_a_neo4j_snapshot_holds_it_off_is_never_written(
        neo4j_server: Neo4jServer) -> None:
    """A write that waits on a snapshot past the store timeout is refused, and stays
    unwritten though the snapshot ends right after (its caller was told it failed)."""
    store = neo4j_store_of(neo4j_server, timeout=1.0)
    count = "MATCH (f:Framework {code: 'HELD-OFF'}) RETURN count(f) AS n"
    try:
        store.write("MATCH (f:Framework {code: 'HELD-OFF'}) DELETE f")
        with store.snapshot():
            with pytest.raises(StoreUnavailable):
                store.write("CREATE (:Framework {code: 'HELD-OFF'})")
        time.sleep(3)  # a worker still waiting would have taken the freed gate by now
        assert store.read(count) == [{"n": 0}]
        store.write("CREATE (:Framework {code: 'HELD-OFF'})")  # the gate is open again
        assert store.read(count) == [{"n": 1}]
    finally:
        store.write("MATCH (f:Framework {code: 'HELD-OFF'}) DELETE f")
        store.close()


def test_a_neo4j_snapshot_held_past_its_limit_fails_instead_of_mixing_states(
        neo4j_server: Neo4jServer) -> None:
    """The server ends a hold kept past ``snapshot_limit`` (writes go on then), so the
    snapshot's work is refused at its end: its reads may mix graph states."""
    from app.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(neo4j_server.uri, neo4j_server.user, neo4j_server.password, "neo4j",
                       timeout=5.0, liveness=5.0, snapshot_limit=1.0)
    try:
        with pytest.raises(StoreUnavailable, match="held writes off"), store.snapshot() as view:
            view.read(COUNT_FRAMEWORKS)
            time.sleep(4)  # the server checks transaction timeouts every 2 s or so
        store.write("MATCH (f:Framework {code: 'AFTER-HOLD'}) DELETE f")  # writes go on
    finally:
        store.close()


def test_closing_a_neo4j_store_while_a_thread_keeps_reading_stops_that_thread_cleanly(
        neo4j_server: Neo4jServer) -> None:
    """A thread reading statement after statement (the export's read-ahead, a warm-up) when
    the store closes: its next statement is refused, and the driver's goodbye never meets a
    connection that thread is still writing (the BufferError seen at a test's teardown)."""
    for _ in range(20):
        store = neo4j_store_of(neo4j_server)
        ended: list[BaseException] = []
        first = threading.Event()

        def keep_reading(store: GraphStore = store, ended: list[BaseException] = ended,
                         first: threading.Event = first) -> None:
            try:
                while True:
                    store.read("UNWIND range(1, $n) AS i RETURN i", {"n": 500})
                    first.set()
            except BaseException as exc:  # noqa: BLE001 - what stopped it is the answer
                ended.append(exc)

        readers = [threading.Thread(target=keep_reading) for _ in range(4)]
        for reader in readers:
            reader.start()
        assert first.wait(10)
        store.close()  # raises should the goodbye meet a connection in use
        for reader in readers:
            reader.join(timeout=10)
            assert not reader.is_alive()
        assert len(ended) == 4, ended
        assert all(isinstance(e, StoreUnavailable) for e in ended), ended


def test_data_survives_a_restart_of_the_embedded_store(tmp_path) -> None:
    server = EmbeddedFalkorDB(tmp_path / "db")
    store = FalkorDBStore("127.0.0.1", server.start(), "durable",
                          password=server.password)
    store.apply_schema()
    store.write_rows(merge_nodes(NodeLabel.FRAMEWORK), [_framework(f"F{i}") for i in range(50)])
    store.close()
    server.stop()
    assert not (tmp_path / "db" / "falkordb.pid").exists()

    restarted = EmbeddedFalkorDB(tmp_path / "db")
    store = FalkorDBStore("127.0.0.1", restarted.start(), "durable",
                          password=restarted.password)
    try:
        assert store.read(COUNT_FRAMEWORKS)[0]["total"] == 50
        with pytest.raises(ConstraintViolation):  # the constraint survived too
            store.write("CREATE (:Framework {code: 'F1'})")
    finally:
        store.close()
        restarted.stop()


def test_acknowledged_writes_survive_a_crash(tmp_path) -> None:
    server = EmbeddedFalkorDB(tmp_path / "db")
    store = FalkorDBStore("127.0.0.1", server.start(), "crash",
                          password=server.password)
    store.write_rows(merge_nodes(NodeLabel.FRAMEWORK), [_framework(f"C{i}") for i in range(200)])
    server.kill()  # SIGKILL: no shutdown, no flush beyond fsync-always
    store.close()

    restarted = EmbeddedFalkorDB(tmp_path / "db")  # finds and clears the stale pid file
    store = FalkorDBStore("127.0.0.1", restarted.start(), "crash",
                          password=restarted.password)
    try:
        assert store.read(COUNT_FRAMEWORKS)[0]["total"] == 200
    finally:
        store.close()
        restarted.stop()

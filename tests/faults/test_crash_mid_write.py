"""SIGKILL the embedded store in the middle of a large bulk write: after a restart the batch
is wholly present or wholly absent, and everything acknowledged before it is intact."""

from __future__ import annotations

import threading
import time

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import StoreUnavailable

BATCH = 50_000
WRITE_BATCH = "UNWIND $rows AS r CREATE (:FaultBatch {code: r.code, batch: r.batch, note: r.note})"
COUNT_BATCH = "MATCH (n:FaultBatch {batch: $batch}) RETURN count(n) AS n"
ACKED = "UNWIND range(1, 1000) AS i CREATE (:FaultAcked {code: 'A' + toString(i)})"
COUNT_ACKED = "MATCH (n:FaultAcked) RETURN count(n) AS n"


def _rows(batch: int) -> list[dict]:
    return [{"code": f"B{batch}-{i:06d}", "batch": batch, "note": "row of a large upload"}
            for i in range(BATCH)]


def _write_then_kill(server: EmbeddedFalkorDB, store: FalkorDBStore, batch: int,
                     delay: float) -> bool:
    """Start the batch, SIGKILL the server after ``delay`` s; True if the write was acked."""
    outcome: dict[str, bool] = {}

    def write() -> None:
        try:
            store.write_rows(WRITE_BATCH, _rows(batch))
            outcome["acked"] = True
        except StoreUnavailable:
            outcome["acked"] = False

    writer = threading.Thread(target=write)
    writer.start()
    time.sleep(delay)
    server.kill()
    writer.join(timeout=30)
    return outcome["acked"]


def test_sigkill_during_a_50k_row_unwind_leaves_all_or_nothing(
        own_server: EmbeddedFalkorDB) -> None:
    port = own_server.port
    assert port is not None
    store = FalkorDBStore.from_url(own_server.url, "crash", timeout=30)
    store.write(ACKED)
    unacknowledged = 0
    for batch, delay in enumerate((0.05, 0.15, 0.3)):
        acked = _write_then_kill(own_server, store, batch, delay)
        unacknowledged += not acked
        own_server.start(port=port)
        present = store.read(COUNT_BATCH, {"batch": batch})[0]["n"]
        assert present in (0, BATCH), f"batch {batch}: {present} of {BATCH} rows survived"
        if acked:
            assert present == BATCH  # acknowledged means durable (fsync on every write)
        assert store.read(COUNT_ACKED)[0]["n"] == 1000
    assert unacknowledged >= 1, "no kill landed before the write was acknowledged"
    store.close()

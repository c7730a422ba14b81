"""The store goes away: readiness turns 503, API calls answer 503 problem+json within the
configured timeout (killed or hung server alike), and the service recovers by itself when
the store comes back on the same address: the client reconnects, nothing is lost."""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.services.institutions import locks
from app.settings import Settings
from tests.conftest import neo4j_store_of
from tests.e2e.test_i18n_problems import english_in
from tests.support.neo4j_server import STATE_VARIABLE

TIMEOUT = 1.0  # CQF_STORE_TIMEOUT_SECONDS for these tests
SLACK = 1.5  # scheduling headroom on a loaded 2-core CI machine
MARKER = "CREATE (:Framework {code: 'FAULT-MARKER', name: 'acknowledged before the outage'})"


def _client(store: GraphStore) -> TestClient:
    settings = Settings(store_timeout_seconds=TIMEOUT)
    return TestClient(create_app(settings, runtime=Runtime(store, schema_applied=True)),
                      raise_server_exceptions=False)


@pytest.fixture
def outage_api(own_server: EmbeddedFalkorDB) -> Iterator[TestClient]:
    assert own_server.port is not None
    store = FalkorDBStore.from_url(own_server.url, "outage", TIMEOUT)
    store.apply_schema()
    store.write(MARKER)
    with _client(store) as client:
        yield client
    store.close()


def _timed_get(client: TestClient, path: str) -> tuple[int, str, float, dict]:
    started = time.monotonic()
    response = client.get(path)
    return (response.status_code, response.headers.get("content-type", ""),
            time.monotonic() - started, response.json())


def _assert_unavailable(client: TestClient, path: str = "/api/v1/frameworks/FAULT-MARKER"
                        ) -> None:
    status, _, elapsed, body = _timed_get(client, "/health/ready")
    assert status == 503 and body["checks"]["store_reachable"] is False
    assert elapsed < TIMEOUT + SLACK
    status, media, elapsed, body = _timed_get(client, path)
    assert status == 503 and media.startswith("application/problem+json")
    assert body["type"].endswith("/store-unavailable")
    assert elapsed < TIMEOUT + SLACK
    french = client.get(path, headers={"Accept-Language": "fr"})
    assert french.status_code == 503 and french.headers["content-language"] == "fr"
    assert english_in(body) and not english_in(french.json())  # said in each language


def _assert_kept_answer_given(client: TestClient) -> None:
    """The look-up asked before the outage: its kept answer, marked possibly stale."""
    started = time.monotonic()
    answer = client.get("/api/v1/frameworks/FAULT-MARKER")
    assert time.monotonic() - started < TIMEOUT + SLACK
    assert answer.status_code == 200 and answer.json()["code"] == "FAULT-MARKER"
    assert answer.headers["warning"].startswith("110 ") and int(answer.headers["age"]) >= 0


def _assert_recovered(client: TestClient) -> None:
    deadline = time.monotonic() + 10
    while client.get("/health/ready").status_code != 200 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert client.get("/health/ready").status_code == 200
    answer = client.get("/api/v1/frameworks/FAULT-MARKER")
    assert answer.status_code == 200, answer.text
    assert answer.json()["code"] == "FAULT-MARKER"
    assert "warning" not in answer.headers  # a fresh answer, not the kept one


def test_killed_store_gives_503_quickly_and_the_service_recovers_on_restart(
        own_server: EmbeddedFalkorDB, outage_api: TestClient) -> None:
    assert outage_api.get("/health/ready").status_code == 200
    port = own_server.port
    own_server.kill()
    _assert_unavailable(outage_api)
    own_server.start(port=port)  # same port, same data directory
    _assert_recovered(outage_api)


def test_hung_store_gives_503_within_the_timeout_and_recovers(
        own_server: EmbeddedFalkorDB, outage_api: TestClient) -> None:
    assert outage_api.get("/api/v1/frameworks/FAULT-MARKER").status_code == 200
    record = own_server.running()
    assert record is not None
    os.kill(record.pid, signal.SIGSTOP)  # accepts connections, answers nothing
    try:
        _assert_unavailable(outage_api, "/api/v1/frameworks")  # not kept: needs the store
        _assert_kept_answer_given(outage_api)  # kept before the outage: still given
    finally:
        os.kill(record.pid, signal.SIGCONT)
    _assert_recovered(outage_api)


@pytest.mark.neo4j  # freezes the session's Neo4j (asked for in the body): on its worker
def test_frozen_neo4j_gives_503_and_recovers(request: pytest.FixtureRequest) -> None:
    """Neo4j frozen (SIGSTOP of the server, or ``docker pause``): the port accepts connections
    and nothing answers. The same contract as the embedded store."""
    server = request.getfixturevalue("neo4j_server")  # skips, printing why, without a server
    if not server.can_freeze():
        pytest.fail(f"the Neo4j server cannot be frozen: set {STATE_VARIABLE} to its state "
                    "directory (start.sh's), or run the tests with Docker")
    setup = neo4j_store_of(server)  # a cold server may plan its first statements slowly
    setup.write("MERGE (:Framework {code: 'FAULT-MARKER', name: 'acknowledged'})")
    with _client(setup) as patient:  # the server plans the statements once, unhurried
        assert patient.get("/api/v1/frameworks/FAULT-MARKER").status_code == 200
    store = neo4j_store_of(server, TIMEOUT, Settings().store_liveness_seconds)
    with _client(store) as client:
        with server.frozen():
            status, media, elapsed, _ = _timed_get(client, "/api/v1/frameworks/FAULT-MARKER")
            assert status == 503 and media.startswith("application/problem+json")
            assert elapsed < 1.5  # the client's deadline, not the server's 120 s hint
            assert client.get("/health/ready").status_code == 503
        _assert_recovered(client)
    store.close()
    setup.write("MATCH (f:Framework {code: 'FAULT-MARKER'}) DETACH DELETE f")
    setup.close()


def test_a_lock_whose_release_met_the_store_down_is_freed_once_it_is_back(
        tmp_path: Path) -> None:
    """A write that held an institution's lock when the store was killed: its release fails,
    the restarted store still has the lock (the log is durable), and its holder lives on (no
    start clears it). It frees the lock once the store answers, not after its 30 s lease:
    before, every write of that institution was refused (409) for half a minute."""
    server = EmbeddedFalkorDB(tmp_path / "store")
    server.start()
    try:
        holder = FalkorDBStore.from_url(server.url, "g", 1.0)
        with locks.held(holder, "mappings:KILLED", "busy"):
            assert server.process is not None
            server.process.kill()
            server.process.wait(10)
        server.restart()
        began = time.monotonic()
        with locks.held(FalkorDBStore.from_url(server.url, "g", 5.0), "mappings:KILLED", "busy",
                        wait=locks.LEASE_SECONDS):
            taken = time.monotonic() - began
        assert taken < 3, f"the lock was free only after {taken:.1f} s"
    finally:
        server.stop()

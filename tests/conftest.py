"""Shared fixtures: a real embedded FalkorDB per test session, and a real Neo4j 5: the server
named by ``CQF_TEST_NEO4J_URI`` (CI starts one), else a testcontainer where a Docker engine
exists, else the Neo4j tests skip with the reason printed (tests/support/neo4j_server.py)."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from hypothesis import settings as hypothesis_settings

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import GraphStore
from app.main import create_app
from app.paths import SEED_DATA_DIR
from app.runtime import Runtime
from app.seed.loader import seed
from app.settings import Settings
from tests.support.neo4j_server import (
    Neo4jServer,
    container_server,
    docker_reason,
    external_server,
)

# Property tests check what holds, not how fast: a per-example deadline only turns a busy CI
# core into a false failure (seen when the whole suite ran beside other work).
hypothesis_settings.register_profile("cqf", deadline=None)
hypothesis_settings.load_profile("cqf")

BACKENDS = ["falkordb", "neo4j"]
_NEO4J_FIXTURES = {"neo4j_server", "seeded_neo4j"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that talk to the session's Neo4j share its one database (Community edition), so
    they run in a pytest process of their own, one after another (``scripts/test.sh`` runs the
    others on several workers): marked ``neo4j`` by the fixtures or backend they ask for (or by
    hand, for a module that opens Neo4j itself). The ``xdist_group`` mark is kept for a run
    with ``--dist loadgroup``, which honours it again once pytest-xdist reads pytest 9's ids."""
    for item in items:
        params = getattr(item, "callspec", None)
        asks_neo4j = (_NEO4J_FIXTURES & set(getattr(item, "fixturenames", ()))
                      or (params is not None and "neo4j" in params.params.values()))
        if asks_neo4j:
            item.add_marker(pytest.mark.neo4j)
        if item.get_closest_marker("neo4j"):
            item.add_marker(pytest.mark.xdist_group("neo4j"))
        if "faults" in item.path.parts:
            item.add_marker(pytest.mark.alone)
_graph_names = itertools.count()
_neo4j_seeded = {"yes": False}
_templates: set[tuple[str, str]] = set()  # (server URL, template graph) built this session


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedFalkorDB]:
    server = EmbeddedFalkorDB(tmp_path_factory.mktemp("falkordb"), durable=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """The Neo4j 5 server of this session: external (``CQF_TEST_NEO4J_URI``, what CI starts from
    ``../shared/neo4j``), else a testcontainer, else skip with the reason printed."""
    server = None if os.environ.get("CQF_SKIP_NEO4J") else external_server()
    if server is not None:
        yield server
        return
    reason = "CQF_SKIP_NEO4J is set" if os.environ.get("CQF_SKIP_NEO4J") else docker_reason()
    if reason:
        if os.environ.get("CQF_TEST_REQUIRE_NEO4J"):  # CI: a Neo4j test that skips is a failure
            pytest.fail(f"CQF_TEST_REQUIRE_NEO4J is set but {reason}")
        print(f"\nSKIP Neo4j tests: {reason}")
        pytest.skip(reason)
    with container_server() as server:
        yield server


def neo4j_store_of(server: Neo4jServer, timeout: float = 5.0,
                   liveness: float | None = None) -> GraphStore:
    """A store over ``server``; without ``liveness``, one that waits up to ``timeout`` before it
    calls a silent server gone (the shared CI machine's Neo4j pauses under load while the
    tests seed it); the outage tests pass the service's default."""
    from app.graph.neo4j_store import Neo4jStore

    return Neo4jStore(server.uri, server.user, server.password, "neo4j", timeout,
                      liveness if liveness is not None else timeout)


def fresh_store(request: pytest.FixtureRequest, backend: str,
                seeded: bool = False) -> GraphStore:
    """An empty graph with the schema applied (or, on the embedded store only, the seed graph),
    on the asked-for backend."""
    if backend == "falkordb":
        server = request.getfixturevalue("falkordb_server")
        name = f"t{next(_graph_names)}"
        admin = redis.Redis.from_url(server.url, socket_timeout=60)
        try:
            admin.execute_command("GRAPH.COPY", _template(server, admin, seeded), name)
        finally:
            admin.close()
        request.addfinalizer(lambda: _drop_graph(server, name))
        return FalkorDBStore.from_url(server.url, name)
    assert not seeded, "the Neo4j tests share one database: use seeded_store / seeded_neo4j"
    store = neo4j_store_of(request.getfixturevalue("neo4j_server"))
    store.write("MATCH (n) DETACH DELETE n")
    _neo4j_seeded["yes"] = False
    store.apply_schema()
    return store


def _template(server: EmbeddedFalkorDB, admin: redis.Redis, seeded: bool) -> str:
    """The graph a test's own graph is copied from (``GRAPH.COPY``: data, indexes and
    constraints), built once per server: the schema alone, or the schema and the seed graph.
    Copying takes a fraction of what migrating and seeding every test's graph took (the seed
    alone is about two seconds), and gives each test the same graph. The command hangs the
    server when a write commits during it or another fork runs (see
    app/graph/falkordb_write_gate.py): nothing writes to a template, and the session's server
    forks for nothing else."""
    name = "template-seeded" if seeded else "template-empty"
    if (server.url, name) not in _templates:
        template = FalkorDBStore.from_url(server.url, name)
        template.apply_schema()
        if seeded:
            seed(template, SEED_DATA_DIR)
        template.close()
        _templates.add((server.url, name))
    return name


def _drop_graph(server: EmbeddedFalkorDB, name: str) -> None:
    """The session's server keeps only the graphs of running tests: a thousand tests' graphs
    left behind made it slow to answer on CI's machine."""
    admin = redis.Redis.from_url(server.url, socket_timeout=30)
    try:
        admin.execute_command("GRAPH.DELETE", name)
    except redis.ResponseError:
        pass  # never written: the graph does not exist
    finally:
        admin.close()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """An empty, migrated graph on each backend in turn."""
    graph = fresh_store(request, request.param)
    yield graph
    graph.close()


@pytest.fixture(scope="session")
def seeded_falkordb(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The seed graph on the embedded store, loaded once; tests must not write to it."""
    graph = fresh_store(request, "falkordb")
    seed(graph, SEED_DATA_DIR)
    yield graph
    graph.close()


def _seeded_neo4j_graph(request: pytest.FixtureRequest) -> GraphStore:
    """A store over the Neo4j container holding exactly the seed graph: re-seeded whenever an
    empty-store test cleared the container's one database since the last seeding."""
    graph = neo4j_store_of(request.getfixturevalue("neo4j_server"))
    if not _neo4j_seeded["yes"]:
        graph.write("MATCH (n) DETACH DELETE n")
        graph.apply_schema()
        seed(graph, SEED_DATA_DIR)
        _neo4j_seeded["yes"] = True
    return graph


@pytest.fixture(params=BACKENDS)
def seeded_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The seed graph on each backend. Neo4j has one database per container, shared with the
    empty-store tests, so it is re-seeded whenever one of those cleared it."""
    if request.param == "falkordb":
        yield request.getfixturevalue("seeded_falkordb")
        return
    graph = _seeded_neo4j_graph(request)
    yield graph
    graph.close()


@pytest.fixture
def seeded_neo4j(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The seed graph on Neo4j (skipped, with the reason printed, without Docker)."""
    graph = _seeded_neo4j_graph(request)
    yield graph
    graph.close()


def client_for(store: GraphStore) -> TestClient:
    """A client of the app over ``store``, without rate limits: every test client of the session
    talks from the same address to the same embedded server, whose Redis holds the limits, so
    they would share one bucket and throttle each other. Rate limits have their own tests
    (tests/e2e/test_security.py, test_shared_rate_limits.py, ...) with their own settings."""
    runtime = Runtime(store, schema_applied=True)
    return TestClient(create_app(Settings(rate_limit_enabled=False), runtime=runtime),
                      raise_server_exceptions=False)


@pytest.fixture(scope="session")
def api(seeded_falkordb: GraphStore) -> Iterator[TestClient]:
    """HTTP client over the seeded embedded store."""
    with client_for(seeded_falkordb) as client:
        yield client


@pytest.fixture
def writable_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """A seeded embedded FalkorDB graph of this test's own, which it may write to."""
    graph = fresh_store(request, "falkordb", seeded=True)
    yield graph
    graph.close()


@pytest.fixture
def writable_api(writable_store: GraphStore) -> Iterator[TestClient]:
    """HTTP client over ``writable_store``."""
    with client_for(writable_store) as client:
        yield client


@pytest.fixture
def key_for(writable_store: GraphStore):  # type: ignore[no-untyped-def]
    """``key_for(role)`` -> request headers carrying a fresh API key with that role."""
    from app.services.access.keys import create_key

    def make(role: str) -> dict[str, str]:
        return {"X-API-Key": create_key(writable_store, role)["key"]}

    return make

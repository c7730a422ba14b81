"""Scaling out: two ``cqf serve`` processes over one Neo4j, as behind a load balancer.

One process reaches Neo4j through a ``bolt://`` URI, the other through a ``neo4j://`` routing
URI (a single server answers routing too, so the URI a cluster or Aura needs works here). A
write through one is seen at once through the process that wrote it and within
``CQF_MAPPING_CACHE_SECONDS`` through the other; the rate limits are one budget shared through
``CQF_RATE_LIMIT_STORAGE_URL`` (the embedded store's Redis stands in for a Redis); two uploads
of one institution, one through each process, never mix (the lock lives in the graph). The
seconds until the other process sees a write are printed (``-s``) for docs/operations.md.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.identity import course_key
from app.graph.embedded import EmbeddedFalkorDB, free_loopback_port
from app.graph.port import GraphStore
from app.services.access.keys import create_key
from tests import conftest
from tests.support.neo4j_server import Neo4jServer

pytestmark = pytest.mark.alone  # asserts a write is seen within seconds: not beside other load

REFRESH_SECONDS = 2  # CQF_MAPPING_CACHE_SECONDS of both processes
# The other process sees a write once its graph-state check is older than REFRESH_SECONDS:
# the request that sees it may start up to one poll later and take its own time.
SEEN_WITHIN = REFRESH_SECONDS + 1.5
QUERIES_PER_MINUTE = 4  # with a burst of 4: four query-class requests a minute in all
LEVEL = "/api/v1/levels/HK-HKQF/2"
BULK = "/api/v1/institutions/EXU/mappings:bulk"
HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


@dataclass
class Service:
    """One ``cqf serve`` process and the Neo4j URI it was given."""

    port: int
    uri: str
    process: subprocess.Popen[bytes]

    def call(self, method: str, path: str, body: bytes | dict | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            data = json.dumps(body).encode() if isinstance(body, dict) else body
            conn.request(method, path, body=data,
                         headers={"Content-Type": "application/json", **(headers or {})})
            response = conn.getresponse()
            raw = response.read()
            media = response.headers.get("content-type", "")
            answer = json.loads(raw) if raw and "json" in media else {}
            return response.status, answer, {k.lower(): v for k, v in response.headers.items()}
        finally:
            conn.close()


def _start(uri: str, server: Neo4jServer, redis_url: str, data_dir: Path) -> Service:
    port = free_loopback_port()
    env = {**os.environ, "CQF_BACKEND": "neo4j", "CQF_NEO4J_URI": uri,
           "CQF_NEO4J_USER": server.user, "CQF_NEO4J_PASSWORD": server.password,
           "CQF_DATA_DIR": str(data_dir), "CQF_PORT": str(port), "CQF_SEED_ON_START": "false",
           "CQF_MAPPING_CACHE_SECONDS": str(REFRESH_SECONDS), "CQF_LOG_LEVEL": "WARNING",
           "CQF_RATE_LIMIT_STORAGE_URL": redis_url,
           "CQF_RATE_LIMIT_QUERIES_PER_MINUTE": str(QUERIES_PER_MINUTE),
           "CQF_RATE_LIMIT_BURST": str(QUERIES_PER_MINUTE),
           "CQF_RATE_LIMIT_WRITES_PER_MINUTE": "6000"}
    process = subprocess.Popen([sys.executable, "-c", "from app.cli import main; main()",
                                "serve"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    return Service(port, uri, process)


def _wait_ready(service: Service, deadline: float) -> None:
    while True:
        assert service.process.poll() is None, (
            service.process.stderr.read().decode()[-2000:] if service.process.stderr else "")
        try:
            if service.call("GET", "/health/ready")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, f"cqf serve on {service.uri} did not get ready"
        time.sleep(0.3)


def _stop(service: Service) -> None:
    service.process.terminate()
    try:
        service.process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        service.process.kill()
        service.process.wait()


@pytest.fixture(scope="module")
def graph(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """The seed graph on the session's Neo4j; re-seeded for later tests, since these write."""
    store = conftest._seeded_neo4j_graph(request)
    yield store
    conftest._neo4j_seeded["yes"] = False
    store.close()


@pytest.fixture(scope="module")
def services(graph: GraphStore, neo4j_server: Neo4jServer, falkordb_server: EmbeddedFalkorDB,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Service, Service]]:
    routing = "neo4j://" + neo4j_server.uri.split("://", 1)[1]
    started = [_start(uri, neo4j_server, falkordb_server.url, tmp_path_factory.mktemp("serve"))
               for uri in (neo4j_server.uri, routing)]
    try:
        deadline = time.monotonic() + 90
        for service in started:
            _wait_ready(service, deadline)
        yield started[0], started[1]
    finally:
        for service in started:
            _stop(service)


def _mapping_of(service: Service, mapping_id: str) -> dict | None:
    status, answer, _ = service.call("GET", LEVEL)
    assert status == 200, answer
    return next((m for m in answer["related"]["mappings"] if m["code"] == mapping_id), None)


def _seconds_until(service: Service, mapping_id: str, review_status: str,
                   limit: float = 30.0) -> float:
    began = time.monotonic()
    while time.monotonic() - began < limit:
        found = _mapping_of(service, mapping_id)
        if found is not None and found["attributes"].get("review_status") == review_status:
            return time.monotonic() - began
        time.sleep(0.1)
    raise AssertionError(f"{service.uri} never saw {mapping_id} {review_status}")


def test_a_routing_uri_serves_like_a_direct_one(services: tuple[Service, Service]) -> None:
    direct, routed = services
    assert direct.uri.startswith("bolt://") and routed.uri.startswith("neo4j://")
    answers = [service.call("GET", LEVEL) for service in services]
    assert [status for status, _, _ in answers] == [200, 200]
    assert answers[0][1] == answers[1][1]


def test_a_write_is_seen_at_once_by_its_process_and_soon_by_the_other(
        services: tuple[Service, Service], graph: GraphStore) -> None:
    first, second = services
    admin = {"X-API-Key": create_key(graph, "admin")["key"]}
    for service in services:  # both processes keep the answer before the write
        for _ in range(2):
            assert service.call("GET", LEVEL)[0] == 200

    status, created, _ = first.call("POST", "/api/v1/mappings", {
        "from_level": "HK-HKQF:2", "to_level": "AU-AQF:3", "match_type": "closeMatch",
        "confidence": 0.8, "method": "expert_panel",
        "source": {"document": "scale-out test (illustrative)", "year": 2026}}, admin)
    assert status == 201, created
    mapping_id = created["id"]
    assert _mapping_of(first, mapping_id) is not None  # the writer: at once
    new_edge = _seconds_until(second, mapping_id, "proposed")

    # The other way round, through the routing URI: a write that keeps every count the same.
    status, reviewed, _ = second.call("POST", f"/api/v1/mappings/{mapping_id}/review",
                                      {"decision": "accept"}, admin)
    assert status == 200, reviewed
    found = _mapping_of(second, mapping_id)
    assert found is not None and found["attributes"]["review_status"] == "accepted"
    review = _seconds_until(first, mapping_id, "accepted")
    print(f"\nSCALE-OUT seen through the other process after {new_edge:.2f} s (new mapping), "
          f"{review:.2f} s (review); CQF_MAPPING_CACHE_SECONDS={REFRESH_SECONDS}")
    assert new_edge < SEEN_WITHIN and review < SEEN_WITHIN


def test_the_rate_limit_is_one_budget_across_processes(
        services: tuple[Service, Service]) -> None:
    first, second = services
    path = "/api/v1/equivalences?from=EQF:6"
    codes = [services[i % 2].call("GET", path)[0] for i in range(QUERIES_PER_MINUTE)]
    assert 429 not in codes, codes
    for service in (first, second):  # the budget is spent, whichever process is asked
        status, problem, headers = service.call("GET", path)
        assert status == 429, problem
        assert headers["content-type"].startswith("application/problem+json")
        assert int(headers["retry-after"]) >= 1


def _file(prefix: str, competencies: list[str]) -> str:
    return HEADER + "".join(
        f"PROG-EXU-MSC,{prefix}-{i:02d},Course {prefix} {i},develops,{code},aware,,\n"
        for i, code in enumerate(competencies))


def _expected(text: str) -> set[tuple[str, str]]:
    cells = [line.split(",") for line in text.splitlines()[1:]]
    return {(course_key("EXU", c[0], c[1]), c[4]) for c in cells}


def test_uploads_through_both_processes_never_mix(services: tuple[Service, Service],
                                                  graph: GraphStore) -> None:
    headers = {"X-API-Key": create_key(graph, "institution:EXU")["key"],
               "Content-Type": "text/csv"}
    codes = [r["code"] for r in graph.read(
        "MATCH (c:Competency) RETURN c.code AS code ORDER BY code LIMIT 30")]
    files = [_file("SCALE-A", codes), _file("SCALE-B", codes[::-1])]
    start = threading.Barrier(2)
    statuses: dict[int, int] = {}

    def upload(n: int) -> None:
        start.wait()
        statuses[n] = services[n].call("POST", BULK, files[n].encode(), headers)[0]

    threads = [threading.Thread(target=upload, args=(n,)) for n in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(statuses.values()) <= {200, 409} and 200 in statuses.values(), statuses
    rows = graph.read("MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) "
                      "WHERE c.institution = 'EXU' RETURN c.code AS c, t.code AS t")
    final = {(r["c"], r["t"]) for r in rows}
    assert final in (_expected(files[0]), _expected(files[1])), (
        f"a mixture: {len(final & _expected(files[0]))} rows of A and "
        f"{len(final & _expected(files[1]))} rows of B")
    assert graph.read("MATCH (l:ServiceLock) RETURN count(l) AS n")[0]["n"] == 0


def test_reads_run_in_read_transactions_a_cluster_can_route(
        graph: GraphStore, neo4j_server: Neo4jServer) -> None:
    """The server itself says so: a write sent through ``read`` (or a snapshot) is refused
    as a write in a read transaction, which is what a cluster routes to its followers."""
    from neo4j.exceptions import ClientError

    from app.graph.neo4j_store import Neo4jStore

    routing = "neo4j://" + neo4j_server.uri.split("://", 1)[1]
    store = Neo4jStore(routing, neo4j_server.user, neo4j_server.password, "neo4j")
    try:
        with pytest.raises(ClientError, match="read access mode"):
            store.read("CREATE (:ScaleOutProbe)")
        with pytest.raises(ClientError, match="read access mode"), store.snapshot() as view:
            view.read("CREATE (:ScaleOutProbe)")
        assert store.read("MATCH (p:ScaleOutProbe) RETURN count(p) AS n") == [{"n": 0}]
        assert store.read("MATCH (l:Level {code: 'HK-HKQF:2'}) RETURN l.code AS code") == [
            {"code": "HK-HKQF:2"}]
    finally:
        store.close()

"""With an external FalkorDB, API workers share their rate limits through the store's Redis
(the `limits` library), so N workers do not mean N times the configured rate."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.graph.embedded import EmbeddedFalkorDB
from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings


def _worker(store: GraphStore, url: str) -> TestClient:
    settings = Settings(backend="falkordb", falkordb_url=url, rate_limit_queries_per_minute=3,
                        rate_limit_burst=3)
    return TestClient(create_app(settings, runtime=Runtime(store, schema_applied=True)),
                      raise_server_exceptions=False)


def test_two_workers_share_one_limit_through_the_store(
        seeded_falkordb: GraphStore, falkordb_server: EmbeddedFalkorDB) -> None:
    url = falkordb_server.url
    params = {"from": "EQF:6"}
    with _worker(seeded_falkordb, url) as first, _worker(seeded_falkordb, url) as second:
        assert first.app.state.rate_limiter.kind == "redis"  # type: ignore[attr-defined]
        codes = [first.get("/api/v1/equivalences", params=params).status_code,
                 second.get("/api/v1/equivalences", params=params).status_code,
                 first.get("/api/v1/equivalences", params=params).status_code]
        assert 429 not in codes
        limited = second.get("/api/v1/equivalences", params=params)
    assert limited.status_code == 429
    assert limited.headers["content-type"].startswith("application/problem+json")
    assert int(limited.headers["retry-after"]) >= 1

"""Security hygiene over HTTP: request ids, security headers, CORS, body limits, rate
limits, keys kept out of logs, and no default secrets in production."""

from __future__ import annotations

import io
import json

import pytest
import structlog
from fastapi.testclient import TestClient
from pydantic import ValidationError

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings


def _client(store: GraphStore, **settings: object) -> TestClient:
    app = create_app(Settings(**settings), runtime=Runtime(store, schema_applied=True))
    return TestClient(app, raise_server_exceptions=False)


def test_every_response_carries_a_request_id_and_echoes_a_given_one(api: TestClient) -> None:
    made = api.get("/api/v1/frameworks").headers["x-request-id"]
    assert len(made) >= 16
    assert api.get("/nope", headers={"X-Request-ID": "abc-123"}).headers["x-request-id"] == \
        "abc-123"
    forged = api.get("/health/live", headers={"X-Request-ID": "bad id\r\nx"})
    assert forged.headers["x-request-id"] != "bad id\r\nx"


def test_security_headers_on_json_and_a_csp_on_html(api: TestClient) -> None:
    json_answer = api.get("/api/v1/frameworks")
    assert json_answer.headers["x-content-type-options"] == "nosniff"
    assert json_answer.headers["referrer-policy"] == "no-referrer"
    html = api.get("/docs")
    assert html.headers["content-type"].startswith("text/html")
    csp = html.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert html.headers["x-frame-options"] == "DENY"


def test_cors_is_closed_by_default_and_opens_only_to_the_allow_list(
        seeded_falkordb: GraphStore) -> None:
    origin = {"Origin": "https://evil.example"}
    with _client(seeded_falkordb) as closed:
        assert "access-control-allow-origin" not in closed.get("/api/v1/frameworks",
                                                               headers=origin).headers
    with _client(seeded_falkordb, cors_origins=["https://hr.example"]) as open_:
        allowed = open_.get("/api/v1/frameworks", headers={"Origin": "https://hr.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://hr.example"
        refused = open_.get("/api/v1/frameworks", headers=origin)
        assert "access-control-allow-origin" not in refused.headers


def test_an_oversized_body_is_refused_with_413_problem_json(api: TestClient) -> None:
    big = b'{"from_profile": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    answer = api.post("/api/v1/portability", content=big,
                      headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"].endswith("/payload-too-large")


def test_a_streamed_body_is_cut_off_at_the_limit(api: TestClient) -> None:
    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(200):
            yield b"x" * 10_000

    answer = api.put("/api/v1/administrations/ADM-Z", content=chunks(),
                     headers={"Content-Type": "application/json"})
    assert answer.status_code == 413
    assert answer.json()["type"].endswith("/payload-too-large")


def test_writes_are_rate_limited_per_key_with_retry_after(writable_store: GraphStore,
                                                          key_for) -> None:  # type: ignore[no-untyped-def]
    headers = key_for("admin")
    with _client(writable_store, rate_limit_writes_per_minute=6, rate_limit_burst=3) as client:
        codes = [client.put("/api/v1/administrations/ADM-RL", headers=headers,
                            json={"name": "Rate", "source_document": "test"}).status_code
                 for _ in range(5)]
        assert codes[:3] == [200, 200, 200]
        assert codes[-1] == 429
        limited = client.put("/api/v1/administrations/ADM-RL", headers=headers,
                             json={"name": "Rate"})
        assert limited.headers["content-type"].startswith("application/problem+json")
        assert int(limited.headers["retry-after"]) >= 1
        assert limited.json()["type"].endswith("/rate-limited")
        assert client.get("/api/v1/frameworks").status_code == 200  # lookups are not limited


def test_expensive_queries_are_rate_limited_per_client_address(
        seeded_falkordb: GraphStore) -> None:
    with _client(seeded_falkordb, rate_limit_queries_per_minute=2, rate_limit_burst=2) as client:
        codes = [client.get("/api/v1/equivalences", params={"from": "EQF:6"}).status_code
                 for _ in range(3)]
    assert codes[-1] == 429 and 429 not in codes[:2]


def test_api_keys_never_reach_the_logs(writable_store: GraphStore, key_for) -> None:  # type: ignore[no-untyped-def]
    key = key_for("admin")["X-API-Key"]
    out = io.StringIO()
    structlog.configure(processors=[structlog.contextvars.merge_contextvars,
                                    structlog.processors.JSONRenderer()],
                        logger_factory=structlog.PrintLoggerFactory(out),
                        cache_logger_on_first_use=False)
    try:
        with _client(writable_store) as client:
            written = client.put("/api/v1/administrations/ADM-LOG", headers={"X-API-Key": key},
                                 json={"name": "Logged", "source_document": "test"})
            assert written.status_code == 200, written.text  # a write that is audited
            client.get("/api/v1/keys", headers={"Authorization": f"Bearer {key}"})
            client.get("/api/v1/frameworks", headers={"X-API-Key": key})
    finally:
        structlog.reset_defaults()
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("event") == "http.request"]
    assert len(access) >= 3 and all(line.get("request_id") for line in access)
    assert key not in out.getvalue()
    secret = key.split("_", 2)[2]  # cqf_<id>_<secret>; the secret itself may hold "_"
    assert secret not in out.getvalue()  # not even the secret part


def test_metrics_are_served_in_prometheus_text_format(api: TestClient) -> None:
    api.get("/api/v1/frameworks/EQF")
    text = api.get("/metrics").text
    assert 'cqf_http_requests_total{method="GET",route="/api/v1/frameworks/{code}"' in text
    assert "cqf_http_request_duration_seconds_bucket" in text
    assert 'cqf_store_query_duration_seconds_count{operation="read"}' in text
    assert "cqf_store_up 1.0" in text


@pytest.mark.parametrize("password", [None, "change-me-please", "neo4j", "password"])
def test_production_refuses_a_default_or_missing_secret(password: str | None) -> None:
    with pytest.raises(ValidationError, match="CQF_NEO4J_PASSWORD"):
        Settings(env="production", backend="neo4j", neo4j_uri="bolt://db:7687",
                 neo4j_password=password)


def test_production_starts_with_a_real_secret_and_development_keeps_its_defaults() -> None:
    real = Settings(env="production", backend="neo4j", neo4j_uri="bolt://db:7687",
                    neo4j_password="a-long-generated-secret-4f8b")
    assert real.env == "production"
    assert Settings(backend="neo4j", neo4j_uri="bolt://db:7687",
                    neo4j_password="neo4j").env == "development"


def test_an_unexpected_failure_is_a_problem_with_the_request_id(seeded_falkordb) -> None:
    app = create_app(Settings(), runtime=Runtime(seeded_falkordb, schema_applied=True))

    @app.get("/test-only/boom")
    def boom() -> None:
        raise RuntimeError("secret internal detail")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/test-only/boom", headers={"X-Request-ID": "req-42"})
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-request-id"] == "req-42"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "secret internal detail" not in response.text

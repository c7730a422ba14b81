"""Lookups, equivalence and portability answers are kept serialised per graph state: a write
through the API is seen at once, one from outside this process once the graph-state token
is read again (the configured refresh time), and one that changes no count within the kept
answers' maximum age."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings

LOOKUP = "/api/v1/competencies/OPS-P06"
REFRESH = 0.2


def _client(store: GraphStore) -> TestClient:
    app = create_app(Settings(mapping_cache_seconds=REFRESH), runtime=Runtime(
        store, schema_applied=True))
    return TestClient(app, raise_server_exceptions=False)


def _name(client: TestClient) -> str:
    response = client.get(LOOKUP)
    assert response.status_code == 200, response.text
    return response.json()["name"]


def test_a_write_from_outside_the_process_is_seen_after_the_refresh_time(
        writable_store: GraphStore) -> None:
    with _client(writable_store) as client:
        before = _name(client)
        assert _name(client) == before  # kept
        writable_store.write("MATCH (c:Competency {code: 'OPS-P06'}) SET c.name = 'Renamed' "
                             "CREATE (:Marker {why: 'a change of counts'})")
        time.sleep(REFRESH * 2)
        assert _name(client) == "Renamed"


def test_a_write_that_keeps_every_count_is_seen_within_the_maximum_age(
        writable_store: GraphStore) -> None:
    with _client(writable_store) as client:
        client.app.state.answer_cache.max_age = 0.3
        _name(client)
        writable_store.write("MATCH (c:Competency {code: 'OPS-P06'}) SET c.name = 'Quietly'")
        time.sleep(0.4)
        assert _name(client) == "Quietly"


def test_kept_answers_are_the_computed_ones(writable_store: GraphStore) -> None:
    """A kept answer is byte for byte what the route computes without keeping any."""
    questions = [("GET", LOOKUP, None), ("GET", "/api/v1/levels/IE-NFQ/8", None),
                 ("GET", "/api/v1/equivalences?from=IE-NFQ:8", None),
                 ("POST", "/api/v1/portability",
                  {"from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 5, "with_training": True})]
    uncached = create_app(Settings(mapping_cache_seconds=0), runtime=Runtime(
        writable_store, schema_applied=True))
    with _client(writable_store) as kept, TestClient(uncached) as fresh:
        for method, path, body in questions:
            first = kept.request(method, path, json=body)
            again = kept.request(method, path, json=body)
            computed = fresh.request(method, path, json=body)
            assert first.status_code == again.status_code == computed.status_code == 200
            assert again.content == first.content == computed.content
        assert len(kept.app.state.answer_cache) == len(questions)

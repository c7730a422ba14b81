"""An answer on Neo4j costs at most two round trips to the server: the graph-state check when
it is stale, and one for the data (issue 23.4). Every round trip on a networked store is a
few milliseconds a cold answer waits, so each hot route is held to that budget, counted by
the store itself, on the real server: with kept answers on (a question not asked before,
the graph state stale) and with kept answers switched off (``CQF_KEEP_ANSWERS=false``).

The read models (mapping graph, candidate index, careers model) are loaded once before the
counting and refreshed off the request path; they are not part of an answer's budget. A load
of one is held to its own small budget, and so is an answer with nothing cached."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.graph import state as graph_state
from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.services.careers.portability import load_candidates, load_offers
from app.services.careers.read_model import load_model
from app.services.equivalence.answers import load_mapping_graph
from app.settings import Settings

V1 = "/api/v1"
BUDGET = 2


def _questions(client: TestClient) -> dict[str, list[tuple[str, str, dict[str, Any] | None]]]:
    """Per hot route, two distinct questions (method, path, body): the first loads the read
    models, the second is counted."""
    def codes(path: str) -> list[str]:
        return [i["code"] for i in client.get(f"{V1}/{path}", params={"limit": 5}).json()["items"]]

    competencies, families, profiles = (codes("competencies"), codes("job-families"),
                                        codes("job-profiles"))
    return {
        "competency look-up": [("GET", f"{V1}/competencies/{c}", None) for c in competencies[:2]],
        "equivalence from-to": [("GET", f"{V1}/equivalences?from=IE-NFQ:{n}&to=NL-NLQF", None)
                                for n in (8, 7)],
        "equivalence, all targets": [("GET", f"{V1}/equivalences?from=IE-NFQ:{n}", None)
                                     for n in (8, 7)],
        "CQF table": [("GET", f"{V1}/cqf-table", None), ("GET", f"{V1}/cqf-table?lang=fr", None)],
        "career path": [("GET", f"{V1}/job-families/{f}/career-path", None)
                        for f in families[:2]],
        "portability": [("POST", f"{V1}/portability", {"from_profile": p, "limit": 5})
                        for p in profiles[:2]],
        "successors": [("GET", f"{V1}/job-profiles/{p}/successors", None) for p in profiles[:2]],
    }


@pytest.fixture(params=[True, False], ids=["kept answers on", "kept answers off"])
def counted(request: pytest.FixtureRequest, seeded_neo4j: GraphStore
            ) -> Iterator[tuple[TestClient, GraphStore]]:
    # A long refresh time: no read model reloads in the background while the test counts.
    settings = Settings(rate_limit_enabled=False, mapping_cache_seconds=3600,
                        keep_answers=request.param)
    app = create_app(settings, runtime=Runtime(seeded_neo4j, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, seeded_neo4j


def test_each_hot_answer_takes_at_most_two_round_trips(
        counted: tuple[TestClient, GraphStore]) -> None:
    client, store = counted
    tracker = graph_state.tracker(cast(FastAPI, client.app).state)
    spent: dict[str, int] = {}
    for name, (first, second) in _questions(client).items():
        method, path, body = first
        assert client.request(method, path, json=body).status_code == 200, path
        tracker.forget()  # the graph-state check is due: it is part of the budget
        method, path, body = second
        before = store.round_trips  # pyright: ignore[reportAttributeAccessIssue]
        response = client.request(method, path, json=body)
        spent[name] = store.round_trips - before  # pyright: ignore[reportAttributeAccessIssue]
        assert response.status_code == 200, (path, response.text)
    assert {n: s for n, s in spent.items() if s > BUDGET} == {}, spent



def _spent(store: GraphStore, call: Callable[[], object]) -> int:
    before = store.round_trips  # pyright: ignore[reportAttributeAccessIssue]
    call()
    return store.round_trips - before  # pyright: ignore[reportAttributeAccessIssue]


def test_each_read_model_loads_in_at_most_two_round_trips(seeded_neo4j: GraphStore) -> None:
    """A read model is loaded whole on first use, after a write to what it rests on, and on
    every answer with ``CQF_MAPPING_CACHE_SECONDS=0``: a few statements, not one per label
    (the careers model was 11, the mapping graph 3)."""
    loaders: dict[str, Callable[[GraphStore], object]] = {
        "mapping graph": load_mapping_graph, "portability candidates": load_candidates,
        "course offers": load_offers, "careers model": load_model}
    spent = {name: _spent(seeded_neo4j, lambda load=load: load(seeded_neo4j))
             for name, load in loaders.items()}
    assert {n: s for n, s in spent.items() if s > BUDGET} == {}, spent
    model = load_model(seeded_neo4j)  # and whole: every part read
    assert model.profiles and model.competencies and model.offers
    assert {kind for kind, _ in model.labels} >= {"Level", "JobFamily", "Framework"}
    assert load_mapping_graph(seeded_neo4j).index.edges


RELOADING = 4  # a data statement or two, and the read models the answer rests on


def test_with_nothing_cached_each_hot_answer_takes_a_few_round_trips(
        seeded_neo4j: GraphStore) -> None:
    """``CQF_MAPPING_CACHE_SECONDS=0``: every answer loads the read models it rests on, each
    once per answer (a career path loaded the careers model three times: 40 round trips)."""
    settings = Settings(rate_limit_enabled=False, mapping_cache_seconds=0, keep_answers=False)
    app = create_app(settings, runtime=Runtime(seeded_neo4j, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        spent: dict[str, int] = {}
        for name, (_, (method, path, body)) in _questions(client).items():
            before = seeded_neo4j.round_trips  # pyright: ignore[reportAttributeAccessIssue]
            response = client.request(method, path, json=body)
            spent[name] = seeded_neo4j.round_trips - before  # pyright: ignore[reportAttributeAccessIssue]
            assert response.status_code == 200, (path, response.text)
    assert {n: s for n, s in spent.items() if s > RELOADING} == {}, spent

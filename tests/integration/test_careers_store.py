"""The careers read model on each backend: the shared Cypher gives the same CQF table, career
path, plan and successors on FalkorDB and Neo4j (Neo4j skipped, reason printed, without
Docker), and the cached model is refreshed when the graph changes."""

from __future__ import annotations

import time

import pytest

from app.graph.port import GraphStore
from app.services.careers.cqf_table import CqfTableMemo, CqfTableService, TableQuestion
from app.services.careers.paths import CareersService, PlanQuestion
from app.services.careers.read_model import CareersModelCache
from app.services.equivalence.answers import MappingGraphCache


def _answers(store: GraphStore) -> dict:
    models, mappings = CareersModelCache(), MappingGraphCache()
    careers = CareersService(store, models, mappings)
    tables = CqfTableService(store, models, mappings, CqfTableMemo())
    return {
        "table": tables.table(TableQuestion(("IE-NFQ", "NL-NLQF"), "ADM-B", "fr")),
        "path": careers.career_path("JF-ENF"),
        "plan": careers.plan(PlanQuestion("JP-CONTROL-MID_MGR-BORDER",
                                          from_profile="JP-ADM-B-03")),
        "successors": careers.successors("JP-ENFORCEMENT-SEN_MGR-ENF", limit=5),
    }


@pytest.fixture(scope="module")
def reference(seeded_falkordb: GraphStore) -> dict:
    return _answers(seeded_falkordb)


def test_same_answers_on_both_backends(seeded_store: GraphStore, reference: dict) -> None:
    got = _answers(seeded_store)
    assert got["plan"]["plan"] is not None
    assert got == reference


def test_cached_model_is_refreshed_when_requirements_change(writable_store: GraphStore) -> None:
    cache = CareersModelCache(ttl=0.05)
    service = CareersService(writable_store, cache, MappingGraphCache())
    before = service.successors("JP-CONTROL-OFFICER-BORDER", limit=100)
    writable_store.write(
        "MATCH (p:JobProfile {code: $p}), (c:Competency {code: $c}) "
        "CREATE (p)-[:REQUIRES {proficiency: 'expert', status: 'illustrative'}]->(c)",
        {"p": "JP-CONTROL-OFFICER-BORDER", "c": "ILL-MGT-04"})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:  # a background refresh picks the change up
        after = service.successors("JP-CONTROL-OFFICER-BORDER", limit=100)
        if after["results"][0]["required"] != before["results"][0]["required"]:
            break
        time.sleep(0.05)
    assert after["results"][0]["required"] == before["results"][0]["required"] + 1


def test_kept_answers_follow_a_reload_of_the_read_model(writable_store: GraphStore) -> None:
    from app.services.careers.read_model import AnswerMemo

    cache = CareersModelCache(ttl=600)
    service = CareersService(writable_store, cache, MappingGraphCache(), AnswerMemo())
    before = service.career_path("JF-BORDER")
    assert service.career_path("JF-BORDER") is before  # kept while nothing changed
    writable_store.write(
        "MATCH (p:JobProfile {code: $p}), (c:Competency {code: $c}) "
        "CREATE (p)-[:REQUIRES {proficiency: 'expert', status: 'illustrative'}]->(c)",
        {"p": "JP-CONTROL-OFFICER-BORDER", "c": "ILL-MGT-04"})
    cache.invalidate()  # what a write through the API does (app.main.drop_read_models)
    after = service.career_path("JF-BORDER")
    assert after is not before
    assert after["streams"]["JP-CONTROL-OFFICER-BORDER"] == "management"
    assert before["streams"]["JP-CONTROL-OFFICER-BORDER"] == "specialist"

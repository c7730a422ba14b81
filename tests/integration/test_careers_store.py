"""The careers read model on each backend: the shared Cypher gives the same CQF table, career
path, plan and successors on FalkorDB and Neo4j (Neo4j skipped, reason printed, without
Docker), the cached model and the kept answers (dicts and JSON bytes) are refreshed when the
graph changes, and the service start warms them."""

from __future__ import annotations

import time
from types import SimpleNamespace

import orjson
import pytest
from structlog.testing import capture_logs

from app.graph.port import GraphStore
from app.services.careers.cqf_table import CqfTableMemo, CqfTableService, TableQuestion
from app.services.careers.paths import CareersService, PlanQuestion
from app.services.careers.read_model import CareersMemo, CareersModelCache, fingerprint
from app.services.careers.warmup import warm_careers
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
        "plan_held": careers.plan(PlanQuestion(
            "JP-CONTROL-OFFICER-BORDER", competencies={
                "esco:inspect-cargo": "advanced", "OPS-P05": "advanced", "ops-p02": "trained",
                "ESCO:perform-body-searches": "trained"})),
        "path_adm": careers.career_path("jf-border", administration="adm-b"),
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
    from app.services.careers.read_model import CareersMemo

    cache = CareersModelCache(ttl=600)
    service = CareersService(writable_store, cache, MappingGraphCache(), CareersMemo())
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


def test_kept_json_follows_a_reload_of_the_read_model(writable_store: GraphStore) -> None:
    cache = CareersModelCache(ttl=600)
    service = CareersService(writable_store, cache, MappingGraphCache(), CareersMemo())
    before = service.career_path_json("JF-BORDER")
    assert service.career_path_json("jf-border") is before  # one canonical question, kept
    assert orjson.loads(before) == service.career_path("JF-BORDER")
    writable_store.write(
        "MATCH (p:JobProfile {code: $p}), (c:Competency {code: $c}) "
        "CREATE (p)-[:REQUIRES {proficiency: 'expert', status: 'illustrative'}]->(c)",
        {"p": "JP-CONTROL-OFFICER-BORDER", "c": "ILL-MGT-04"})
    cache.invalidate()
    after = orjson.loads(service.career_path_json("JF-BORDER"))
    assert after["streams"]["JP-CONTROL-OFFICER-BORDER"] == "management"
    assert orjson.loads(before)["streams"]["JP-CONTROL-OFFICER-BORDER"] == "specialist"


def test_warm_up_loads_the_read_models_and_the_default_table(seeded_falkordb: GraphStore
                                                            ) -> None:
    state = SimpleNamespace(runtime=SimpleNamespace(store=seeded_falkordb),
                            mapping_cache=MappingGraphCache(), careers_cache=CareersModelCache(),
                            cqf_table_memo=CqfTableMemo())
    with capture_logs() as logs:
        warm_careers(state)
    done = [e for e in logs if e["event"] == "careers.warm.done"]
    profiles = seeded_falkordb.read("MATCH (p:JobProfile) RETURN count(p) AS n")[0]["n"]
    assert len(done) == 1 and done[0]["profiles"] == profiles and done[0]["seconds"] >= 0
    # The first request finds the loaded model (not a reload) and the default table kept.
    model = state.careers_cache.get(seeded_falkordb)
    version = fingerprint(state.mapping_cache.get(seeded_falkordb))
    kept = state.cqf_table_memo.get(("json", TableQuestion()), model.version, version)
    assert kept is not None
    fresh = CqfTableService(seeded_falkordb, CareersModelCache(), MappingGraphCache(),
                            CqfTableMemo()).table(TableQuestion())
    assert orjson.loads(kept) == orjson.loads(orjson.dumps(fresh))

"""Seeding: complete (the graph holds exactly what the files say) and idempotent."""

from __future__ import annotations

from app.graph.cypher.catalog.reads import NODE_COUNTS, REL_COUNTS
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.catalog import load_seed_bundle
from app.seed.loader import graph_is_empty, seed

# The service's own nodes, not data: settings and part tokens, the write gate's stripes (made
# with the schema on Neo4j, app/graph/cypher/operations/write_gate.py) and locks.
SERVICE_LABELS = ("ServiceMeta", "ServiceLock")


def _counts(store: GraphStore) -> tuple[dict[str, int], dict[str, int]]:
    nodes = {r["label"]: r["total"] for r in store.read(NODE_COUNTS)
             if r["label"] not in SERVICE_LABELS}
    rels = {r["type"]: r["total"] for r in store.read(REL_COUNTS)}
    return nodes, rels


def _expected_rels() -> dict[str, int]:
    expected: dict[str, int] = {}
    for rel_set in load_seed_bundle(SEED_DATA_DIR).rels:
        expected[rel_set.type] = expected.get(rel_set.type, 0) + len(rel_set.rows)
    return expected


def test_seed_loads_every_node_and_relationship_of_the_files(store: GraphStore) -> None:
    assert graph_is_empty(store)
    bundle = seed(store, SEED_DATA_DIR)
    nodes, rels = _counts(store)
    assert nodes == bundle.count_by_label()
    assert rels == _expected_rels()


def test_seeding_twice_changes_nothing(store: GraphStore) -> None:
    seed(store, SEED_DATA_DIR)
    first = _counts(store)
    props = store.read("MATCH (n:Level {code: 'EQF:6'}) RETURN properties(n) AS p")
    seed(store, SEED_DATA_DIR)
    assert _counts(store) == first
    assert store.read("MATCH (n:Level {code: 'EQF:6'}) RETURN properties(n) AS p") == props


def test_every_seeded_node_and_mapping_carries_status_and_source(
        seeded_store: GraphStore) -> None:
    missing = seeded_store.read(
        "MATCH (n) WHERE NOT n:ServiceMeta AND NOT n:ServiceLock AND (n.status IS NULL "
        "OR NOT n.status IN ['verified', 'unverified', 'illustrative'] "
        "OR n.source_document IS NULL) RETURN n.code AS code")
    assert missing == []
    unsourced = seeded_store.read(
        "MATCH ()-[m:MAPS_TO]->() WHERE m.status IS NULL OR m.source_document IS NULL "
        "RETURN m.id AS id")
    assert unsourced == []


def test_seeded_irish_levels_7_and_8_both_reference_eqf_6(seeded_store: GraphStore) -> None:
    rows = seeded_store.read(
        "MATCH (a:Level)-[m:MAPS_TO]->(b:Level {code: 'EQF:6'}) WHERE a.framework = 'IE-NFQ' "
        "RETURN a.code AS code, m.match_type AS type ORDER BY code")
    assert rows == [{"code": "IE-NFQ:7", "type": "broadMatch"},
                    {"code": "IE-NFQ:8", "type": "broadMatch"}]


def test_new_zealand_level_8_has_no_eqf_level(seeded_store: GraphStore) -> None:
    rows = seeded_store.read(
        "MATCH (a:Level {code: 'NZ-NZQCF:8'})-[m:MAPS_TO]-() RETURN m.id AS id")
    assert rows == []

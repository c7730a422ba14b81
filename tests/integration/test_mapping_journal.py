"""The mapping graph is updated from the change journal (the audit trail of level-mapping
writes, issue 26), on both backends: the updated graph is the one a full load reads, and
whatever the journal cannot account for falls back to a full load."""

from __future__ import annotations

import pytest

from app.domain import parts
from app.domain.auth import Principal
from app.domain.vocab import MappingMethod
from app.graph import parts as graph_parts
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.equivalence.answers import (
    MappingGraph,
    load_mapping_graph,
    update_mapping_graph,
)
from app.services.equivalence.writes import GradeLevel, MappingWriter, NewMapping

ADMIN = Principal("journal-test", "admin")
MOVED = frozenset({parts.MAPPINGS})


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store, SEED_DATA_DIR)
    return store


def _same(updated: MappingGraph | None, store: GraphStore) -> None:
    fresh = load_mapping_graph(store)
    assert updated is not None, "fell back to a full load"
    assert updated.index.edges == fresh.index.edges
    for proposed in (False, True):
        assert updated.index.mapped_levels(proposed) == fresh.index.mapped_levels(proposed)
        for level in sorted(fresh.index.mapped_levels(True)):
            assert updated.index.arcs(level, proposed) == fresh.index.arcs(level, proposed)
    assert updated.levels == fresh.levels


def _new(status: str = "proposed") -> NewMapping:
    return NewMapping("IE-NFQ:9", "NL-NLQF:8", "broadMatch", 0.8, MappingMethod.EXPERT_PANEL,
                      "journal test", review_status=status)


def test_create_review_and_retract_are_patched_into_the_loaded_graph(
        seeded: GraphStore) -> None:
    writer = MappingWriter(seeded)
    graph = load_mapping_graph(seeded)
    first = writer.create(ADMIN, _new())
    second = writer.create(ADMIN, _new("accepted"))
    graph2 = update_mapping_graph(seeded, graph, MOVED)
    _same(graph2, seeded)
    assert graph2 is not None and {first["id"], second["id"]} <= graph2.index.edges.keys()

    writer.review(ADMIN, first["id"], "accept", None)
    writer.retract(ADMIN, second["id"])
    graph3 = update_mapping_graph(seeded, graph2, MOVED)
    _same(graph3, seeded)
    assert graph3 is not None and second["id"] not in graph3.index.edges
    assert graph2.index.edges[second["id"]].id == second["id"]  # the old graph is unchanged


def test_what_the_journal_cannot_account_for_is_loaded_in_full(seeded: GraphStore) -> None:
    graph = load_mapping_graph(seeded)
    # A write outside the audited path that names the mapping part: no entry for its token.
    graph_parts.stamp(seeded, [parts.MAPPINGS])
    assert update_mapping_graph(seeded, graph, MOVED) is None
    # A grade scale's levels: the levels change with it.
    graph = load_mapping_graph(seeded)
    writer = MappingWriter(seeded)
    writer.upsert_administration(ADMIN, "ADM-J", {"name": "Journal administration"})
    writer.register_scale(ADMIN, "ADM-J", "ADM-J-GRADES", {"name": "grades"},
                          [GradeLevel("G1", "Grade 1", 1)])
    assert update_mapping_graph(seeded, graph, frozenset({parts.LEVELS, parts.MAPPINGS})) \
        is None
    # Any other part than the mapping graph's own: not for an update to tell.
    assert update_mapping_graph(seeded, graph, frozenset({parts.META})) is None


def test_an_administration_record_keeps_the_graph(seeded: GraphStore) -> None:
    graph = load_mapping_graph(seeded)
    MappingWriter(seeded).upsert_administration(ADMIN, "ADM-K", {"name": "Keeps"})
    assert update_mapping_graph(seeded, graph, frozenset({parts.LEVELS})) is graph

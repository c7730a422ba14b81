"""One code, one thing, on both backends: codes of frameworks, levels, competencies,
profiles, tasks, institutions, programmes (and courses, administrations) are unique in any
letter case. The store refuses a second node whose code differs only in case, whichever
writer tries; a graph written before the rule has its duplicates reported with how to
resolve them."""

from __future__ import annotations

import pytest

from app.domain.vocab import FOLDED_LABELS, NodeLabel
from app.graph.cypher.institutions import courses as q
from app.graph.cypher.operations.seed import merge_nodes
from app.graph.port import ConstraintViolation, GraphStore
from app.services.operations.migrations import duplicate_codes, fold_codes


@pytest.mark.parametrize("label", FOLDED_LABELS, ids=str)
def test_a_code_in_another_case_is_refused_by_the_store(store: GraphStore,
                                                        label: NodeLabel) -> None:
    store.write(merge_nodes(label), {"rows": [{"code": "ONE-Code:1", "name": "first"}]})
    with pytest.raises(ConstraintViolation):
        store.write(merge_nodes(label), {"rows": [{"code": "one-code:1", "name": "shadow"}]})
    rows = store.read(f"MATCH (n:{label.value}) RETURN n.code AS code, n.name AS name")  # type: ignore[arg-type]  # label from the whitelist
    assert rows == [{"code": "ONE-Code:1", "name": "first"}]


def test_an_institution_write_cannot_shadow_another(store: GraphStore) -> None:
    store.write(q.UPSERT_INSTITUTION, {"code": "EXU", "props": {"name": "Exeter"}})
    with pytest.raises(ConstraintViolation):
        store.write(q.UPSERT_INSTITUTION, {"code": "exu", "props": {"name": "shadow"}})
    assert store.read("MATCH (i:Institution) RETURN i.code AS code") == [{"code": "EXU"}]


def test_migrate_folds_codes_and_reports_duplicates(store: GraphStore) -> None:
    # written before the rule: no folded code, and two frameworks one code apart in case
    for code in ("OLD-NQF", "old-nqf", "SOLO-NQF"):
        store.write("CREATE (:Framework {code: $code})", {"code": code})
    store.write("MATCH (f:Framework {code: 'old-nqf'}) "
                "CREATE (:Level {code: 'old-nqf:1'})-[:IN_FRAMEWORK]->(f)")
    assert fold_codes(store) == 2  # SOLO-NQF and old-nqf:1; the pair is left alone
    keys = {r["code"]: r["key"] for r in store.read(
        "MATCH (f:Framework) RETURN f.code AS code, f.code_key AS key")}
    assert keys == {"OLD-NQF": None, "old-nqf": None, "SOLO-NQF": "solo-nqf"}
    [found] = duplicate_codes(store)
    assert (found.label, found.key) == (NodeLabel.FRAMEWORK, "old-nqf")
    assert found.nodes == [{"code": "OLD-NQF", "links": 0}, {"code": "old-nqf", "links": 1}]
    advice = found.advice()
    assert "keep old-nqf" in advice and "delete OLD-NQF" in advice
    assert "cqf db migrate" in advice

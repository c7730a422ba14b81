"""The write-path queries (keys, audit, mapping upload, review, coverage, CASE) on both
backends: the same Cypher text must give the same answers on FalkorDB and Neo4j."""

from __future__ import annotations

import pytest

from app.domain.auth import Principal
from app.domain.case.v1p1 import CaseV1p1
from app.domain.errors import InvalidInput, Unauthorized
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.access.audit import read_audit
from app.services.access.keys import authenticate, create_key, revoke_key
from app.services.institutions import coverage, reviews
from app.services.institutions import uploads as course_mappings
from app.services.linked_data.case_build import case_signature, load_case_graph

HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
FILE = (HEADER + "PROG-EXU-MSC,INT-1,Integration course,develops,OPS-P01,trained,lo,exam\n"
        + "PROG-EXU-MSC,INT-1,,aligns_with,PS2008-K05,,,\n")
EXU = Principal("k-exu", "institution:EXU")


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store, SEED_DATA_DIR)
    return store


def _upload(store: GraphStore, text: str, principal: Principal = EXU) -> dict:
    return course_mappings.upload(store, principal, "EXU", text.encode(), "text/csv")


def test_keys_authenticate_until_revoked(store: GraphStore) -> None:
    made = create_key(store, "reviewer")
    assert authenticate(store, made["key"]) == Principal(made["key_id"], "reviewer")
    revoke_key(store, made["key_id"])
    with pytest.raises(Unauthorized):
        authenticate(store, made["key"])


def test_an_upload_is_atomic_idempotent_and_audited(seeded: GraphStore) -> None:
    with pytest.raises(InvalidInput):
        _upload(seeded, FILE + "PROG-EXU-MSC,INT-1,,develops,OPS-NOPE,trained,,\n")
    assert not seeded.read("MATCH (c:Course {code: 'INT-1'}) RETURN c.code AS c")
    first = _upload(seeded, FILE)
    assert (first["added"], first["removed"]) == (2, 31)
    again = _upload(seeded, FILE)
    assert (again["added"], again["changed"], again["removed"], again["unchanged"]) == \
        (0, 0, 0, 2)
    entries = read_audit(seeded, EXU, limit=10, offset=0)["items"]
    assert [e["action"] for e in entries] == ["bulk_upload"]


def test_review_decides_what_coverage_counts(seeded: GraphStore) -> None:
    _upload(seeded, FILE)
    reviewer = Principal("k-rev", "reviewer")

    def k05(include: bool) -> bool:
        report = coverage.picard_coverage(seeded, "EXU", "PROG-EXU-MSC", include)
        tier = next(t for t in report["tiers"] if t["code"] == "STRATEGIC")
        return next(a for a in tier["knowledge_areas"] if a["code"] == "PS2008-K05")["covered"]

    assert not k05(False) and k05(True)
    reviews.review(seeded, reviewer, "EXU/PROG-EXU-MSC/INT-1", "aligns_with", "PS2008-K05",
                   "accepted", None)
    assert k05(False)
    courses = coverage.courses_developing(seeded, "OPS-P01", include_proposed=True)["items"]
    assert "EXU/PROG-EXU-MSC/INT-1" in {c["code"] for c in courses}  # scoped course key


def test_case_view_is_the_same_on_both_backends(seeded: GraphStore) -> None:
    graph = load_case_graph(seeded)  # the CASE Cypher runs unchanged on either store
    wire = CaseV1p1("http://cqf.test")
    docs = wire.documents([p.document for p in graph.packages])
    assert len(docs) == 2 + 4  # two frameworks and the four seeded institutions
    package = wire.package(graph.packages[0])
    assert len(package["CFItems"]) > 50 and package["CFAssociations"]
    assert sum(a["associationType"] == "isRelatedTo" for p in graph.packages
               for a in wire.package(p)["CFAssociations"]) > 0
    assert dict(case_signature(seeded))["competencies"] > 50  # the cache's change signature

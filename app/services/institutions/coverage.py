"""PICARD coverage of a programme, and reverse look-ups from a competency or a PICARD
standard to the courses that develop or align with it."""

from __future__ import annotations

from typing import Any, LiteralString

from app.domain import picard
from app.domain.errors import NotFound
from app.domain.identity import local_code, programme_key
from app.domain.vocab import NodeLabel, PicardKind, ReviewStatus, counted_review_statuses
from app.graph.cypher.institutions import coverage as q
from app.graph.port import GraphStore
from app.services.catalog.codes import CodeResolver
from app.services.catalog.reads import CatalogService
from app.services.institutions import coverage_text

# The standards coverage is judged on (a proposed theme is not a standard yet).
COVERED_KINDS = [PicardKind.TIER, PicardKind.KNOWLEDGE_AREA, PicardKind.THEME]


def picard_coverage(store: GraphStore, institution: str, code: str,
                    include_proposed: bool = False) -> dict[str, Any]:
    codes = CodeResolver(store)
    institution = codes.find(NodeLabel.INSTITUTION, institution) or institution
    key = codes.find(NodeLabel.PROGRAMME, programme_key(institution, code))
    rows = store.read(q.PROGRAMME_LEVEL, {"institution": institution, "code": key}) \
        if key else []
    if key is None or not rows:
        raise NotFound("Programme", f"{institution}/{code}")
    programme = rows[0]
    code = local_code(key)
    params = {"code": key, "statuses": counted_review_statuses(include_proposed)}
    rank_names = {r["rank"]: r["code"] for r in store.read(q.PROFICIENCY_NAMES)}
    course_rank = {r["course"]: r["rank"] for r in store.read(q.COURSE_TOP_PROFICIENCY, params)}
    report = picard.element_coverage(store.read(q.STANDARDS, {"kinds": COVERED_KINDS}),
                                      store.read(q.PROGRAMME_ALIGNMENTS, params),
                                      course_rank, rank_names)
    eqf = store.read(q.EQF_OF_LEVEL, {"level": programme["level"],
                                      "accepted": ReviewStatus.ACCEPTED}) \
        if programme["level"] else []
    return coverage_text.in_english({
        "programme": {"institution": institution, "code": code, "key": key,
                      "name": programme["name"],
                      "level": programme["level"], "status": programme["status"]},
        "counted_review_statuses": params["statuses"],
        **report,
        "readiness": picard.readiness(report, {**programme, "level": programme["level"]}, eqf),
    })


def _courses(store: GraphStore, label: NodeLabel, query: LiteralString, code: str,
             include_proposed: bool) -> dict[str, Any]:
    CatalogService(store).get(label, code)  # 404 for an unknown code
    items = store.read(query, {"code": code, "statuses": counted_review_statuses(include_proposed)})
    return {"code": code, "kind": label.value, "items": items, "total": len(items),
            "counted_review_statuses": counted_review_statuses(include_proposed)}


def courses_developing(store: GraphStore, code: str, include_proposed: bool) -> dict[str, Any]:
    return _courses(store, NodeLabel.COMPETENCY, q.COURSES_DEVELOPING, code, include_proposed)


def courses_aligned(store: GraphStore, code: str, include_proposed: bool) -> dict[str, Any]:
    return _courses(store, NodeLabel.PICARD_STANDARD, q.COURSES_ALIGNED, code,
                    include_proposed)

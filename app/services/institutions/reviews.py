"""Review of course mappings: institutions propose, an admin or reviewer accepts or rejects
(with a reason). Only accepted mappings count in public answers unless proposed ones are
asked for explicitly; rejected ones never count."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.domain.auth import Principal
from app.domain.errors import FieldProblem, Forbidden, InvalidInput, NotFound
from app.domain.identity import course_key, local_code, programme_key
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, NodeLabel, ReviewStatus, RoleKind, scoped_role
from app.graph.cypher.institutions import courses as q
from app.graph.port import GraphStore
from app.services.access.audit import entry, write_audited
from app.services.access.keys import now_iso
from app.services.catalog.codes import CodeResolver

REL = {"develops": "DEVELOPS", "aligns_with": "ALIGNS_WITH"}
REVIEWED = (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED)
REVIEW_FIELDS = ("review_status", "status", "reviewed_by", "reviewed_at", "review_reason")
# What a reviewed record changed by its owner becomes: proposed again, unverified, unreviewed.
REOPENED: dict[str, Any] = {"review_status": ReviewStatus.PROPOSED,
                            "status": EvidenceStatus.UNVERIFIED, "reviewed_by": None,
                            "reviewed_at": None, "review_reason": None}


def previous_review(by_owner: bool, before: Mapping[str, Any] | None,
                    changes: Mapping[str, Any]) -> dict[str, Any] | None:
    """The review a change withdraws: when an owner (not an admin) changes a reviewed
    programme, course or mapping, it is proposed again (``REOPENED``) and this review, kept
    in the change's audit entry, is what it had. None when nothing is withdrawn."""
    if not by_owner or before is None or before.get("review_status") not in REVIEWED:
        return None
    if all(before.get(k) == v for k, v in changes.items() if k not in REOPENED):
        return None
    return {k: before.get(k) for k in REVIEW_FIELDS}
# A course link is accepted or rejected; superseding is for level mappings only.
DECISIONS = (ReviewStatus.ACCEPTED, ReviewStatus.REJECTED)


def list_mappings(store: GraphStore, *, review_status: str | None, institution: str | None,
                  limit: int, offset: int) -> dict[str, Any]:
    params = {"review_status": review_status, "institution": institution}
    items = []
    for kind, rel in REL.items():
        items += [{"kind": kind, **r} for r in store.read(q.list_mappings(rel), params)]
    items.sort(key=lambda m: (m["course"], m["kind"], m["target"]))
    page = items[offset:offset + limit]
    return {"items": page, "total": len(items), "limit": limit, "offset": offset,
            "next_offset": offset + len(page) if offset + len(page) < len(items) else None}


def _decision(principal: Principal, decision: str, reason: str | None,
              problems: list[FieldProblem]) -> dict[str, Any]:
    if not principal.may_review():
        raise Forbidden(N_("only an admin or reviewer key may review"))
    if decision not in DECISIONS:
        problems.append(FieldProblem("decision", N_("expected accepted or rejected"), decision))
    if decision == ReviewStatus.REJECTED and not (reason or "").strip():
        problems.append(FieldProblem("reason", N_("a rejection needs a reason")))
    if problems:
        raise InvalidInput(problems)
    # The institution's claim stays unverified evidence unless an admin accepts it.
    return {"review_status": decision, "review_reason": reason,
            "reviewed_by": principal.key_id, "reviewed_at": now_iso(),
            "status": EvidenceStatus.VERIFIED
            if decision == ReviewStatus.ACCEPTED and principal.is_admin
            else EvidenceStatus.UNVERIFIED}


def review_node(store: GraphStore, principal: Principal, label: NodeLabel, institution: str,
                code: str, decision: str, reason: str | None,
                programme: str | None = None) -> dict[str, Any]:
    """Accept or reject a programme or course (of ``programme``) an institution created."""
    props = _decision(principal, decision, reason, [])
    codes = CodeResolver(store)
    institution = codes.find(NodeLabel.INSTITUTION, institution) or institution
    typed = programme_key(institution, code) if programme is None \
        else course_key(institution, programme, code)
    if programme is not None:
        own = codes.find(NodeLabel.PROGRAMME, programme_key(institution, programme))
        typed = course_key(institution, local_code(own), code) if own else typed
    key = codes.find(label, typed)
    params = {"code": key, "institution": institution, "programme": None, "props": props}
    found = store.read(q.review_node_before(label), params) if key else []
    if key is None or not found:
        raise NotFound(label.value, "/".join(p for p in (institution, programme, code) if p))
    code = key
    rows = write_audited(store, q.review_node(label), params, entry(
        principal, f"review_{decision}", label.value, code, found[0]["before"], props,
        owner=scoped_role(RoleKind.INSTITUTION, institution)))
    if not rows:
        raise NotFound(label.value, "/".join(p for p in (institution, programme, code) if p))
    return {"kind": label.value, **{k: v for k, v in rows[0].items() if k != "before"}}


def review(store: GraphStore, principal: Principal, course: str, kind: str, target: str,
           decision: str, reason: str | None) -> dict[str, Any]:
    """``course`` is the course's key (``INSTITUTION/PROGRAMME/COURSE``) or, when only one
    institution uses it, its own code; codes in any case."""
    problems = []
    if kind not in REL:
        problems.append(FieldProblem("kind", N_("expected develops or aligns_with"), kind))
    props = _decision(principal, decision, reason, problems)
    codes = CodeResolver(store)
    course = codes.find(NodeLabel.COURSE, course) or course
    target_label = NodeLabel.COMPETENCY if kind == "develops" else NodeLabel.PICARD_STANDARD
    target = codes.find(target_label, target) or target
    params = {"course": course, "target": target, "props": props}
    found = store.read(q.review_mapping_before(REL[kind]), params)
    if not found:
        raise NotFound("CourseMapping", f"{course}/{kind}/{target}")
    rows = write_audited(store, q.review_mapping(REL[kind]), params, entry(
        principal, f"review_{decision}", kind, f"{course}->{target}", found[0]["before"],
        props, owner=scoped_role(RoleKind.INSTITUTION, found[0]['institution'])))
    if not rows:
        raise NotFound("CourseMapping", f"{course}/{kind}/{target}")
    row = rows[0]
    return {"kind": kind, **{k: v for k, v in row.items() if k != "before"}}

"""Institutions, programmes and courses written by their owners (or an admin).

Order of checks on every write: the key (401, in the API layer), then ownership of the
institution named in the path (403, before any lookup, so nothing leaks), then existence
(404) and the input itself (422).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.domain.auth import Principal
from app.domain.errors import Conflict, FieldProblem, Forbidden, InvalidInput, NotFound
from app.graph.cypher import courses as q
from app.graph.labels import NodeLabel
from app.graph.port import GraphStore
from app.services import course_mappings as mappings
from app.services.audit import record_audit
from app.services.catalog import CatalogService, parse_level_code
from app.services.codes import CodeResolver


def _owner(institution: str) -> str:
    return f"institution:{institution}"


def _props(store: GraphStore, label: NodeLabel, code: str) -> dict[str, Any] | None:
    query = {NodeLabel.PROGRAMME: q.PROGRAMME, NodeLabel.COURSE: q.COURSE,
             NodeLabel.INSTITUTION: q.INSTITUTION}[label]
    rows = store.read(query, {"code": code})
    return rows[0]["node"] if rows else None


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def put_institution(store: GraphStore, principal: Principal, code: str,
                    fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create (admin only) or update an institution; returns (entity, created)."""
    mappings.check_owner(principal, code)
    before = _props(store, NodeLabel.INSTITUTION, code)
    if before is None and not principal.is_admin:
        raise Forbidden("only an admin key may create an institution")
    props = dict(fields)
    if before is None:
        props.update({"status": "unverified", "review_status": "accepted",
                      "asserted_by": principal.role,
                      "source_document": "Institution record created through the CQF Graph API",
                      "source_publisher": fields.get("name"), "source_year": int(_today()[:4])})
    store.write(q.UPSERT_INSTITUTION, {"code": code, "props": props})
    record_audit(store, principal, "put", "Institution", code, before, props,
                 owner=_owner(code))
    return CatalogService(store).get(NodeLabel.INSTITUTION, code), before is None


def _check_level(store: GraphStore, level: str | None) -> str | None:
    """The canonical code of the programme's level (typed in any case, ``:`` or ``/``)."""
    if level is None:
        return None
    parse_level_code(level, "level")
    found = CodeResolver(store).find(NodeLabel.LEVEL, level)
    if found is None:
        raise InvalidInput([FieldProblem("level", "unknown level", level)])
    return found


def _programme_of(store: GraphStore, institution: str, code: str) -> dict[str, Any] | None:
    props = _props(store, NodeLabel.PROGRAMME, code)
    if props is not None and props.get("institution") != institution:
        return None
    return props


def get_programme(store: GraphStore, institution: str, code: str) -> dict[str, Any]:
    if _programme_of(store, institution, code) is None:
        raise NotFound("Programme", f"{institution}/{code}")
    return CatalogService(store).get(NodeLabel.PROGRAMME, code)


def put_programme(store: GraphStore, principal: Principal, institution: str, code: str,
                  fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    mappings.check_owner(principal, institution)
    inst = mappings.institution_props(store, institution)
    before = _props(store, NodeLabel.PROGRAMME, code)
    if before is not None and before.get("institution") != institution:
        raise Forbidden("wrong owner: this programme code belongs to another institution")
    fields = {**fields, "level": _check_level(store, fields.get("level"))}
    props = {**fields, "institution": institution}
    if before is None:
        props.update(mappings._provenance(principal, inst, _today()))
        props.pop("date", None)
    store.write(q.UPSERT_PROGRAMME, {"institution": institution, "code": code,
                                     "props": props, "level": fields.get("level")})
    record_audit(store, principal, "put", "Programme", code, before, props,
                 owner=_owner(institution))
    return CatalogService(store).get(NodeLabel.PROGRAMME, code), before is None


def delete_programme(store: GraphStore, principal: Principal, institution: str,
                     code: str) -> None:
    mappings.check_owner(principal, institution)
    before = _programme_of(store, institution, code)
    if before is None:
        raise NotFound("Programme", f"{institution}/{code}")
    if store.read(q.COURSES_OF_PROGRAMME, {"code": code}):
        raise Conflict("the programme still has courses; delete them first")
    store.write(q.DELETE_PROGRAMME, {"code": code})
    record_audit(store, principal, "delete", "Programme", code, before, None,
                 owner=_owner(institution))


def _course_of(store: GraphStore, institution: str, programme: str,
               code: str) -> dict[str, Any] | None:
    props = _props(store, NodeLabel.COURSE, code)
    if props is None or props.get("institution") != institution or \
            props.get("programme") != programme:
        return None
    return props


def get_course(store: GraphStore, institution: str, programme: str, code: str) -> dict[str, Any]:
    if _course_of(store, institution, programme, code) is None:
        raise NotFound("Course", f"{institution}/{programme}/{code}")
    detail = CatalogService(store).get(NodeLabel.COURSE, code)
    current = mappings.current_mappings(store, institution, [code])
    detail["mappings"] = [{"kind": kind, "target": target, **{
        k: v for k, v in row.items() if k not in ("course", "target")}}
        for (_, kind, target), row in sorted(current.items())]
    return detail


def put_course(store: GraphStore, principal: Principal, institution: str, programme: str,
               code: str, fields: dict[str, Any], develops: list[dict[str, Any]],
               aligns_with: list[dict[str, Any]]) -> tuple[dict[str, Any], bool, dict]:
    """Create or replace a course with its mappings (unlisted mappings are removed)."""
    mappings.check_owner(principal, institution)
    mappings.institution_props(store, institution)
    if _programme_of(store, institution, programme) is None:
        raise NotFound("Programme", f"{institution}/{programme}")
    before = _props(store, NodeLabel.COURSE, code)
    if before is not None and before.get("institution") != institution:
        raise Forbidden("wrong owner: this course code belongs to another institution")
    raw = [(n, {"programme": programme, "course": code, "course_name": fields["name"],
                "kind": "develops", "target": d.get("competency"),
                "proficiency": d.get("proficiency"), "evidence": d.get("evidence"),
                "assessment": d.get("assessment")}) for n, d in enumerate(develops)]
    raw += [(len(develops) + n, {"programme": programme, "course": code,
                                 "course_name": fields["name"], "kind": "aligns_with",
                                 "target": a.get("standard"), "evidence": a.get("evidence")})
            for n, a in enumerate(aligns_with)]
    try:
        report = mappings.apply(store, principal, institution, raw, scope=[code],
                                course_props={code: {**fields, "programme": programme}},
                                audit_action=None)
    except InvalidInput as exc:
        raise _relocate(exc, len(develops)) from None
    record_audit(store, principal, "put", "Course", code, before,
                 {**fields, "programme": programme, "develops": develops,
                  "aligns_with": aligns_with, "changes": report}, owner=_owner(institution))
    created = before is None
    return get_course(store, institution, programme, code), created, report


def _relocate(exc: InvalidInput, n_develops: int) -> InvalidInput:
    """Name the body field of each problem (``develops[0].target``) instead of a line."""
    names = {"target": None, "proficiency": "proficiency", "evidence": "evidence",
             "assessment": "assessment"}
    problems = []
    for p in exc.problems:
        if p.line is None:
            problems.append(p)
            continue
        where = (f"develops[{p.line}]" if p.line < n_develops
                 else f"aligns_with[{p.line - n_develops}]")
        column = names.get(p.column or "", p.column)
        if p.column == "target":
            column = "competency" if p.line < n_develops else "standard"
        location = "programme" if p.column == "programme" else (
            "name" if p.column == "course_name" else
            "code" if p.column == "course" else f"{where}.{column}")
        problems.append(FieldProblem(location, p.message, p.value))
    return InvalidInput(problems, exc.summary)


def delete_course(store: GraphStore, principal: Principal, institution: str, programme: str,
                  code: str) -> None:
    mappings.check_owner(principal, institution)
    before = _course_of(store, institution, programme, code)
    if before is None:
        raise NotFound("Course", f"{institution}/{programme}/{code}")
    store.write(q.DELETE_COURSE, {"code": code})
    record_audit(store, principal, "delete", "Course", code, before, None,
                 owner=_owner(institution))

"""Institutions, programmes and courses written by their owners (or an admin).

Order of checks on every write: the key (401, in the API layer), then ownership of the
institution named in the path (403, before any lookup, so nothing leaks), then existence
(404) and the input itself (422).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, LiteralString

from app.domain import identity
from app.domain.auth import Principal
from app.domain.errors import (
    Conflict,
    FieldProblem,
    Forbidden,
    InvalidInput,
    Location,
    NotFound,
    item,
)
from app.domain.errors import where as where_
from app.domain.identity import course_key, programme_key
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus, NodeLabel, ReviewStatus, RoleKind, scoped_role
from app.graph.cypher.institutions import courses as q
from app.graph.port import GraphStore
from app.services.access.audit import entry, write_audited
from app.services.catalog.codes import CodeResolver
from app.services.catalog.reads import CatalogService, parse_level_code
from app.services.institutions import uploads as mappings
from app.services.institutions.reviews import REOPENED, previous_review


def _owner(institution: str) -> str:
    return scoped_role(RoleKind.INSTITUTION, institution)


def _props(store: GraphStore, label: NodeLabel, code: str) -> dict[str, Any] | None:
    queries: dict[NodeLabel, LiteralString] = {
        NodeLabel.PROGRAMME: q.PROGRAMME, NodeLabel.COURSE: q.COURSE,
        NodeLabel.INSTITUTION: q.INSTITUTION}
    query = queries[label]
    rows = store.read(query, {"code": code})
    return rows[0]["node"] if rows else None


def _today() -> str:
    return datetime.now(UTC).date().isoformat()


def put_institution(store: GraphStore, principal: Principal, code: str,
                    fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create (admin only) or update an institution; returns (entity, created)."""
    mappings.check_owner(principal, code)
    with mappings.institution_lock(store, code):  # concurrent first PUTs: one creates
        code = CodeResolver(store).find(NodeLabel.INSTITUTION, code) or code
        before = _props(store, NodeLabel.INSTITUTION, code)
        _write_institution(store, principal, code, fields, before)
    return CatalogService(store).get(NodeLabel.INSTITUTION, code), before is None


def _write_institution(store: GraphStore, principal: Principal, code: str,
                       fields: dict[str, Any], before: dict[str, Any] | None) -> None:
    if before is None and not principal.is_admin:
        raise Forbidden(N_("only an admin key may create an institution"))
    props = dict(fields)
    if before is None:
        props.update({"status": EvidenceStatus.UNVERIFIED, "review_status": ReviewStatus.ACCEPTED,
                      "asserted_by": principal.role,
                      "source_document": "Institution record created through the CQF Graph API",
                      "source_publisher": fields.get("name"), "source_year": int(_today()[:4])})
    write_audited(store, q.UPSERT_INSTITUTION, {"code": code, "props": props},
                  entry(principal, "put", "Institution", code, before, props,
                        owner=_owner(code)))


def _check_level(store: GraphStore, level: str | None) -> str | None:
    """The canonical code of the programme's level (typed in any case, ``:`` or ``/``)."""
    if level is None:
        return None
    parse_level_code(level, "level")
    found = CodeResolver(store).find(NodeLabel.LEVEL, level)
    if found is None:
        raise InvalidInput([FieldProblem("level", N_("unknown level"), level)])
    return found


def _institution(store: GraphStore, principal: Principal, institution: str) -> str:
    """The canonical code of an institution the key may write (403 before any lookup)."""
    mappings.check_owner(principal, institution)
    return mappings.institution_props(store, institution)["code"]


def _programme_key(store: GraphStore, institution: str, code: str) -> str | None:
    """The stored key of the institution's programme ``code`` (any case), or None. Only
    this institution's programmes are looked at: another's ``P1`` is another programme."""
    inst = CodeResolver(store).find(NodeLabel.INSTITUTION, institution) or institution
    return CodeResolver(store).find(NodeLabel.PROGRAMME, programme_key(inst, code))


def _course_key(store: GraphStore, institution: str, programme: str,
                code: str) -> str | None:
    prog = _programme_key(store, institution, programme)
    if prog is None:
        return None
    inst, own = identity.parts(prog)
    return CodeResolver(store).find(NodeLabel.COURSE, course_key(inst, own, code))


def get_programme(store: GraphStore, institution: str, code: str) -> dict[str, Any]:
    key = _programme_key(store, institution, code)
    if key is None:
        raise NotFound("Programme", f"{institution}/{code}")
    return CatalogService(store).get(NodeLabel.PROGRAMME, key)


def put_programme(store: GraphStore, principal: Principal, institution: str, code: str,
                  fields: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """Create or update the institution's programme ``code``. Programme codes are the
    institution's own: another institution's programme with the same code is another
    programme, so nothing here can tell that it exists."""
    institution = _institution(store, principal, institution)
    fields = {**fields, "level": _check_level(store, fields.get("level"))}
    with mappings.institution_lock(store, institution):  # concurrent first PUTs: one creates
        key = _programme_key(store, institution, code) or programme_key(institution, code)
        before = _props(store, NodeLabel.PROGRAMME, key)
        _write_programme(store, principal, institution, key, fields, before)
    return CatalogService(store).get(NodeLabel.PROGRAMME, key), before is None


def _write_programme(store: GraphStore, principal: Principal, institution: str, key: str,
                     fields: dict[str, Any], before: dict[str, Any] | None) -> None:
    inst = mappings.institution_props(store, institution)
    props = {**fields, "institution": institution, "local_code": identity.local_code(key)}
    if before is None:
        props.update(mappings._provenance(principal, inst, _today()))
        props.pop("date", None)
    withdrawn = previous_review(not principal.is_admin, before, props)
    if withdrawn is not None:  # a reviewed programme changed by its owner: proposed again
        props.update(REOPENED)
    after = props if withdrawn is None else {**props, "previous_review": withdrawn}
    write_audited(store, q.UPSERT_PROGRAMME, {"institution": institution, "code": key,
                                              "props": props, "level": fields.get("level")},
                  entry(principal, "put", "Programme", key, before, after,
                        owner=_owner(institution)))


def delete_programme(store: GraphStore, principal: Principal, institution: str,
                     code: str) -> None:
    institution = _institution(store, principal, institution)
    key = _programme_key(store, institution, code)
    before = _props(store, NodeLabel.PROGRAMME, key) if key else None
    if key is None or before is None:
        raise NotFound("Programme", f"{institution}/{code}")
    if store.read(q.COURSES_OF_PROGRAMME, {"code": key}):
        raise Conflict(N_("the programme still has courses; delete them first"))
    write_audited(store, q.DELETE_PROGRAMME, {"code": key},
                  entry(principal, "delete", "Programme", key, before, None,
                        owner=_owner(institution)))


def get_course(store: GraphStore, institution: str, programme: str, code: str) -> dict[str, Any]:
    key = _course_key(store, institution, programme, code)
    if key is None:
        raise NotFound("Course", f"{institution}/{programme}/{code}")
    detail = CatalogService(store).get(NodeLabel.COURSE, key)
    current = mappings.current_mappings(store, identity.parts(key)[0], [key])
    detail["mappings"] = [{"kind": kind, "target": target, **{
        k: v for k, v in row.items() if k not in ("course", "target", *REOPENED)
        or k == "review_status"}}
        for (_, kind, target), row in sorted(current.items())]
    return detail


def put_course(store: GraphStore, principal: Principal, institution: str, programme: str,
               code: str, fields: dict[str, Any], develops: list[dict[str, Any]],
               aligns_with: list[dict[str, Any]]) -> tuple[dict[str, Any], bool, dict]:
    """Create or replace a course with its mappings (unlisted mappings are removed). Under
    the institution's lock from the look-up on: of concurrent first PUTs one creates the
    course and the others replace what it wrote, each audited with what it replaced."""
    institution = _institution(store, principal, institution)
    with mappings.institution_lock(store, institution):
        prog = _programme_key(store, institution, programme)
        if prog is None:
            raise NotFound("Programme", f"{institution}/{programme}")
        own_programme = identity.local_code(prog)
        key = _course_key(store, institution, own_programme, code) \
            or course_key(institution, own_programme, code)
        before = _props(store, NodeLabel.COURSE, key)
        report = _write_course(store, principal, institution, own_programme, key, before,
                               fields, develops, aligns_with)
    own_code = identity.local_code(key)
    return get_course(store, institution, own_programme, own_code), before is None, report


def _write_course(store: GraphStore, principal: Principal, institution: str,
                  own_programme: str, key: str, before: dict[str, Any] | None,
                  fields: dict[str, Any], develops: list[dict[str, Any]],
                  aligns_with: list[dict[str, Any]]) -> dict[str, Any]:
    own_code = identity.local_code(key)
    raw = [(n, {"programme": own_programme, "course": own_code, "course_name": fields["name"],
                "kind": "develops", "target": d.get("competency"),
                "proficiency": d.get("proficiency"), "evidence": d.get("evidence"),
                "assessment": d.get("assessment")}) for n, d in enumerate(develops)]
    raw += [(len(develops) + n, {"programme": own_programme, "course": own_code,
                                 "course_name": fields["name"], "kind": "aligns_with",
                                 "target": a.get("standard"), "evidence": a.get("evidence")})
            for n, a in enumerate(aligns_with)]
    try:
        return mappings.apply(
            store, principal, institution, raw, scope=[key], locked=True,
            course_props={key: {**fields, "programme": own_programme}},
            audit_entry=lambda changes: entry(
                principal, "put", "Course", key, before,
                {**fields, "programme": own_programme, "develops": develops,
                 "aligns_with": aligns_with, "changes": changes}, owner=_owner(institution)))
    except InvalidInput as exc:
        raise _relocate(exc, len(develops)) from None


def _relocate(exc: InvalidInput, n_develops: int) -> InvalidInput:
    """Name the body field of each problem (``develops[0].target``) instead of a line."""
    names = {"target": None, "proficiency": "proficiency", "evidence": "evidence",
             "assessment": "assessment"}
    def row_location(line: int) -> str:
        return (where_("develops", item(line + 1)) if line < n_develops
                else where_("aligns_with", item(line - n_develops + 1)))

    problems = []
    for p in exc.problems:
        if p.line is None:
            problems.append(p)
            continue
        where = row_location(p.line)
        if p.column == "row":  # a repeated entry: named by the item it repeats
            first = (p.params or {}).get("first")
            problems.append(FieldProblem(
                where, N_("the same target as %(first)s, given again"), None,
                params={"first": Location(row_location(int(str(first)))) if first is not None
                        else "?"}))
            continue
        column = names.get(p.column or "", p.column)
        if p.column == "target":
            column = "competency" if p.line < n_develops else "standard"
        location = "programme" if p.column == "programme" else (
            "name" if p.column == "course_name" else
            "code" if p.column == "course" else where_(where, column))
        # the message keeps its values and what the field accepts (its words need them)
        problems.append(replace(p, location=location, line=None, column=None))
    return InvalidInput(problems, exc.summary)


def delete_course(store: GraphStore, principal: Principal, institution: str, programme: str,
                  code: str) -> None:
    institution = _institution(store, principal, institution)
    key = _course_key(store, institution, programme, code)
    before = _props(store, NodeLabel.COURSE, key) if key else None
    if key is None or before is None:
        raise NotFound("Course", f"{institution}/{programme}/{code}")
    write_audited(store, q.DELETE_COURSE, {"code": key},
                  entry(principal, "delete", "Course", key, before, None,
                        owner=_owner(institution)))

"""Applying an institution's course mappings: load what the rows refer to, validate every
row, compute the difference with the graph, write it as one atomic statement, audit it.

Used by the bulk upload endpoint, ``cqf import mappings`` and the course PUT (a course's
mappings are a one-course upload), so all three behave the same.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, LiteralString

from app.domain import course_mappings as cm
from app.domain.auth import Principal
from app.domain.errors import FieldProblem, Forbidden, InvalidInput, NotFound, PayloadTooLarge
from app.domain.identity import course_key, local_code, programme_key
from app.domain.text import N_
from app.domain.vocab import (
    PROFICIENCY_CODES,
    EvidenceStatus,
    NodeLabel,
    ReviewStatus,
    RoleKind,
    scoped_role,
)
from app.graph.cypher.institutions import courses as q
from app.graph.port import GraphStore
from app.services.access.audit import entry, write_audited
from app.services.catalog.codes import CodeResolver
from app.services.institutions import locks
from app.services.institutions.reviews import REOPENED, previous_review

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
REL = {"develops": "DEVELOPS", "aligns_with": "ALIGNS_WITH"}


def parse_upload(data: bytes, content_type: str | None) -> list[tuple[int, dict[str, Any]]]:
    """CSV (comma or semicolon, UTF-8 with or without BOM) or JSON, within the limits."""
    if len(data) > MAX_BYTES:
        raise PayloadTooLarge(f"{MAX_BYTES // (1024 * 1024)} MB")
    kind = (content_type or "").split(";")[0].strip().lower()
    looks_json = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"[", b"{")
    try:
        if kind.endswith("json") or (not kind.endswith("csv") and looks_json):
            return cm.parse_json(data, MAX_ROWS)
        return cm.parse_csv(data, MAX_ROWS)
    except cm.TooManyRows as exc:
        raise PayloadTooLarge(f"{exc.limit} rows") from exc


def institution_props(store: GraphStore, code: str) -> dict[str, Any]:
    """The institution's stored properties; the code may be typed in any case."""
    rows = store.read(q.INSTITUTION, {"code": code})
    if not rows:
        canonical = CodeResolver(store).find(NodeLabel.INSTITUTION, code)
        rows = store.read(q.INSTITUTION, {"code": canonical}) if canonical else []
    if not rows:
        raise NotFound("Institution", code)
    return rows[0]["node"]


def check_owner(principal: Principal, institution: str) -> None:
    """403 before any lookup, so a key that may not write here learns nothing of the target."""
    if not principal.may_write_institution(institution):
        raise Forbidden()


def load_reference(store: GraphStore, institution: str,
                   rows: list[tuple[int, dict[str, Any]]]) -> cm.Reference:
    def codes(column: str) -> list[str]:
        return sorted({str(r.get(column)).strip() for _, r in rows if r.get(column)})

    resolver = CodeResolver(store)

    def known(label: NodeLabel, column: str) -> dict[str, str]:
        """Typed codes (lower-cased) -> stored codes, any case."""
        return {t.lower(): c for t, c in resolver.many(label, codes(column)).items()}

    programmes = cm.Reference.folded(r["code"] for r in store.read(
        q.PROGRAMMES_OF, {"institution": institution}))
    typed_courses = sorted({course_key(institution,
                                       programmes.get(str(r.get("programme")).strip().lower(),
                                                      str(r.get("programme")).strip()),
                                       str(r.get("course")).strip())
                            for _, r in rows if r.get("programme") and r.get("course")})
    courses = resolver.many(NodeLabel.COURSE, typed_courses)
    return cm.Reference(
        institution=institution,
        programmes=programmes,
        competencies=known(NodeLabel.COMPETENCY, "target"),
        standards=known(NodeLabel.PICARD_STANDARD, "target"),
        proficiencies=PROFICIENCY_CODES,
        courses={t.lower(): c for t, c in courses.items()},
    )


def current_mappings(store: GraphStore, institution: str,
                     courses: list[str] | None) -> dict[tuple[str, str, str], dict[str, Any]]:
    params = {"institution": institution, "courses": courses}
    current: dict[tuple[str, str, str], dict[str, Any]] = {}
    reads: tuple[tuple[str, LiteralString], ...] = (("develops", q.CURRENT_DEVELOPS),
                                                     ("aligns_with", q.CURRENT_ALIGNS))
    for kind, query in reads:
        for r in store.read(query, params):
            current[(r["course"], kind, r["target"])] = r
    return current


def _provenance(principal: Principal, inst: dict[str, Any], today: str) -> dict[str, Any]:
    """Data asserted by an institution is its own claim: unverified and proposed until
    reviewed. An admin's write counts as reviewed."""
    return {
        "status": EvidenceStatus.UNVERIFIED,
        "review_status": ReviewStatus.ACCEPTED if principal.is_admin else ReviewStatus.PROPOSED,
        "asserted_by": inst["code"],
        "source_document": f"Course mappings asserted by {inst.get('name') or inst['code']}",
        "source_publisher": inst.get("name") or inst["code"],
        "source_year": int(today[:4]), "source_url": None, "date": today,
    }


def _mapping_props(row: cm.MappingRow, base: dict[str, Any]) -> dict[str, Any]:
    props = {**base, "review_reason": None, "reviewed_by": None, "reviewed_at": None}
    props.update(row.content() if row.kind == "develops" else
                 {"evidence": row.evidence, "assessment": row.assessment})
    return props


def _course_changes(store: GraphStore, rows: list[cm.MappingRow], base: dict[str, Any],
                    course_props: dict[str, dict[str, Any]],
                    withdrawn: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Courses to create or update: new ones get full provenance; existing ones only the
    fields the upload changes. Keyed by the courses' scoped keys."""
    stored = {r["code"]: r for r in store.read(
        q.COURSE_OWNERS, {"codes": sorted({r.course_id for r in rows} | set(course_props))})}
    wanted: dict[str, dict[str, Any]] = {}
    for row in rows:
        entry = wanted.setdefault(row.course_id, {"programme": row.programme})
        if row.course_name and "name" not in entry:
            entry["name"] = row.course_name
    for code, extra in course_props.items():
        wanted.setdefault(code, {}).update(extra)
    institution = base["asserted_by"]
    by_owner = base["review_status"] == ReviewStatus.PROPOSED
    changes = []
    for code, fields in wanted.items():
        old = stored.get(code)
        if old is None:
            props = {**base, **fields, "code": code, "local_code": local_code(code),
                     "institution": institution}
        else:
            props = {k: v for k, v in fields.items() if old.get(k, v) != v or k not in old}
            if not props:
                continue
            review = previous_review(by_owner, old, props)
            if review is not None:  # a reviewed course changed by its owner: proposed again
                props.update(REOPENED)
                withdrawn.append({"course": code, **review})
        changes.append({"code": code, "props": props,
                        "programme": programme_key(institution, fields["programme"])})
    return changes


@dataclass
class Plan:
    """A validated upload: the report to give and the parameters of the one write."""

    report: dict[str, Any]
    params: dict[str, list[dict[str, Any]]]
    stored: int

    @property
    def empty(self) -> bool:
        return not any(self.params.values())


def plan(store: GraphStore, principal: Principal, institution: str,
         raw_rows: list[tuple[int, dict[str, Any]]], *, dry_run: bool = False,
         scope: list[str] | None = None,
         course_props: dict[str, dict[str, Any]] | None = None) -> Plan:
    """Validate every row and compute the difference; raises ``InvalidInput`` listing every
    bad row. ``scope``: the courses whose unlisted mappings are removed (default: all of the
    institution's)."""
    check_owner(principal, institution)
    inst = institution_props(store, institution)
    institution = inst["code"]
    rows = cm.validate(raw_rows, load_reference(store, institution, raw_rows))
    current = current_mappings(store, institution, scope)
    change = cm.diff(rows, current, set(scope) if scope is not None else None)
    base = _provenance(principal, inst, datetime.now(UTC).date().isoformat())
    withdrawn: list[dict[str, Any]] = []
    courses = _course_changes(store, rows, base, course_props or {}, withdrawn)
    by_owner = not principal.is_admin
    for row in change.changed:  # _mapping_props proposes a changed mapping again
        review = previous_review(by_owner, current[row.key], row.content())
        if review is not None:
            withdrawn.append({"course": row.course_id, "kind": row.kind,
                              "target": row.target, **review})
    report = {"institution": institution, "rows": len(rows), "dry_run": dry_run,
              **change.counts(), "courses_written": len(courses)}
    write = change.added + change.changed
    params = {
        "courses": courses,
        "develops": [{"course": r.course_id, "target": r.target,
                      "props": _mapping_props(r, base)} for r in write if r.kind == "develops"],
        "aligns": [{"course": r.course_id, "target": r.target,
                    "props": _mapping_props(r, base)} for r in write if r.kind == "aligns_with"],
        "remove_develops": [{"course": c, "target": t} for c, k, t in change.removed
                            if k == "develops"],
        "remove_aligns": [{"course": c, "target": t} for c, k, t in change.removed
                          if k == "aligns_with"],
    }
    report["removed_keys"] = [list(k) for k in change.removed[:100]]
    report["reviews_withdrawn"] = withdrawn[:100]
    return Plan(report, params, len(current))


def apply(store: GraphStore, principal: Principal, institution: str,
          raw_rows: list[tuple[int, dict[str, Any]]], *, dry_run: bool = False,
          scope: list[str] | None = None, course_props: dict[str, dict[str, Any]] | None = None,
          audit_action: str = "bulk_upload", digest: str | None = None,
          audit_entry: Callable[[dict[str, Any]], dict[str, Any]] | None = None,
          locked: bool = False) -> dict[str, Any]:
    """Validate all rows, then write the difference and its audit entry as ONE statement
    (unless ``dry_run``): atomic on both backends, and a no-op when nothing differs.
    ``audit_entry(report)``: the entry to record instead of the upload's own; ``locked``:
    the caller holds the institution's lock already (``institution_lock``)."""
    if dry_run or locked:
        return _apply(store, principal, institution, raw_rows, dry_run, scope, course_props,
                      audit_action, digest, audit_entry)
    # One writer at a time per institution (across workers): each upload is planned against
    # the state the previous one left, so the result is one whole file, never a mixture.
    with institution_lock(store, institution):
        return _apply(store, principal, institution, raw_rows, dry_run, scope, course_props,
                      audit_action, digest, audit_entry)


def institution_lock(store: GraphStore, institution: str) -> AbstractContextManager[None]:
    """One writer at a time of an institution's records (its programmes, courses and their
    mappings), across threads, workers and CLI commands: what a write reads as the state it
    replaces is that state (an audit's ``before``; 201 or 200 for concurrent first PUTs)."""
    return locks.held(store, f"mappings:{institution.upper()}",
                      N_("another write of %(institution)s's records (an upload?) is in "
                         "progress; retry when it ends"),
                      busy_params={"institution": institution})


def _apply(store: GraphStore, principal: Principal, institution: str,
           raw_rows: list[tuple[int, dict[str, Any]]], dry_run: bool,
           scope: list[str] | None, course_props: dict[str, dict[str, Any]] | None,
           audit_action: str, digest: str | None,
           audit_entry: Callable[[dict[str, Any]], dict[str, Any]] | None) -> dict[str, Any]:
    planned = plan(store, principal, institution, raw_rows, dry_run=dry_run, scope=scope,
                   course_props=course_props)
    institution = planned.report["institution"]
    removed_keys = planned.report.pop("removed_keys")
    withdrawn = planned.report.pop("reviews_withdrawn")
    if dry_run or planned.empty:
        return planned.report
    if audit_entry is not None:
        audit = audit_entry({**planned.report, "reviews_withdrawn": withdrawn})
    else:
        counts = {k: planned.report[k] for k in ("added", "changed", "removed", "unchanged",
                                                 "courses_written")}
        audit = entry(principal, audit_action, "Institution", institution,
                      {"mappings": planned.stored},
                      {**counts, "sha256": digest, "removed_keys": removed_keys,
                       "reviews_withdrawn": withdrawn},
                      owner=scoped_role(RoleKind.INSTITUTION, institution))
    write_audited(store, q.APPLY_MAPPINGS, planned.params, audit)
    return planned.report


def upload(store: GraphStore, principal: Principal, institution: str, data: bytes,
           content_type: str | None, dry_run: bool = False) -> dict[str, Any]:
    """The bulk upload use case: the file is the institution's complete list of mappings."""
    check_owner(principal, institution)
    raw = parse_upload(data, content_type)
    if not raw:
        raise InvalidInput([FieldProblem("body", N_("the file has no rows"))])
    return apply(store, principal, institution, raw, dry_run=dry_run,
                 digest=hashlib.sha256(data).hexdigest())

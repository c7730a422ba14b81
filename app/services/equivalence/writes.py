"""Writing level mappings and administrations' grade scales: authenticated, owned, audited.

Ownership: an admin may write anything; an administration key may register its own grade
scale and propose mappings that touch a level of its own scale; review (accept, reject,
supersede) is for admins and reviewers. New mappings arrive as ``proposed`` (an admin may
assert ``accepted`` directly) and count in answers only once accepted.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from app.domain.auth import Principal
from app.domain.equivalence import framework_of
from app.domain.errors import (
    LEVEL_MAPPED,
    SAME_LEVEL,
    CodeTaken,
    FieldProblem,
    Forbidden,
    InvalidInput,
    LevelsClash,
    NotFound,
)
from app.domain.text import N_
from app.domain.vocab import (
    EvidenceStatus,
    MappingMethod,
    MatchType,
    NodeLabel,
    ReviewStatus,
    RoleKind,
    scoped_role,
)
from app.graph.cypher.equivalence import mappings as q
from app.graph.port import GraphStore
from app.services.access.audit import entry, write_audited
from app.services.catalog.codes import CodeResolver
from app.services.equivalence.records import mapping_view

SCALE_TAKEN = N_("this framework code is taken: an administration writes only its own grade "
                 "scale, never a reference framework or another's scale")
DECISIONS = {"accept": ReviewStatus.ACCEPTED, "reject": ReviewStatus.REJECTED,
             "supersede": ReviewStatus.SUPERSEDED}



def _owner(administration: str) -> str:
    """The owner tag of what an administration wrote (``administration:{code}``)."""
    return scoped_role(RoleKind.ADMINISTRATION, administration)


@dataclass(frozen=True)
class NewMapping:
    from_level: str
    to_level: str
    match_type: str
    confidence: float
    method: MappingMethod
    source_document: str
    source_publisher: str | None = None
    source_year: int | None = None
    source_url: str | None = None
    date: str | None = None
    note: str | None = None
    review_status: str = ReviewStatus.PROPOSED
    evidence_quote: str | None = None
    evidence_language: str | None = None


@dataclass(frozen=True)
class GradeLevel:
    level: str
    name: str
    ordinal: int
    name_fr: str | None = None
    description: str | None = None


class MappingWriter:
    def __init__(self, store: GraphStore, on_change: Callable[[], None] = lambda: None) -> None:
        self.store = store
        self.on_change = on_change  # e.g. drop the cached mapping graph of this process

    def _owners(self, frameworks: list[str]) -> dict[str, str | None]:
        rows = self.store.read(q.SCALE_OWNERS, {"frameworks": frameworks})
        return {r["framework"]: r["administration"] for r in rows}

    def create(self, principal: Principal, new: NewMapping) -> dict[str, Any]:
        problems = []
        found = CodeResolver(self.store).many(NodeLabel.LEVEL, [new.from_level, new.to_level])
        for field_name in ("from_level", "to_level"):
            code = getattr(new, field_name)
            if code not in found:
                problems.append(FieldProblem(field_name, N_("unknown level"), code))
        if problems:
            raise InvalidInput(problems)
        new = replace(new, from_level=found[new.from_level], to_level=found[new.to_level])
        frameworks = [framework_of(new.from_level), framework_of(new.to_level)]
        if frameworks[0] == frameworks[1]:
            raise InvalidInput([FieldProblem(
                "to_level", N_("a mapping joins levels of two different frameworks"),
                new.to_level)])
        owners = self._owners(frameworks)
        own = principal.administration
        if not principal.is_admin and (own is None or own not in owners.values()):
            raise Forbidden(N_("an administration key may only map levels of its own grade scale"))
        if new.review_status != ReviewStatus.PROPOSED and not principal.is_admin:
            raise Forbidden(N_("only an admin may record a mapping as accepted directly"))
        props: dict[str, Any] = {
            "id": f"map:{uuid.uuid4().hex[:16]}", "match_type": MatchType(new.match_type).value,
            "confidence": new.confidence, "method": MappingMethod(new.method),
            "review_status": ReviewStatus(new.review_status),
            # a writer's claim is unverified evidence; one it marks illustrative stays so
            "status": EvidenceStatus.ILLUSTRATIVE if new.method == MappingMethod.ILLUSTRATIVE
            else EvidenceStatus.UNVERIFIED,
            "asserted_by": principal.role, "owner": _owner(own) if own else None,
            "date": new.date or date.today().isoformat(),
            "source_document": new.source_document, "source_publisher": new.source_publisher,
            "source_year": new.source_year, "source_url": new.source_url, "note": new.note,
            "historical": False, "evidence_quote": new.evidence_quote,
            "evidence_language": new.evidence_language,
        }
        audit = entry(principal, "mapping.create", "Mapping", props["id"], None,
                      {**props, "from_level": new.from_level, "to_level": new.to_level},
                      owner=props["owner"])
        rows = write_audited(self.store, q.CREATE_MAPPING, {
            "from_level": new.from_level, "to_level": new.to_level, "props": props}, audit)
        created = mapping_view(rows[0])
        self.on_change()
        return created

    def _existing(self, mapping_id: str) -> dict[str, Any]:
        rows = self.store.read(q.MAPPING_BY_ID, {"id": mapping_id})
        if not rows:
            raise NotFound("Mapping", mapping_id)
        return rows[0]

    def review(self, principal: Principal, mapping_id: str, decision: str,
               reason: str | None) -> dict[str, Any]:
        if not principal.may_review():
            raise Forbidden(N_("only an admin or a reviewer key may review mappings"))
        if decision != "accept" and not (reason or "").strip():
            raise InvalidInput([FieldProblem(
                "body.reason", N_("a reason is required to %(decision)s"),
                params={"decision": decision})])
        before = mapping_view(self._existing(mapping_id))
        props = {"review_status": DECISIONS[decision], "review_reason": reason,
                 "reviewed_by": principal.role,
                 "reviewed_at": datetime.now(UTC).isoformat(timespec="seconds")}
        audit = entry(principal, f"mapping.{decision}", "Mapping", mapping_id, before,
                      {**before, **props}, owner=before.get("owner"))
        rows = write_audited(self.store, q.UPDATE_MAPPING, {"id": mapping_id, "props": props},
                             audit)
        if not rows:
            raise NotFound("Mapping", mapping_id)
        after = mapping_view(rows[0])
        self.on_change()
        return after

    def retract(self, principal: Principal, mapping_id: str) -> None:
        row = self._existing(mapping_id)
        owner = row["mapping"].get("owner")
        own = _owner(principal.administration) if principal.administration else None
        if not principal.is_admin and (own is None or own != owner):
            raise Forbidden(N_("only the asserting administration or an admin may retract it"))
        before = mapping_view(row)
        write_audited(self.store, q.DELETE_MAPPING, {"id": mapping_id},
                      entry(principal, "mapping.retract", "Mapping", mapping_id, before, None,
                            owner=owner))
        self.on_change()

    def upsert_administration(self, principal: Principal, code: str,
                              props: dict[str, Any]) -> dict[str, Any]:
        if not principal.is_admin:
            raise Forbidden(N_("only an admin may register an administration"))
        code = CodeResolver(self.store).find(NodeLabel.ADMINISTRATION, code) or code
        before = self.store.read(q.ADMINISTRATION, {"code": code})
        old = before[0]["node"] if before else None
        audit = entry(principal, "administration.put", "Administration", code, old,
                      {**(old or {}), **props, "code": code}, owner=_owner(code))
        node = write_audited(self.store, q.UPSERT_ADMINISTRATION,
                             {"code": code, "props": props}, audit)[0]
        return node["node"]

    def register_scale(self, principal: Principal, administration: str, framework: str,
                       framework_props: dict[str, Any], levels: list[GradeLevel]) -> dict:
        if not principal.may_write_administration(administration):
            raise Forbidden()
        resolver = CodeResolver(self.store)
        administration = resolver.require(NodeLabel.ADMINISTRATION, administration)
        framework = self._own_scale(resolver, administration, framework)
        self._check_levels(levels)
        existing = self.store.read(q.SCALE_LEVELS, {"framework": framework})
        stored = {r["code"].lower(): r["code"] for r in existing}
        codes = [stored.get(f"{framework}:{lv.level}".lower(), f"{framework}:{lv.level}")
                 for lv in levels]
        wanted = set(codes)
        dropped = [r for r in existing if r["code"] not in wanted]
        blocked = [r["code"] for r in dropped if r["mappings"]]
        if blocked:
            raise LevelsClash(LEVEL_MAPPED, levels=tuple(blocked))
        rows = [{"code": code, "framework": framework, "level": code.split(":", 1)[1],
                 "name": lv.name, "name_fr": lv.name_fr, "ordinal": lv.ordinal,
                 "description": lv.description, **_asserted(framework_props)}
                for code, lv in zip(codes, levels, strict=True)]
        audit = entry(principal, "scale.put", "Framework", framework,
                      {"levels": [r["code"] for r in existing]},
                      {"levels": sorted(wanted)}, owner=_owner(administration))
        write_audited(self.store, q.UPSERT_SCALE, {
            "administration": administration, "framework": framework,
            "framework_props": {**framework_props, "kind": "grade_scale"}, "levels": rows,
            "drop": [r["code"] for r in dropped]}, audit)
        self.on_change()
        return {"framework": framework, "administration": administration,
                "levels": sorted(wanted), "removed": [r["code"] for r in dropped]}

    def _own_scale(self, resolver: CodeResolver, administration: str, framework: str) -> str:
        """The stored code of the scale to write: a new code, or (in any letter case) the
        administration's own grade scale. Any other framework — a reference framework (EQF,
        ISCED, QF-EHEA, an NQF, the CQF) or another's scale — is never written here (409)."""
        stored = resolver.find(NodeLabel.FRAMEWORK, framework)
        if stored is None:
            return framework
        owner = self.store.read(q.SCALE_OWNERS, {"frameworks": [stored]})
        if not any(r["administration"] == administration and r["kind"] == "grade_scale"
                   for r in owner):
            raise CodeTaken(SCALE_TAKEN, NodeLabel.FRAMEWORK.value, framework, stored)
        return stored

    @staticmethod
    def _check_levels(levels: list[GradeLevel]) -> None:
        if not levels:
            raise InvalidInput([FieldProblem("body.levels",
                                             N_("a scale needs at least one level"))])
        seen: set[str] = set()
        clashing: list[str] = []
        for lv in levels:
            if lv.level.lower() in seen:  # one code, one thing: G1 and g1 are one level
                clashing.append(lv.level)
            seen.add(lv.level.lower())
        if clashing:
            raise LevelsClash(SAME_LEVEL, levels=tuple(clashing))


def _asserted(framework_props: dict[str, Any]) -> dict[str, Any]:
    return {k: framework_props.get(k) for k in
            ("status", "source_document", "source_publisher", "source_year", "source_url")}

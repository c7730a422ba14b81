"""The audit trail: every write leaves who, when, what, before and after.

``before``/``after`` are stored as JSON text (graph properties hold scalars only). An entry's
``owner`` is the institution or administration the target belongs to, so owners can read the
entries about their data whoever wrote them.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Any, LiteralString

from app.domain.auth import Principal
from app.domain.parts import touched
from app.domain.vocab import RoleKind, scoped_role
from app.graph.cypher.access import auth as q
from app.graph.cypher.audited import AUDIT_FIELDS, audited
from app.graph.parts import PREFIX
from app.graph.port import GraphStore, Row


def new_entry_code(at: str) -> str:
    return f"{at}-{secrets.token_hex(4)}"


def entry(principal: Principal, action: str, target_kind: str, target_code: str,
          before: dict | None, after: dict | None, owner: str | None = None) -> dict[str, Any]:
    """One audit entry's values. ``owner`` defaults to the principal's own scope."""
    at = datetime.now(UTC).isoformat(timespec="microseconds")
    return {"code": new_entry_code(at), "at": at, "key_id": principal.key_id,
            "role": principal.role, "action": action, "target_kind": target_kind,
            "target_code": target_code, "owner": owner or _scope_of(principal),
            "before": _dump(before), "after": _dump(after)}


def write_audited(store: GraphStore, query: LiteralString, params: dict[str, Any],
                  audit: dict[str, Any]) -> list[Row]:
    """Run a write and create its audit entry in the same statement (app/graph/cypher/
    audited.py): both are stored or neither is, whatever fails and wherever it crashes.
    The same statement changes the state token of the parts of the graph it touched
    (``app.domain.parts.touched``: from the entry's target kind and owner)."""
    parts = [PREFIX + part for part in touched(audit["target_kind"], audit["owner"])]
    return store.write(audited(query), {**params, "audit_parts": parts,
                                        **{f"audit_{k}": audit[k] for k in AUDIT_FIELDS}})


def _scope_of(principal: Principal) -> str | None:
    if principal.institution:
        return scoped_role(RoleKind.INSTITUTION, principal.institution)
    if principal.administration:
        return scoped_role(RoleKind.ADMINISTRATION, principal.administration)
    return None


def _dump(value: dict | None) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, default=str)


def _load(value: str | None) -> Any:
    return None if value is None else json.loads(value)


def read_audit(store: GraphStore, principal: Principal, *, limit: int, offset: int,
               target_code: str | None = None) -> dict[str, Any]:
    """Admins read every entry; any other key reads entries it wrote and entries about the
    institution or administration it owns."""
    params = {
        "key_id": None if principal.is_admin else principal.key_id,
        "owner": None if principal.is_admin else _scope_of(principal),
        "target_code": target_code, "limit": limit, "offset": offset,
    }
    total = store.read(q.COUNT_AUDIT, params)[0]["total"]
    rows = store.read(q.LIST_AUDIT, params)
    items = [{**row, "before": _load(row["before"]), "after": _load(row["after"])}
             for row in rows]
    next_offset = offset + len(items) if offset + len(items) < total else None
    return {"items": items, "total": total, "limit": limit, "offset": offset,
            "next_offset": next_offset}

"""API keys: created (secret shown once), stored only as a SHA-256 hash, revocable, with the
time of last use. A key reads ``cqf_<key_id>_<secret>``: the public id finds the node, the
hash of the whole key is compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime
from typing import Any

from app.domain.auth import Principal, valid_role
from app.domain.errors import FieldProblem, InvalidInput, NotFound, Unauthorized
from app.domain.text import N_
from app.domain.vocab import RoleKind
from app.graph.cypher.access import auth as q
from app.graph.port import GraphStore
from app.services.access.audit import entry, write_audited

KEY_FORMAT = re.compile(r"^cqf_(?P<key_id>[a-f0-9]{12})_[A-Za-z0-9_-]{20,100}$")
# Writing last_used_at on every request would turn each read of a key into a write; once a
# minute is precise enough for "when was this key last used".
TOUCH_EVERY_SECONDS = 60
CLI = Principal(key_id="cli", role=RoleKind.ADMIN.value)  # the operator at the command line


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def create_key(store: GraphStore, role: str, label: str | None = None,
               by: Principal | None = None) -> dict[str, Any]:
    """Create a key; the returned ``key`` is the only time the secret is ever visible."""
    if not valid_role(role):
        raise InvalidInput([FieldProblem(
            "role", N_("expected admin, reviewer, institution:{code} or administration:{code}"),
            role)])
    key_id = secrets.token_hex(6)
    key = f"cqf_{key_id}_{secrets.token_urlsafe(32)}"
    created = now_iso()
    write_audited(store, q.CREATE_KEY, {"code": key_id, "hash": hash_key(key), "role": role,
                                        "label": label, "now": created,
                                        "created_by": (by or CLI).key_id},
                  entry(by or CLI, "create", "ApiKey", key_id, None,
                        {"role": role, "label": label}))
    return {"key_id": key_id, "key": key, "role": role, "label": label, "created_at": created}


def authenticate(store: GraphStore, key: str | None) -> Principal:
    """The principal of a presented key; ``Unauthorized`` for missing, unknown, revoked."""
    match = KEY_FORMAT.match(key or "")
    if not match:
        raise Unauthorized()
    rows = store.read(q.KEY_BY_ID, {"code": match["key_id"]})
    if not rows or rows[0]["revoked_at"] or not hmac.compare_digest(
            rows[0]["hash"], hash_key(key or "")):
        raise Unauthorized()
    _touch(store, rows[0])
    return Principal(key_id=rows[0]["code"], role=rows[0]["role"])


def _touch(store: GraphStore, row: dict[str, Any]) -> None:
    now = datetime.now(UTC)
    last = row.get("last_used_at")
    if last and (now - datetime.fromisoformat(last)).total_seconds() < TOUCH_EVERY_SECONDS:
        return
    store.write(q.TOUCH_KEY, {"code": row["code"], "now": now.isoformat(timespec="seconds")})


def revoke_key(store: GraphStore, key_id: str, by: Principal | None = None) -> dict[str, Any]:
    now = now_iso()
    rows = write_audited(store, q.REVOKE_KEY, {"code": key_id, "now": now},
                         entry(by or CLI, "revoke", "ApiKey", key_id, None,
                               {"revoked_at": now}))
    if not rows:
        raise NotFound("ApiKey", key_id)
    return {"key_id": key_id, "revoked_at": rows[0]["revoked_at"]}


def list_keys(store: GraphStore) -> list[dict[str, Any]]:
    """Every key without its hash: id, role, label, created, last used, revoked."""
    return store.read(q.LIST_KEYS)

"""API keys and the audit trail. Service-internal nodes: ``ApiKey`` (code = public key id,
``hash`` = SHA-256 of the secret) and ``AuditEntry``. Neither is in the full-text index."""

from __future__ import annotations

from typing import LiteralString

CREATE_KEY: LiteralString = (
    "CREATE (k:ApiKey {code: $code, hash: $hash, role: $role, label: $label, "
    "created_at: $now, created_by: $created_by, last_used_at: null, revoked_at: null}) "
    "RETURN k.code AS code"
)

KEY_BY_ID: LiteralString = (
    "MATCH (k:ApiKey {code: $code}) RETURN k.code AS code, k.hash AS hash, k.role AS role, "
    "k.revoked_at AS revoked_at, k.last_used_at AS last_used_at"
)

TOUCH_KEY: LiteralString = "MATCH (k:ApiKey {code: $code}) SET k.last_used_at = $now"

REVOKE_KEY: LiteralString = (
    "MATCH (k:ApiKey {code: $code}) SET k.revoked_at = coalesce(k.revoked_at, $now) "
    "RETURN k.code AS code, k.revoked_at AS revoked_at"
)

LIST_KEYS: LiteralString = (
    "MATCH (k:ApiKey) RETURN k.code AS key_id, k.role AS role, k.label AS label, "
    "k.created_at AS created_at, k.created_by AS created_by, k.last_used_at AS last_used_at, "
    "k.revoked_at AS revoked_at ORDER BY k.created_at, k.code"
)

_AUDIT_FILTER: LiteralString = (
    "MATCH (a:AuditEntry) WHERE ($key_id IS NULL OR a.key_id = $key_id "
    "OR ($owner IS NOT NULL AND a.owner = $owner)) "
    "AND ($target_code IS NULL OR a.target_code = $target_code) "
)

LIST_AUDIT: LiteralString = (
    _AUDIT_FILTER
    + "RETURN a.code AS id, a.at AS at, a.key_id AS key_id, a.role AS role, a.action AS action, "
    "a.target_kind AS target_kind, a.target_code AS target_code, a.owner AS owner, "
    "a.before AS before, a.after AS after ORDER BY a.at DESC, a.code DESC "
    "SKIP $offset LIMIT $limit"
)

COUNT_AUDIT: LiteralString = _AUDIT_FILTER + "RETURN count(a) AS total"

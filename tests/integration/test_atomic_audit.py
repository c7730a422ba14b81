"""A write and its audit entry are one statement: when the store refuses either part, neither
is stored (no audit without its change, no change without its audit)."""

from __future__ import annotations

import pytest

from app.domain.auth import Principal
from app.domain.errors import NotFound
from app.graph.port import ConstraintViolation, GraphStore
from app.services.access import audit, keys
from app.services.equivalence.writes import MappingWriter

ADMIN = Principal(key_id="atomic-test", role="admin")


def _count(store: GraphStore, query: str, **params: object) -> int:
    return store.read(query, params)[0]["n"]  # type: ignore[arg-type]


def _entries(store: GraphStore, code: str) -> int:
    return _count(store, "MATCH (a:AuditEntry) WHERE a.target_code = $code "
                         "RETURN count(a) AS n", code=code)


def test_a_refused_audit_entry_takes_its_change_with_it(
        writable_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store refuses the entry (its code collides with an existing one: the unique
    constraint on AuditEntry.code); the administration it records must not be written."""
    writer = MappingWriter(writable_store)
    writer.upsert_administration(ADMIN, "ADM-ATOMIC-1", {"name": "First"})
    taken = writable_store.read("MATCH (a:AuditEntry) WHERE a.target_code = 'ADM-ATOMIC-1' "
                                "RETURN a.code AS code")[0]["code"]
    monkeypatch.setattr(audit, "new_entry_code", lambda at: taken)
    with pytest.raises(ConstraintViolation):
        writer.upsert_administration(ADMIN, "ADM-ATOMIC-2", {"name": "Second"})
    assert _count(writable_store, "MATCH (a:Administration {code: 'ADM-ATOMIC-2'}) "
                                  "RETURN count(a) AS n") == 0
    assert _entries(writable_store, "ADM-ATOMIC-2") == 0


def test_a_refused_change_leaves_no_audit_entry(
        writable_store: GraphStore, monkeypatch: pytest.MonkeyPatch) -> None:
    """The store refuses the change (a key id that exists: unique constraint on
    ApiKey.code); no entry may claim the key was created."""
    first = keys.create_key(writable_store, "reviewer", "first", by=ADMIN)
    monkeypatch.setattr(keys.secrets, "token_hex", lambda n: first["key_id"])
    with pytest.raises(ConstraintViolation):
        keys.create_key(writable_store, "admin", "impostor", by=ADMIN)
    assert _entries(writable_store, first["key_id"]) == 1  # the first creation only
    roles = writable_store.read("MATCH (k:ApiKey {code: $code}) RETURN k.role AS role",
                                {"code": first["key_id"]})
    assert roles == [{"role": "reviewer"}]


def test_each_write_leaves_exactly_one_entry_and_a_no_op_none(
        writable_store: GraphStore) -> None:
    writer = MappingWriter(writable_store)
    writer.upsert_administration(ADMIN, "ADM-ATOMIC-3", {"name": "Third"})
    assert _entries(writable_store, "ADM-ATOMIC-3") == 1
    made = keys.create_key(writable_store, "reviewer", by=ADMIN)
    keys.revoke_key(writable_store, made["key_id"], by=ADMIN)
    assert _entries(writable_store, made["key_id"]) == 2
    with pytest.raises(NotFound, match="no API key with code '000000000000'"):
        keys.revoke_key(writable_store, "000000000000", by=ADMIN)  # nothing matched
    assert _entries(writable_store, "000000000000") == 0

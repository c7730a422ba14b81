"""Answers of the access capability: API keys and the audit trail."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class KeyView(BaseModel):
    key_id: str = Field(description="the key's public id (the part after `cqf_`)")
    role: str
    label: str | None
    created_at: str
    created_by: str | None
    last_used_at: str | None
    revoked_at: str | None


class KeyList(BaseModel):
    items: list[KeyView]


class NewKey(BaseModel):
    key_id: str
    key: str = Field(description="the secret; shown only in this answer")
    role: str
    label: str | None
    created_at: str


class RevokedKey(BaseModel):
    key_id: str
    revoked_at: str


class AuditEntry(BaseModel):
    id: str
    at: str
    key_id: str | None
    role: str | None
    action: str
    target_kind: str
    target_code: str
    owner: str | None
    before: Any = Field(description="the target's state before the write (null if new)")
    after: Any = Field(description="the target's state after the write (null if removed)")


class AuditPage(BaseModel):
    items: list[AuditEntry]
    total: int
    limit: int
    offset: int
    next_offset: int | None

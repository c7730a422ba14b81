"""Admin endpoints for API keys: create (the secret is shown once), list, revoke."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel, Field

from app.api.deps import Store, WriteKey
from app.api.params import KeyId, Text
from app.api.rate_limit import LOOKUP, WRITE
from app.api.schemas.access import KeyList, NewKey, RevokedKey
from app.domain.auth import ROLE_PATTERN
from app.domain.errors import Forbidden
from app.domain.text import N_
from app.services.access import keys

router = APIRouter(prefix="/keys", tags=["keys"])


class KeyRequest(BaseModel):
    role: str = Field(description="admin, reviewer, institution:{code} or administration:{code}",
                      max_length=120, pattern=ROLE_PATTERN.pattern)
    label: Text | None = Field(None, max_length=200, description="a note saying whose key it is")


def _admin(principal: WriteKey) -> None:
    if not principal.is_admin:
        raise Forbidden(N_("only an admin key may manage keys"))


@router.post("", dependencies=[WRITE], status_code=201, response_model=NewKey,
             summary="Create a key; the secret in `key` is shown only in this answer")
def create_key(body: KeyRequest, principal: WriteKey, store: Store) -> dict:
    _admin(principal)
    return keys.create_key(store, body.role, body.label, by=principal)


@router.get("", dependencies=[LOOKUP], response_model=KeyList)
def list_keys(principal: WriteKey, store: Store) -> dict:
    _admin(principal)
    return {"items": keys.list_keys(store)}


@router.delete("/{key_id}", dependencies=[WRITE], response_model=RevokedKey,
               summary="Revoke a key (it stops working at once)")
def revoke_key(key_id: KeyId, principal: WriteKey,
               store: Store) -> dict:
    _admin(principal)
    return keys.revoke_key(store, key_id, by=principal)

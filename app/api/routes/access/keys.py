"""Admin endpoints for API keys: create (the secret is shown once), list, revoke."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from app.api.deps import Store, WriteKey
from app.api.rate_limit import LOOKUP, WRITE
from app.api.schemas import Problem
from app.domain.errors import Forbidden
from app.services.access import keys

router = APIRouter(prefix="/keys", tags=["keys"])
ERRORS = {401: {"model": Problem}, 403: {"model": Problem}, 422: {"model": Problem}}


class KeyRequest(BaseModel):
    role: str = Field(description="admin, reviewer, institution:{code} or administration:{code}",
                      max_length=120)
    label: str | None = Field(None, max_length=200, description="a note saying whose key it is")


def _admin(principal: WriteKey) -> None:
    if not principal.is_admin:
        raise Forbidden("only an admin key may manage keys")


@router.post("", dependencies=[WRITE], status_code=201, responses=ERRORS,
             summary="Create a key; the secret in `key` is shown only in this answer")
def create_key(body: KeyRequest, principal: WriteKey, store: Store) -> dict:
    _admin(principal)
    return keys.create_key(store, body.role, body.label, by=principal)


@router.get("", dependencies=[LOOKUP], responses=ERRORS)
def list_keys(principal: WriteKey, store: Store) -> dict:
    _admin(principal)
    return {"items": keys.list_keys(store)}


@router.delete("/{key_id}", dependencies=[WRITE],
               responses=ERRORS, summary="Revoke a key (it stops working at once)")
def revoke_key(key_id: Annotated[str, Path(max_length=40)], principal: WriteKey,
               store: Store) -> dict:
    _admin(principal)
    return keys.revoke_key(store, key_id, by=principal)

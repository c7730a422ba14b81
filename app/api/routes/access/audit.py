"""The audit trail: admins read every entry, other keys the entries about what they own."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from app.api.deps import Limit, Offset, Store, WriteKey
from app.api.rate_limit import LOOKUP
from app.api.schemas import Problem
from app.services.access.audit import read_audit

router = APIRouter(tags=["keys"])


@router.get("/audit", dependencies=[LOOKUP], responses={401: {"model": Problem}})
def audit(principal: WriteKey, store: Store, limit: Limit = 50, offset: Offset = 0,
          target: Annotated[str | None, Query(max_length=200)] = None) -> dict:
    return read_audit(store, principal, limit=limit, offset=offset, target_code=target)

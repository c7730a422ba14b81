"""The audit trail: admins read every entry, other keys the entries about what they own."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import Store, WriteKey
from app.api.params import Limit, LongCodeQuery, Offset
from app.api.rate_limit import LOOKUP
from app.api.schemas.access import AuditPage
from app.services.access.audit import read_audit

router = APIRouter(tags=["keys"])


@router.get("/audit", dependencies=[LOOKUP], response_model=AuditPage)
def audit(principal: WriteKey, store: Store, limit: Limit = 50, offset: Offset = 0,
          target: LongCodeQuery = None) -> dict:
    return read_audit(store, principal, limit=limit, offset=offset, target_code=target)

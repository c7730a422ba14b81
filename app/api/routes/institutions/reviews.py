"""Review states of course mappings: list them (public), accept or reject (admin/reviewer)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, Field

from app.api.deps import Limit, Offset, Store, WriteKey
from app.api.rate_limit import LOOKUP, WRITE
from app.api.schemas import Problem
from app.domain.identity import course_key
from app.services.institutions import reviews

router = APIRouter(prefix="/course-mappings", tags=["reviews"])
Code = Annotated[str, Path(min_length=1, max_length=100)]


class Decision(BaseModel):
    decision: Literal["accepted", "rejected"]
    reason: str | None = Field(None, max_length=2000, description="required when rejecting")


@router.get("", dependencies=[LOOKUP])
def list_course_mappings(
        store: Store, limit: Limit = 50, offset: Offset = 0,
        review_status: Annotated[str | None,
                                 Query(pattern="^(proposed|accepted|rejected)$")] = None,
        institution: Annotated[str | None, Query(max_length=100)] = None) -> dict:
    return reviews.list_mappings(store, review_status=review_status, institution=institution,
                                 limit=limit, offset=offset)


@router.post("/{institution}/{programme}/{course}/{kind}/{target}/review", dependencies=[WRITE],
             responses={401: {"model": Problem}, 403: {"model": Problem},
                        404: {"model": Problem}, 422: {"model": Problem}},
             summary="Accept or reject a course mapping (the course named by its owner)")
def review_scoped_course_mapping(institution: Code, programme: Code, course: Code,
                                 kind: Literal["develops", "aligns_with"], target: Code,
                                 body: Decision, principal: WriteKey, store: Store) -> dict:
    return reviews.review(store, principal, course_key(institution, programme, course), kind,
                          target, body.decision, body.reason)


@router.post("/{course}/{kind}/{target}/review", dependencies=[WRITE],
             responses={401: {"model": Problem}, 403: {"model": Problem},
                        404: {"model": Problem}, 422: {"model": Problem}})
def review_course_mapping(course: Code, kind: Literal["develops", "aligns_with"], target: Code,
                          body: Decision, principal: WriteKey, store: Store) -> dict:
    return reviews.review(store, principal, course, kind, target, body.decision, body.reason)


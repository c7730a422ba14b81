"""Review states of course mappings: list them (public), accept or reject (admin/reviewer)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Store, WriteKey
from app.api.params import (
    Code,
    CodeQuery,
    CourseMappingKind,
    Limit,
    Offset,
    Text,
    reason_required_for,
)
from app.api.rate_limit import QUERY, WRITE
from app.api.schemas.institutions import CourseMappingPage, CourseMappingView
from app.domain.identity import course_key
from app.services.institutions import reviews

router = APIRouter(prefix="/course-mappings", tags=["reviews"])


class Decision(BaseModel):
    model_config = ConfigDict(json_schema_extra=reason_required_for(
        "decision", ["accepted"], ["rejected"]))

    decision: Literal["accepted", "rejected"]
    reason: Text | None = Field(None, max_length=2000, description="required when rejecting")


@router.get("", dependencies=[QUERY], response_model=CourseMappingPage)  # reads them all
def list_course_mappings(
        store: Store, limit: Limit = 50, offset: Offset = 0,
        review_status: Annotated[str | None,
                                 Query(pattern="^(proposed|accepted|rejected)$")] = None,
        institution: CodeQuery = None) -> dict:
    return reviews.list_mappings(store, review_status=review_status, institution=institution,
                                 limit=limit, offset=offset)


@router.post("/{institution}/{programme}/{course}/{kind}/{target}/review", dependencies=[WRITE],
             response_model=CourseMappingView,
             summary="Accept or reject a course mapping (the course named by its owner)")
def review_scoped_course_mapping(institution: Code, programme: Code, course: Code,
                                 kind: CourseMappingKind, target: Code,
                                 body: Decision, principal: WriteKey, store: Store) -> dict:
    return reviews.review(store, principal, course_key(institution, programme, course), kind,
                          target, body.decision, body.reason)


@router.post("/{course}/{kind}/{target}/review", dependencies=[WRITE],
             response_model=CourseMappingView)
def review_course_mapping(course: Code, kind: CourseMappingKind, target: Code,
                          body: Decision, principal: WriteKey, store: Store) -> dict:
    return reviews.review(store, principal, course, kind, target, body.decision, body.reason)


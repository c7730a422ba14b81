"""Level-to-level mappings as first-class records: list, one with provenance, quality."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel

from app.api.deps import Limit, Offset, Store
from app.api.schemas import Problem, Source
from app.services.mappings import MappingService

router = APIRouter(tags=["mappings"])
Framework = Annotated[str | None, Query(max_length=100)]
ReviewStatusQuery = Annotated[
    str | None, Query(pattern="^(proposed|accepted|rejected|superseded)$")]
MethodQuery = Annotated[str | None, Query(
    pattern="^(official_referencing|comparison_study|expert_panel|computed|illustrative)$")]


def get_mappings(store: Store) -> MappingService:
    return MappingService(store)


Mappings = Annotated[MappingService, Depends(get_mappings)]


class MappingView(BaseModel):
    id: str
    from_level: str
    to_level: str
    from_framework: str
    to_framework: str
    match_type: str
    confidence: float | None = None
    method: str | None = None
    review_status: str | None = None
    status: str | None = None
    asserted_by: str | None = None
    date: str | None = None
    historical: bool | None = None
    note: str | None = None
    review_reason: str | None = None
    reviewed_by: str | None = None
    reviewed_at: str | None = None
    illustrative: bool
    source: Source


class MappingPage(BaseModel):
    items: list[MappingView]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class QualityAnswer(BaseModel):
    include_proposed: bool
    defect_count: int
    unmapped_levels: list[dict[str, Any]]
    contradictory_exact_matches: list[dict[str, Any]]
    own_framework_cycles: list[dict[str, Any]]
    fan_out: list[dict[str, Any]]


@router.get("/mappings", response_model=MappingPage, responses={422: {"model": Problem}})
def list_mappings(service: Mappings, limit: Limit = 50, offset: Offset = 0,
                  from_framework: Framework = None, to_framework: Framework = None,
                  framework: Framework = None, review_status: ReviewStatusQuery = None,
                  method: MethodQuery = None,
                  level: Annotated[str | None, Query(max_length=200)] = None) -> dict:
    return service.list(limit=limit, offset=offset, from_framework=from_framework,
                        to_framework=to_framework, framework=framework,
                        review_status=review_status, method=method, level=level)


@router.get("/mappings/quality", response_model=QualityAnswer,
            summary="Mapping defects: unmapped levels, contradictions, cycles, fan-out")
def mapping_quality(service: Mappings, include: Annotated[
        str | None, Query(pattern="^proposed$")] = None) -> dict:
    return service.quality(include_proposed=include is not None)


@router.get("/mappings/{mapping_id}", response_model=MappingView,
            responses={404: {"model": Problem}})
def get_mapping(mapping_id: Annotated[str, Path(max_length=300)], service: Mappings) -> dict:
    return service.get(mapping_id)

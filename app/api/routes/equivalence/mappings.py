"""Level-to-level mappings as first-class records: list, one with provenance, quality."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.api.deps import Store, WriteKey
from app.api.openapi import Responses
from app.api.params import (
    LEVEL_CODE,
    NO_NUL,
    Include,
    IsoDate,
    LanguageTag,
    Limit,
    LongCodeQuery,
    MappingId,
    Offset,
    Text,
    WebUrl,
    Year,
    reason_required_for,
)
from app.api.rate_limit import LOOKUP, QUERY, WRITE
from app.api.schemas import Evidence, Source
from app.api.schemas.equivalence import QualityAnswer
from app.domain.vocab import MappingMethod, MatchType, ReviewStatus
from app.services.equivalence.records import MappingService
from app.services.equivalence.writes import MappingWriter, NewMapping

router = APIRouter(tags=["mappings"])
Framework = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]
ReviewStatusQuery = Annotated[ReviewStatus | None, Query()]
MethodQuery = Annotated[MappingMethod | None, Query()]


async def get_mappings(store: Store) -> MappingService:
    return MappingService(store)


Mappings = Annotated[MappingService, Depends(get_mappings)]


async def get_writer(request: Request, store: Store) -> MappingWriter:
    return MappingWriter(store, request.app.state.mapping_cache.recheck)


Writer = Annotated[MappingWriter, Depends(get_writer)]
WRITE_ERRORS: Responses = {404: {"description": "unknown mapping, level or framework"}}


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
    owner: str | None = None
    illustrative: bool
    source: Source
    evidence: Evidence | None = None


class MappingPage(BaseModel):
    items: list[MappingView]
    total: int
    limit: int
    offset: int
    next_offset: int | None


@router.get("/mappings", dependencies=[QUERY],  # filters and sorts every mapping
            response_model=MappingPage)
def list_mappings(service: Mappings, limit: Limit = 50, offset: Offset = 0,
                  from_framework: Framework = None, to_framework: Framework = None,
                  framework: Framework = None, review_status: ReviewStatusQuery = None,
                  method: MethodQuery = None,
                  level: LongCodeQuery = None) -> dict:
    return service.list(limit=limit, offset=offset, from_framework=from_framework,
                        to_framework=to_framework, framework=framework,
                        review_status=review_status, method=method, level=level)


@router.get("/mappings/quality", dependencies=[QUERY], response_model=QualityAnswer,
            summary="Mapping defects: unmapped levels, contradictions, cycles, fan-out")
def mapping_quality(service: Mappings, include: Include = None) -> dict:
    return service.quality(include_proposed=include is not None)


@router.get("/mappings/{mapping_id}", dependencies=[LOOKUP], response_model=MappingView)
def get_mapping(mapping_id: MappingId, service: Mappings) -> dict:
    return service.get(mapping_id)


class SourceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    document: Text = Field(min_length=1, max_length=500)
    publisher: Text | None = Field(None, max_length=300)
    year: Year | None = None
    url: WebUrl = None
    quote: Text | None = Field(None, min_length=1, max_length=300, description=(
        "verbatim excerpt of the document that states the mapping (needs url and "
        "quote_language)"))
    quote_language: Annotated[LanguageTag, Field(
        description="language tag of the quote, e.g. 'de'")] = None

    @model_validator(mode="after")
    def _quote_is_checkable(self) -> SourceIn:
        if self.quote and not (self.url and self.quote_language):
            raise ValueError("a quote needs the url it was read on and its quote_language")
        if self.quote_language and not self.quote:
            raise ValueError("quote_language is given without a quote")
        return self


class MappingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # FRAMEWORK:LEVEL or FRAMEWORK/LEVEL in any case; stored as the level's own code.
    from_level: str = Field(min_length=3, max_length=200, pattern=LEVEL_CODE)
    to_level: str = Field(min_length=3, max_length=200, pattern=LEVEL_CODE)
    match_type: MatchType
    confidence: float = Field(ge=0.0, le=1.0, strict=True)
    method: MappingMethod
    source: SourceIn
    date: IsoDate | None = Field(None, description="when the mapping was asserted")
    note: Text | None = Field(None, max_length=2000)
    review_status: str = Field(ReviewStatus.PROPOSED.value,
                               pattern=f"^({ReviewStatus.PROPOSED}|{ReviewStatus.ACCEPTED})$",
                               description="only an admin may assert 'accepted' directly")


class ReviewIn(BaseModel):
    """Rejecting or superseding a mapping says why (the service names the missing reason)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=reason_required_for(
        "decision", ["accept"], ["reject", "supersede"]))

    decision: Literal["accept", "reject", "supersede"]
    reason: Text | None = Field(None, max_length=2000)


@router.post("/mappings", dependencies=[WRITE],
             response_model=MappingView, status_code=201, responses=WRITE_ERRORS,
             summary="Propose a level mapping (admin, or an administration for its own scale)")
def create_mapping(body: MappingIn, principal: WriteKey, writer: Writer) -> dict:
    return writer.create(principal, NewMapping(
        from_level=body.from_level, to_level=body.to_level, match_type=body.match_type.value,
        confidence=body.confidence, method=body.method, source_document=body.source.document,
        source_publisher=body.source.publisher, source_year=body.source.year,
        source_url=body.source.url, date=body.date, note=body.note,
        review_status=body.review_status, evidence_quote=body.source.quote,
        evidence_language=body.source.quote_language))


@router.post("/mappings/{mapping_id}/review", dependencies=[WRITE], response_model=MappingView,
             responses=WRITE_ERRORS, summary="Accept, reject or supersede a mapping")
def review_mapping(mapping_id: MappingId, body: ReviewIn, principal: WriteKey,
                   writer: Writer) -> dict:
    return writer.review(principal, mapping_id, body.decision, body.reason)


@router.delete("/mappings/{mapping_id}", dependencies=[WRITE],
               status_code=204, responses=WRITE_ERRORS,
               summary="Retract a mapping (its asserting administration or an admin)")
def retract_mapping(mapping_id: MappingId, principal: WriteKey, writer: Writer) -> Response:
    writer.retract(principal, mapping_id)
    return Response(status_code=204)

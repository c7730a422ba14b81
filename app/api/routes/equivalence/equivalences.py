"""GET /equivalences: what a level (or a programme's level) is worth in other frameworks."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import cached_answer
from app.api.deps import store_of
from app.api.params import FRAMEWORK_CODE, LEVEL, Include, Lang
from app.api.problems import answer_language, language_headers
from app.api.rate_limit import QUERY
from app.api.schemas import Evidence, Source
from app.domain import parts
from app.domain.equivalence import DEFAULT_DEPTH, MAX_DEPTH
from app.services.equivalence.answers import PARTS as MAPPING_PARTS
from app.services.equivalence.answers import EquivalenceService

router = APIRouter(tags=["equivalence"])


def answer_parts(start: str) -> tuple[str, ...]:
    """An equivalence rests on levels and mappings; from a programme, on its courses' part
    too (the programme's level is read from it)."""
    if start.lower().startswith("programme:"):
        return (*MAPPING_PARTS, parts.COURSES)
    return MAPPING_PARTS


# A level, or a programme (``programme:`` in any case, then its code) whose level to start at.
START = rf"^({LEVEL}|[Pp][Rr][Oo][Gg][Rr][Aa][Mm][Mm][Ee]:[^\x00]+)$"


def equivalence_service(request: Request) -> EquivalenceService:
    """Built in the route, not as a dependency: on a kept answer FastAPI's dependency solving
    was a measurable share of the request (docs/benchmarks.md)."""
    return EquivalenceService(store_of(request), request.app.state.mapping_cache)


class PathStep(BaseModel):
    mapping_id: str
    from_level: str
    to_level: str
    direction: Literal["forward", "backward"]
    stored_match_type: str
    walked_match_type: str
    confidence: float | None
    method: str | None
    review_status: str
    status: str | None
    asserted_by: str | None
    date: str | None
    source_id: str = Field(description="the key of this step's source in the answer's "
                                       "`sources` (each distinct source is listed once)")
    note: str | None = Field(None, description="the mapping's note, e.g. which "
                             "qualifications of the level it covers")
    evidence: Evidence | None = Field(None, description=(
        "the verbatim quote of the source that states this mapping, its language and the "
        "page it was read on"))


class LevelSummary(BaseModel):
    code: str
    name: str | None
    framework: str
    ordinal: int | None


class EquivalenceItem(BaseModel):
    level: LevelSummary
    match_type: str
    confidence: float
    hops: int
    evidence_status: str
    illustrative: bool
    path: list[PathStep]


class NoEquivalenceReason(BaseModel):
    kind: str
    detail: str
    framework: str | None = Field(None, description="no_level_table: the framework")
    referencing_year: int | None = Field(None, description="no_level_table: when it was "
                                         "referenced to the EQF")
    reason_lang: str | None = Field(None, description="unlevelled: the language of the "
                                    "framework's own reason (English where the data holds "
                                    "no French)")


class EquivalenceAnswer(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    from_level: str | None
    programme: dict[str, Any] | None
    to: str | None
    depth: int
    paths: str
    include_proposed: bool
    counted_review_statuses: list[str]
    notice: str | None = Field(description="set when proposed mappings were counted or any "
                                           "answer rests on illustrative data")
    frameworks: list[str] = Field(description="target frameworks in answer order: answers "
                                              "are grouped by framework, most trusted first")
    sources: dict[str, Source] = Field(description="each distinct source once, by id")
    equivalences: list[EquivalenceItem]
    total: int
    no_equivalence: NoEquivalenceReason | None


@router.get("/equivalences", dependencies=[QUERY],
            response_model=EquivalenceAnswer, response_model_by_alias=True,
            responses={404: {"description": "unknown level or programme"}},
            summary="Equivalent levels in other frameworks, with the evidence path")
async def equivalences(
    request: Request,
    from_: Annotated[str, Query(alias="from", min_length=3, max_length=200, pattern=START,
                                description="FRAMEWORK:LEVEL (e.g. IE-NFQ:8) or "
                                            "programme:CODE")],
    to: Annotated[str | None, Query(max_length=100, pattern=FRAMEWORK_CODE,
                                    description="target framework; omitted = all")] = None,
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH)] = DEFAULT_DEPTH,
    include: Include = None,
    paths: Annotated[Literal["best", "all"], Query()] = "best",
    lang: Lang = "en",
) -> Response:
    """The sentences (notice, why nothing was found) in ``lang``, else in the language
    ``Accept-Language`` prefers; codes, kinds and field names as they are."""
    proposed = include is not None
    service = equivalence_service(request)
    language = answer_language(request)
    return await cached_answer(
        request, ("equivalences", from_, to, depth, proposed, paths, language),
        lambda: service.equivalences(from_, to, depth=depth, include_proposed=proposed,
                                     paths=paths, lang=language),
        [service.cache], answer_parts(from_), language_headers(language))

"""Staff portability: ranked target roles with coverage, gaps and training; pairwise gaps."""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.answers import cached_answer
from app.api.deps import store_of
from app.api.params import (
    FRAMEWORK_CODE,
    WHOLE,
    Code,
    Lang,
    Text,
    exactly_one_of,
    held_competencies,
)
from app.api.problems import answer_language, language_headers
from app.api.rate_limit import QUERY
from app.api.schemas import Problem
from app.domain import parts
from app.services.careers.portability import (
    CANDIDATE_PARTS,
    PortabilityQuestion,
    PortabilityService,
)

router = APIRouter(tags=["portability"])


def portability_service(request: Request) -> PortabilityService:
    state = request.app.state
    return PortabilityService(store_of(request), state.candidate_cache, state.mapping_cache,
                              state.offer_cache)


async def get_portability(request: Request) -> PortabilityService:
    return portability_service(request)


Portability = Annotated[PortabilityService, Depends(get_portability)]


def _one_start(schema: dict[str, Any]) -> None:
    schema.update(exactly_one_of("from_profile", "competencies"))
    held_competencies(schema)


class PortabilityRequest(BaseModel):
    """Exactly one of ``from_profile`` and ``competencies`` (the service names what is
    wrong, every problem in one 422)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_one_start)

    from_profile: Text | None = Field(None, max_length=200,
                                      description="start from a job profile's requirements")
    competencies: dict[str, str] | None = Field(
        None, max_length=2000,
        description="an officer's own profile: competency code -> aware|trained|advanced|expert")
    administration: str | None = Field(None, min_length=1, max_length=100,
                                       pattern=FRAMEWORK_CODE,
                                       description="an administration's code, e.g. ADM-A")
    job_family: Text | None = Field(None, max_length=100)
    # Ranges are checked by the service with the codes, so one 422 lists every problem.
    min_coverage: float = Field(0.0, strict=True, json_schema_extra={"minimum": 0, "maximum": 1})
    limit: Annotated[int, Field(strict=True, json_schema_extra={"minimum": 1,
                                                               "maximum": 100}),
                     WHOLE] = 10
    with_training: bool = Field(False, strict=True)
    include: str | None = Field(None, pattern="^proposed$",
                                description="'proposed' also counts proposed course mappings")


class Gap(BaseModel):
    code: str = Field(description="the competency's code (as career answers key their gaps)")
    name: str | None
    required: str
    held: str | None


class TrainingCourse(BaseModel):
    code: str
    name: str | None
    institution: str | None
    programme: str | None
    ects: float | None
    cost: float
    closes: list[dict[str, str]]


class Training(BaseModel):
    cost_unit: str = Field(description="always ects")
    total_cost: float = Field(description="ECTS of the courses that state them")
    courses: list[TrainingCourse]
    unpriced_courses: list[dict[str, Any]] = Field(
        description="courses that state no ECTS: named apart, not in total_cost")
    uncovered: list[dict[str, Any]]


class Coverage(BaseModel):
    """Coverage of a target's requirements and the counts behind it (see the README)."""

    coverage: float | None
    required: int
    met: int
    partial: int
    missing: int
    gaps: list[Gap]


class PortabilityResult(Coverage):
    profile: dict[str, Any]
    level: dict[str, Any] | None
    equivalence_from_source: dict[str, Any] | None
    training: Training | None = None


class Evidence(BaseModel):
    """As every careers answer says it (career paths, plans, succession)."""

    evidence_status: str | None
    illustrative: bool
    notice: str | None


class PortabilityAnswer(Evidence):
    from_profile: str | None
    holder_size: int
    score_definition: str
    results: list[PortabilityResult]
    total: int
    reason: str | None = Field(description="why no profile is answered, when none is")


class GapAnswer(Coverage, Evidence):
    model_config = ConfigDict(populate_by_name=True)

    from_: dict[str, Any] = Field(alias="from")
    to: dict[str, Any]
    equivalence_from_source: dict[str, Any] | None
    score_definition: str


@router.post("/portability", dependencies=[QUERY],
             response_model=PortabilityAnswer, response_model_exclude_none=False,
             responses={422: {"model": Problem}},
             summary="Job profiles an officer or a role could move to, ranked by coverage")
async def portability(body: PortabilityRequest, request: Request,
                      lang: Lang = "en") -> Response:
    """The sentences (notice, score definition, reason) in ``lang``, else in the language
    ``Accept-Language`` prefers; codes and field names as they are."""
    service = portability_service(request)  # not a dependency: see equivalence_service
    language = answer_language(request)
    question = PortabilityQuestion(**body.model_dump(exclude={"include"}),
                                   include_proposed=body.include is not None, lang=language)
    models = [service.candidates, service.mappings]
    rests_on = (*CANDIDATE_PARTS, parts.MAPPINGS)
    if question.with_training:
        models.append(service.offers)
        rests_on = (*rests_on, parts.COURSES)
    key = ("portability", language,
           orjson.dumps(body.model_dump(), option=orjson.OPT_SORT_KEYS))
    return await cached_answer(request, key, lambda: service.portability(question), models,
                               rests_on, language_headers(language))


@router.get("/job-profiles/{a}/gap/{b}", dependencies=[QUERY], response_model=GapAnswer,
            responses={404: {"model": Problem}}, tags=["jobs"],
            summary="What someone in profile a lacks for profile b")
def gap(a: Code, b: Code, service: Portability, request: Request, response: Response,
        lang: Lang = "en") -> dict[str, Any]:
    language = answer_language(request)
    response.headers.update(language_headers(language))
    answer = service.gap(a, b, language)
    return {"from_": answer.pop("from"), **answer}

"""Career paths along a job family, career plans to a target profile, and succession.

Answers are serialised once and kept by the service (the JSON bytes of each canonical
question); the response models document them and the schema fuzz test checks the answers
against them. Codes are resolved by the service in any case (``app.services.catalog.codes``)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import Store
from app.api.params import (
    WHOLE,
    Code,
    CodeQuery,
    Lang,
    Text,
    exactly_one_of,
    held_competencies,
)
from app.api.problems import answer_language, language_headers
from app.api.rate_limit import QUERY
from app.api.schemas import Problem
from app.services.careers.paths import CareersService, PlanQuestion

router = APIRouter(tags=["careers"])


async def get_careers(request: Request, store: Store) -> CareersService:
    state = request.app.state
    return CareersService(store, state.careers_cache, state.mapping_cache, state.careers_memo)


Careers = Annotated[CareersService, Depends(get_careers)]


class Named(BaseModel):
    code: str
    name: str | None
    name_lang: str


class CompetencyGap(Named):
    required: str
    held: str | None


class Course(BaseModel):
    code: str
    name: str | None
    institution: str | None
    programme: str | None
    ects: float | None
    cost: float
    evidence_status: str | None
    closes: list[str]


class CourseRef(BaseModel):
    code: str
    name: str | None


class Training(BaseModel):
    cost_unit: str = Field(description="always ects")
    total_cost: float = Field(description="ECTS of the courses that state them")
    courses: list[Course]
    unpriced_courses: list[CourseRef] = Field(
        description="courses of this training that state no ECTS (not in total_cost)")
    uncovered: list[CompetencyGap]


class ProfileRef(Named):
    status: str | None
    administration: str | None
    generic_role: str | None
    level: str | None
    cqf: dict[str, Any] | None = Field(description="placement on the CQF (equivalence engine)")


class Evidence(BaseModel):
    evidence_status: str | None
    illustrative: bool
    notice: str | None


class Rising(Named):
    from_: str | None = Field(alias="from")
    to: str


class Step(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from")
    to: str
    coverage: float | None
    new_competencies: list[CompetencyGap]
    rising_proficiencies: list[Rising]
    tasks_added: list[Named]
    training: Training


class Rung(BaseModel):
    cqf_ordinal: int
    cqf_level: str | None
    branches: bool
    streams: dict[str, list[ProfileRef]]


class CareerPath(Evidence):
    family: Named
    administration: str | None = Field(description="the administration the ladder is "
                                                   "restricted to, if any")
    stream_rule: str
    step_rule: str
    streams: dict[str, str]
    rungs: list[Rung]
    steps: list[Step]
    unplaced: list[ProfileRef]


@router.get("/job-families/{code}/career-path", dependencies=[QUERY],
            response_model=CareerPath, response_model_by_alias=True,
            responses={404: {"model": Problem}, 422: {"model": Problem}},
            summary="A job family's ladder by CQF level, with streams and step deltas")
def career_path(code: Code, service: Careers, request: Request, lang: Lang = "en",
                administration: Annotated[str | None, Query(
                    max_length=100, description="only this administration's profiles")] = None,
                ) -> Response:
    language = answer_language(request)  # lang=, else Accept-Language, else English
    return _json(service.career_path_json(code, language, administration), language)


def _json(body: bytes, lang: str) -> Response:
    return Response(body, media_type="application/json", headers=language_headers(lang))


def _one_start(schema: dict[str, Any]) -> None:
    schema.update(exactly_one_of("from_profile", "competencies"))
    held_competencies(schema)


class PlanRequest(BaseModel):
    """Exactly one of ``from_profile`` and ``competencies``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=_one_start)

    target_profile: Text = Field(min_length=1, max_length=200)
    from_profile: Text | None = Field(None, max_length=200)
    competencies: dict[str, str] | None = Field(
        None, max_length=2000,
        description="competencies held: code -> aware|trained|advanced|expert")
    # Ranges are checked by the service with the codes, so one 422 lists every problem.
    min_step_coverage: float = Field(0.6, strict=True,
                                     json_schema_extra={"minimum": 0, "maximum": 1})
    max_steps: Annotated[int, Field(strict=True, json_schema_extra={"minimum": 1,
                                                                   "maximum": 6}),
                         WHOLE] = 4
    lang: Literal["en", "fr"] = "en"


class PlanStep(BaseModel):
    profile: ProfileRef
    coverage_before_training: float
    gaps: list[CompetencyGap]
    training: Training
    not_closable: list[CompetencyGap] = Field(
        description="the step's gaps no known course closes (never priced as training)")
    cost: float
    cumulative_cost: float


class Plan(BaseModel):
    steps: list[PlanStep]
    total_cost: float = Field(description="training cost in ECTS; excludes not_closable "
                              "requirements and the unpriced_courses")
    cost_unit: str = Field(description="always ects")
    unpriced_courses: list[CourseRef] = Field(
        description="the plan's courses that state no ECTS, named apart (not in total_cost)")
    unpriced_note: str | None
    moves: int
    not_closable: int = Field(description="requirements along the plan no course closes")
    closable_by_training: bool
    note: str | None


class NoPlanReason(BaseModel):
    detail: str
    exhausted: bool
    unprovided: list[CompetencyGap]


class CareerPlanAnswer(Evidence):
    from_profile: str | None
    target_profile: str
    competencies: dict[str, str] | None = Field(
        description="the competencies held as asked, by stored code and proficiency code")
    holder_size: int
    min_step_coverage: float
    max_steps: int
    rule: str
    plan: Plan | None
    reason: NoPlanReason | None


@router.post("/career-plans", dependencies=[QUERY], response_model=CareerPlanAnswer,
             responses={422: {"model": Problem}},
             summary="The cheapest sequence of moves from a start to a target profile")
def career_plan(body: PlanRequest, service: Careers, request: Request) -> Response:
    """The body's ``lang`` when given, else ``lang=`` or ``Accept-Language``."""
    lang = body.lang if "lang" in body.model_fields_set else answer_language(request)
    return _json(service.plan_json(PlanQuestion(**{**body.model_dump(), "lang": lang})), lang)


class Successor(BaseModel):
    profile: ProfileRef
    coverage: float | None
    required: int
    met: int
    partial: int
    missing: int
    gaps: list[CompetencyGap]
    training: Training


class Successors(Evidence):
    profile: ProfileRef
    administration: str | None
    results: list[Successor]
    total: int
    score_definition: str


@router.get("/job-profiles/{code}/successors", dependencies=[QUERY],
            response_model=Successors, tags=["jobs"],
            responses={404: {"model": Problem}, 422: {"model": Problem}},
            summary="The profiles whose holders are closest to filling this one")
def successors(code: Code, service: Careers,
               limit: Annotated[int, Query(description="1 to 100", json_schema_extra={
                   "minimum": 1, "maximum": 100})] = 10,
               administration: CodeQuery = None,
               lang: Lang = "en", *, request: Request) -> Response:
    language = answer_language(request)
    return _json(service.successors_json(code, limit, administration, language), language)

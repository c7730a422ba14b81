"""Write routes of institutions, programmes, courses and their mappings (keys required),
the reads that go with them, and the bulk upload of an institution's mappings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from app.api.deps import Store, WriteKey
from app.api.openapi import Responses
from app.api.params import (
    BLANK,
    LEVEL_CODE,
    OWN_CODE,
    PADDED_CODE,
    PROFICIENCY,
    OwnCode,
    Text,
    WebUrl,
    any_case,
)
from app.api.rate_limit import LOOKUP, WRITE
from app.api.routes.institutions.reviews import Decision
from app.api.schemas import EntityDetail
from app.api.schemas.institutions import Course, NodeReview, UploadReport, WrittenCourse
from app.domain.course_mappings import CSV_COLUMNS, KINDS, MAX_NAME, MAX_TEXT, REQUIRED
from app.domain.errors import PayloadTooLarge
from app.domain.vocab import NodeLabel
from app.services.institutions import courses, reviews
from app.services.institutions import uploads as course_mappings

router = APIRouter(tags=["institutions"])
Code = OwnCode
WRITE_ERRORS: Responses = {403: {"description": "the key does not own the target"}}
# A PUT answers 201 when it created the resource, 200 when it replaced it.
PUT: Responses = {**WRITE_ERRORS, 201: {"description": "created"}}
Language = Annotated[str | None, Field(None, pattern=r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")]


class InstitutionIn(BaseModel):
    name: Text = Field(min_length=1, max_length=300)
    name_fr: Text | None = Field(None, max_length=300)
    description: Text | None = Field(None, max_length=4000)
    country: Text | None = Field(None, max_length=100)
    incu_member: bool | None = Field(None, strict=True)


class ProgrammeIn(BaseModel):
    name: Text = Field(min_length=1, max_length=300, description="title (English)")
    name_fr: Text | None = Field(None, max_length=300, description="title (French)")
    description: Text | None = Field(None, max_length=4000)
    level: str | None = Field(None, max_length=60, pattern=LEVEL_CODE,
                              description="FRAMEWORK:LEVEL, e.g. IE-NFQ:9")
    ects: float | None = Field(None, ge=0, le=600, strict=True)
    language: Language = None
    url: WebUrl = None


class DevelopsIn(BaseModel):
    competency: str = Field(min_length=1, max_length=100, pattern=OWN_CODE,
                            description="competency code")
    proficiency: str = Field(max_length=20, pattern=PROFICIENCY,
                             description="aware, trained, advanced or expert")
    evidence: Text | None = Field(None, max_length=2000, description="learning outcome text")
    assessment: Text | None = Field(None, max_length=2000)


class AlignsIn(BaseModel):
    standard: str = Field(min_length=1, max_length=100, pattern=OWN_CODE,
                          description="PICARD standard element code")
    evidence: Text | None = Field(None, max_length=2000)


class CourseIn(BaseModel):
    name: Text = Field(min_length=1, max_length=300)
    name_fr: Text | None = Field(None, max_length=300)
    description: Text | None = Field(None, max_length=4000)
    ects: float | None = Field(None, ge=0, le=120, strict=True)
    language: Language = None
    url: WebUrl = None
    develops: list[DevelopsIn] = Field(default_factory=list, max_length=500)
    aligns_with: list[AlignsIn] = Field(default_factory=list, max_length=500)


def _status(response: Response, created: bool) -> None:
    response.status_code = 201 if created else 200


@router.put("/institutions/{code}", dependencies=[WRITE], responses=PUT,
            response_model=EntityDetail,
            summary="Create (admin) or update (admin or owner) an institution")
def put_institution(code: Code, body: InstitutionIn, principal: WriteKey, store: Store,
                    response: Response) -> dict:
    entity, created = courses.put_institution(store, principal, code, body.model_dump())
    _status(response, created)
    return entity


@router.get("/institutions/{institution}/programmes/{programme}", dependencies=[LOOKUP],
            response_model=EntityDetail)
def get_programme(institution: Code, programme: Code, store: Store) -> dict:
    return courses.get_programme(store, institution, programme)


@router.put("/institutions/{institution}/programmes/{programme}", dependencies=[WRITE],
            responses=PUT, response_model=EntityDetail)
def put_programme(institution: Code, programme: Code, body: ProgrammeIn, principal: WriteKey,
                  store: Store, response: Response) -> dict:
    entity, created = courses.put_programme(store, principal, institution, programme,
                                            body.model_dump())
    _status(response, created)
    return entity


@router.delete("/institutions/{institution}/programmes/{programme}", dependencies=[WRITE],
               status_code=204,
               responses={**WRITE_ERRORS, 409: {"description": "the programme has courses"}})
def delete_programme(institution: Code, programme: Code, principal: WriteKey,
                     store: Store) -> Response:
    courses.delete_programme(store, principal, institution, programme)
    return Response(status_code=204)


@router.get("/institutions/{institution}/programmes/{programme}/courses/{course}",
            dependencies=[LOOKUP], response_model=Course)
def get_course(institution: Code, programme: Code, course: Code, store: Store) -> dict:
    return courses.get_course(store, institution, programme, course)


@router.put("/institutions/{institution}/programmes/{programme}/courses/{course}",
            dependencies=[WRITE], responses=PUT, response_model=WrittenCourse,
            summary="Create or replace a course with its DEVELOPS and ALIGNS_WITH mappings")
def put_course(institution: Code, programme: Code, course: Code, body: CourseIn,
               principal: WriteKey, store: Store, response: Response) -> dict:
    fields = body.model_dump(exclude={"develops", "aligns_with"})
    entity, created, report = courses.put_course(
        store, principal, institution, programme, course, fields,
        [d.model_dump() for d in body.develops], [a.model_dump() for a in body.aligns_with])
    _status(response, created)
    return {**entity, "changes": report}


@router.delete("/institutions/{institution}/programmes/{programme}/courses/{course}",
               dependencies=[WRITE], status_code=204, responses=WRITE_ERRORS)
def delete_course(institution: Code, programme: Code, course: Code, principal: WriteKey,
                  store: Store) -> Response:
    courses.delete_course(store, principal, institution, programme, course)
    return Response(status_code=204)


@router.post("/institutions/{institution}/programmes/{programme}/review", dependencies=[WRITE],
             responses=WRITE_ERRORS, response_model=NodeReview,
             summary="Accept or reject a programme (admin, reviewer)")
def review_programme(institution: Code, programme: Code, body: Decision, principal: WriteKey,
                     store: Store) -> dict:
    return reviews.review_node(store, principal, NodeLabel.PROGRAMME, institution, programme,
                               body.decision, body.reason)


@router.post("/institutions/{institution}/programmes/{programme}/courses/{course}/review",
             dependencies=[WRITE], responses=WRITE_ERRORS, response_model=NodeReview,
             summary="Accept or reject a course (admin, reviewer)")
def review_course(institution: Code, programme: Code, course: Code, body: Decision,
                  principal: WriteKey, store: Store) -> dict:
    return reviews.review_node(store, principal, NodeLabel.COURSE, institution, course,
                               body.decision, body.reason, programme)


async def _read_limited(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > course_mappings.MAX_BYTES:
        raise PayloadTooLarge("10 MB")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > course_mappings.MAX_BYTES:
            raise PayloadTooLarge("10 MB")
        chunks.append(chunk)
    return b"".join(chunks)


def _csv_file() -> str:
    """A CSV upload as the schema states it: its header names the columns in the documented
    order (the optional ones may be left out), comma or semicolon separated, then the rows
    (a file without its header, or without a row, is refused: an upload is the complete
    list, so an empty one would remove every mapping)."""
    def header(sep: str) -> str:
        cells = [rf"[ \t]*{sep}[ \t]*{c}" if c in REQUIRED else rf"([ \t]*{sep}[ \t]*{c})?"
                 for c in CSV_COLUMNS[1:]]
        return CSV_COLUMNS[0] + "".join(cells)
    row = r'\r?\n[\s\S]*?[^\s,;"][\s\S]*'  # at least one row that is not blank
    return rf"^\ufeff?[ \t]*({header(',')}|{header(';')})[ \t]*{row}$"


def _json_row() -> dict[str, Any]:
    """A row of a JSON upload as the service checks it (codes may have blanks around them; a
    ``develops`` row needs a proficiency, an ``aligns_with`` row takes none)."""
    code = {"type": "string", "pattern": PADDED_CODE}
    text = {"type": ["string", "null"], "maxLength": MAX_TEXT}
    develops = {"properties": {"kind": {"pattern": any_case("develops")}}}
    return {"type": "object", "additionalProperties": False, "required": list(REQUIRED),
            "properties": {"programme": code, "course": code, "target": code,
                           "course_name": {"type": ["string", "null"], "maxLength": MAX_NAME},
                           "kind": {"type": "string", "pattern": any_case(*KINDS)},
                           "proficiency": {"type": ["string", "null"]},
                           "evidence": text, "assessment": text},
            "if": develops,
            "then": {"required": ["proficiency"],
                     "properties": {"proficiency": {"type": "string",
                                                    "pattern": PROFICIENCY}}},
            "else": {"properties": {"proficiency": {"anyOf": [
                {"type": "null"}, {"type": "string", "pattern": BLANK}]}}}}


@router.post("/institutions/{institution}/mappings:bulk", dependencies=[WRITE],
             responses={**WRITE_ERRORS, 413: {"description": "the file exceeds 10 MB"}},
             response_model=UploadReport,
             summary="Upload the institution's complete course mappings (CSV or JSON)",
             openapi_extra={"requestBody": {"content": {
                 "text/csv": {"schema": {
                     "type": "string", "pattern": _csv_file(),
                     "description": "a header line naming the columns (" + ", ".join(
                         CSV_COLUMNS) + "; the optional ones may be left out), then one row "
                         "per line"}},
                 "application/json": {"schema": {"type": "array", "minItems": 1,
                                                 "items": _json_row()}},
             }, "required": True}})
async def bulk_upload(institution: Code, request: Request, principal: WriteKey, store: Store,
                      dry_run: Annotated[bool, Query()] = False) -> dict:
    course_mappings.check_owner(principal, institution)
    data = await _read_limited(request)
    return await run_in_threadpool(course_mappings.upload, store, principal, institution, data,
                                   request.headers.get("content-type"), dry_run)

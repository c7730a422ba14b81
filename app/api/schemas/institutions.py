"""Answers of the institutions capability: institutions, programmes, courses, their course
mappings and reviews, bulk uploads, and PICARD coverage."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.api.schemas import EntityDetail

CourseMappingKind = Literal["develops", "aligns_with"]


class CourseMapping(BaseModel):
    """One of a course's own mappings, as the course lists it."""

    kind: CourseMappingKind
    target: str = Field(description="competency (develops) or PICARD element (aligns_with)")
    proficiency: str | None
    evidence: str | None
    assessment: str | None
    review_status: str | None


class UploadReport(BaseModel):
    """What a write of course mappings did (or would do, on a dry run)."""

    institution: str
    rows: int
    dry_run: bool
    added: int
    changed: int
    removed: int
    unchanged: int
    courses_written: int


class Course(EntityDetail):
    mappings: list[CourseMapping]


class WrittenCourse(Course):
    changes: UploadReport


class NodeReview(BaseModel):
    """A programme's or course's review state after a decision."""

    kind: str
    code: str
    review_status: str
    review_reason: str | None
    status: str | None


class CourseMappingView(BaseModel):
    """A course mapping with its review state, for reviewers."""

    kind: CourseMappingKind
    course: str
    institution: str | None
    target: str
    target_name: str | None
    proficiency: str | None
    evidence: str | None
    assessment: str | None
    review_status: str | None
    review_reason: str | None
    reviewed_by: str | None
    reviewed_at: str | None
    status: str | None
    asserted_by: str | None


class CourseMappingPage(BaseModel):
    items: list[CourseMappingView]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class AligningCourse(BaseModel):
    code: str
    name: str | None
    institution: str | None
    programme: str | None
    review_status: str | None
    status: str | None


class DevelopingCourse(BaseModel):
    code: str
    name: str | None
    institution: str | None
    programme: str | None
    proficiency: str | None
    evidence: str | None
    assessment: str | None
    review_status: str | None
    status: str | None


class CoursesAligned(BaseModel):
    """The courses that align with a PICARD element."""

    code: str
    kind: str
    items: list[AligningCourse]
    total: int
    counted_review_statuses: list[str]


class CoursesDeveloping(BaseModel):
    """The courses that develop a competency."""

    code: str
    kind: str
    items: list[DevelopingCourse]
    total: int
    counted_review_statuses: list[str]


class CoveringCourse(BaseModel):
    code: str
    name: str | None
    review_status: str | None
    proficiency: str | None


class Element(BaseModel):
    """A PICARD element (tier, knowledge area or theme) and the courses covering it."""

    code: str
    name: str | None
    kind: str
    version: str | None
    covered: bool
    proficiency: str | None
    courses: list[CoveringCourse]


class Tier(Element):
    aligned_directly: bool
    knowledge_areas: list[Element]
    areas_covered: int
    areas_total: int
    missing: list[str]
    note_code: str | None
    note: str | None
    areas: str


class ProgrammeRef(BaseModel):
    institution: str
    code: str
    key: str
    name: str | None
    level: str | None
    status: str | None


class Criterion(BaseModel):
    code: str
    verdict: str
    reason: str
    facts: dict[str, Any]
    criterion: str
    detail: str


class Readiness(BaseModel):
    overall: str
    criteria: list[Criterion]
    statement_code: str
    statement: str


class PicardCoverage(BaseModel):
    programme: ProgrammeRef
    counted_review_statuses: list[str]
    tiers: list[Tier]
    themes_2019: list[Element]
    missing_themes_2019: list[str]
    readiness: Readiness

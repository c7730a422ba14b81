"""PICARD coverage of a programme and reverse look-ups to courses. Only accepted mappings
count unless ``include=proposed`` is asked for."""

from __future__ import annotations

from fastapi import APIRouter

from app.api.deps import Store
from app.api.params import Code, Include
from app.api.rate_limit import QUERY
from app.api.schemas.institutions import CoursesAligned, CoursesDeveloping, PicardCoverage
from app.services.institutions import coverage

router = APIRouter(tags=["picard"])


@router.get("/programmes/{institution}/{code}/picard-coverage", dependencies=[QUERY],
            response_model=PicardCoverage)
def picard_coverage(institution: Code, code: Code, store: Store, include: Include = None) -> dict:
    return coverage.picard_coverage(store, institution, code, include == "proposed")


@router.get("/competencies/{code}/courses", dependencies=[QUERY],
            response_model=CoursesDeveloping)
def competency_courses(code: Code, store: Store, include: Include = None) -> dict:
    return coverage.courses_developing(store, code, include == "proposed")


@router.get("/picard-standards/{code}/courses", dependencies=[QUERY],
            response_model=CoursesAligned)
def standard_courses(code: Code, store: Store, include: Include = None) -> dict:
    return coverage.courses_aligned(store, code, include == "proposed")

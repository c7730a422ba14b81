"""PICARD coverage of a programme and reverse look-ups to courses. Only accepted mappings
count unless ``include=proposed`` is asked for."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from app.api.deps import Store
from app.api.rate_limit import QUERY
from app.api.schemas import Problem
from app.services.institutions import coverage

router = APIRouter(tags=["picard"])
Code = Annotated[str, Path(min_length=1, max_length=200)]
Include = Annotated[Literal["proposed"] | None,
                    Query(description="`proposed` also counts mappings not yet reviewed")]
ERRORS = {404: {"model": Problem}, 422: {"model": Problem}}


@router.get("/programmes/{institution}/{code}/picard-coverage", dependencies=[QUERY],
            responses=ERRORS)
def picard_coverage(institution: Code, code: Code, store: Store, include: Include = None) -> dict:
    return coverage.picard_coverage(store, institution, code, include == "proposed")


@router.get("/competencies/{code}/courses", dependencies=[QUERY], responses=ERRORS)
def competency_courses(code: Code, store: Store, include: Include = None) -> dict:
    return coverage.courses_developing(store, code, include == "proposed")


@router.get("/picard-standards/{code}/courses", dependencies=[QUERY], responses=ERRORS)
def standard_courses(code: Code, store: Store, include: Include = None) -> dict:
    return coverage.courses_aligned(store, code, include == "proposed")

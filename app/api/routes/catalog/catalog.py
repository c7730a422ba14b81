"""Read routes of the catalogue: thin wrappers around ``CatalogService``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from app.api.answers import cached_answer
from app.api.deps import Catalog, store_of
from app.api.openapi import Responses
from app.api.params import (
    SEARCHABLE,
    Code,
    Country,
    Filter,
    LevelCode,
    Limit,
    Offset,
    ReferencingStatus,
    Search,
    Status,
)
from app.api.rate_limit import LOOKUP, QUERY
from app.api.schemas import EntityDetail, FrameworkPage, Page, SearchResult
from app.domain.errors import FieldProblem, InvalidInput
from app.domain.identity import programme_key
from app.domain.text import N_
from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.services.catalog.reads import CatalogService, detail_parts, parse_level_code

router = APIRouter(dependencies=[LOOKUP])  # bounded lookups and pages
# List pages read and sort every node of their label (FalkorDB has no ordered index scan),
# so their work grows with the graph: limited as queries (tests/unit/test_route_costs.py
# measures it). Frameworks, their levels and the PICARD standards stay few.
GROWING = [QUERY]
ERRORS: Responses = {404: {"description": "unknown code"}}
LEVEL_PARTS = detail_parts(NodeLabel.LEVEL)


def _add_resource(path: str, label: NodeLabel, tag: str, with_list: bool = True) -> None:
    """Register ``GET /{path}`` (paginated) and ``GET /{path}/{code}`` for a label."""
    if with_list:
        @router.get(f"/{path}", response_model=Page, tags=[tag], responses=ERRORS,
                    name=f"list_{path}", dependencies=GROWING)
        def list_items(catalog: Catalog, limit: Limit = 50, offset: Offset = 0,
                       status: Status = None, q: Search = None) -> dict:
            return catalog.list(label, limit=limit, offset=offset, status=status, text=q)

    @router.get(f"/{path}/{{code}}", response_model=EntityDetail, tags=[tag], responses=ERRORS,
                name=f"get_{path}")
    async def get_item(code: Code, request: Request) -> Response:
        return await cached_answer(request, ("entity", label, code),
                                   lambda: CatalogService(store_of(request)).get(label, code),
                                   parts=detail_parts(label))


@router.get("/frameworks", response_model=FrameworkPage, tags=["frameworks"], responses=ERRORS)
def list_frameworks(catalog: Catalog, limit: Limit = 50, offset: Offset = 0,
                    status: Status = None, q: Search = None, kind: Filter = None,
                    country: Country = None,
                    referencing_status: ReferencingStatus = None) -> dict:
    return catalog.frameworks(limit=limit, offset=offset, status=status, text=q, kind=kind,
                              country=country, referencing_status=referencing_status)


@router.get("/frameworks/{code}/levels", response_model=Page, tags=["frameworks"],
            responses=ERRORS)
def list_framework_levels(code: Code, catalog: Catalog, limit: Limit = 50,
                          offset: Offset = 0) -> dict:
    return catalog.framework_levels(code, limit=limit, offset=offset)


@router.get("/levels/{framework}/{level}", response_model=EntityDetail, tags=["frameworks"],
            responses=ERRORS)
async def get_level(framework: Code, level: Code, request: Request) -> Response:
    return await cached_answer(request, ("level", framework, level),
                               lambda: CatalogService(store_of(request)).level(framework, level),
                               parts=LEVEL_PARTS)


@router.get("/levels/{level_code}", response_model=EntityDetail, tags=["frameworks"],
            responses=ERRORS, summary="Get a level written FRAMEWORK:LEVEL, e.g. EQF:6")
async def get_level_by_code(level_code: LevelCode, request: Request) -> Response:
    framework, level = parse_level_code(level_code, "level_code")
    return await cached_answer(request, ("level", framework, level),
                               lambda: CatalogService(store_of(request)).level(framework, level),
                               parts=LEVEL_PARTS)


@router.get("/competencies", response_model=Page, tags=["competencies"], responses=ERRORS,
            dependencies=GROWING)
def list_competencies(catalog: Catalog, limit: Limit = 50, offset: Offset = 0,
                      status: Status = None, q: Search = None, group: Filter = None) -> dict:
    return catalog.list(NodeLabel.COMPETENCY, limit=limit, offset=offset, status=status, text=q,
                        filters={"group": group})


@router.get("/job-profiles", response_model=Page, tags=["jobs"], responses=ERRORS,
            dependencies=GROWING)
def list_job_profiles(catalog: Catalog, limit: Limit = 50, offset: Offset = 0,
                      status: Status = None, q: Search = None, administration: Filter = None,
                      domain: Filter = None, generic_role: Filter = None) -> dict:
    return catalog.list(NodeLabel.JOB_PROFILE, limit=limit, offset=offset, status=status,
                        text=q, filters={"administration": administration, "domain": domain,
                                         "generic_role": generic_role})


@router.get("/picard-standards", response_model=Page, tags=["picard"], responses=ERRORS)
def list_picard_standards(catalog: Catalog, limit: Limit = 50, offset: Offset = 0,
                          status: Status = None, q: Search = None, kind: Filter = None,
                          version: Filter = None, tier: Filter = None) -> dict:
    return catalog.list(NodeLabel.PICARD_STANDARD, limit=limit, offset=offset, status=status,
                        text=q, filters={"kind": kind, "version": version, "tier": tier})


@router.get("/programmes/{institution}/{code}", response_model=EntityDetail,
            tags=["institutions"], responses=ERRORS,
            summary="A programme, identified by its institution and its own code")
def get_programme(institution: Code, code: Code, catalog: Catalog) -> dict:
    return catalog.get(NodeLabel.PROGRAMME, programme_key(institution, code))


# The kinds a search may name (never the service's own records: keys, audit entries), by
# their lower-case spelling, so ``kind=level`` and ``kind=Level`` are the same.
KINDS = {label.value.lower(): label.value for label in CATALOGUE_LABELS}


@router.get("/search", response_model=SearchResult, tags=["search"], responses=ERRORS)
def search(catalog: Catalog,
           q: Annotated[str, Query(min_length=1, max_length=200, pattern=SEARCHABLE,
                                    description="words to look for")],
           kind: Annotated[list[str] | None, Query(
               description="only these kinds, any case: " + ", ".join(KINDS.values()),
               json_schema_extra={"items": {"type": "string",
                                            "enum": list(KINDS.values())}})] = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 20) -> dict:
    return catalog.search(q, _kinds(kind), limit)


def _kinds(typed: list[str] | None) -> list[NodeLabel] | None:
    if not typed:
        return None
    unknown = [k for k in typed if k.strip().lower() not in KINDS]
    if unknown:
        accepted = ", ".join(KINDS.values())
        raise InvalidInput([FieldProblem(
            "kind", N_("unknown kind; accepted (any case): %(accepted)s"), k,
            params={"accepted": accepted}) for k in unknown])
    return [NodeLabel(KINDS[k.strip().lower()]) for k in typed]


_add_resource("frameworks", NodeLabel.FRAMEWORK, "frameworks", with_list=False)
_add_resource("competencies", NodeLabel.COMPETENCY, "competencies", with_list=False)
_add_resource("competency-groups", NodeLabel.COMPETENCY_GROUP, "competencies")
_add_resource("proficiency-levels", NodeLabel.PROFICIENCY_LEVEL, "competencies")
_add_resource("job-families", NodeLabel.JOB_FAMILY, "jobs")
_add_resource("job-profiles", NodeLabel.JOB_PROFILE, "jobs", with_list=False)
_add_resource("tasks", NodeLabel.PROFESSIONAL_TASK, "jobs")
_add_resource("functional-domains", NodeLabel.FUNCTIONAL_DOMAIN, "jobs")
_add_resource("generic-roles", NodeLabel.GENERIC_ROLE, "jobs")
_add_resource("occupations", NodeLabel.OCCUPATION, "jobs")
_add_resource("picard-standards", NodeLabel.PICARD_STANDARD, "picard", with_list=False)
_add_resource("institutions", NodeLabel.INSTITUTION, "institutions")
_add_resource("programmes", NodeLabel.PROGRAMME, "institutions")
_add_resource("administrations", NodeLabel.ADMINISTRATION, "administrations")

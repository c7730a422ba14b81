"""Assembles the routers under their prefixes."""

from fastapi import APIRouter

from app.api.routes import (
    administrations,
    audit,
    careers,
    case,
    catalog,
    courses,
    coverage,
    cqf_table,
    equivalences,
    export,
    health,
    keys,
    linked_data,
    mappings,
    portability,
    releases,
    reviews,
    sparql,
)

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(catalog.router)
api_router.include_router(keys.router)
api_router.include_router(audit.router)
api_router.include_router(courses.router)
api_router.include_router(reviews.router)
api_router.include_router(coverage.router)
api_router.include_router(equivalences.router)
api_router.include_router(mappings.router)
api_router.include_router(administrations.router)
api_router.include_router(portability.router)
api_router.include_router(cqf_table.router)
api_router.include_router(careers.router)
api_router.include_router(export.router)
api_router.include_router(releases.router)

root_router = APIRouter()
root_router.include_router(health.router)
root_router.include_router(case.router)
root_router.include_router(linked_data.router)
root_router.include_router(sparql.router)

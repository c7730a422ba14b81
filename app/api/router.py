"""Assembles the routers under their prefixes."""

from fastapi import APIRouter

from app.api.routes import health
from app.api.routes.access import audit, keys
from app.api.routes.careers import careers, cqf_table, portability
from app.api.routes.catalog import catalog
from app.api.routes.equivalence import administrations, equivalences, mappings
from app.api.routes.institutions import courses, coverage, reviews
from app.api.routes.linked_data import case, export, releases, sparql
from app.api.routes.linked_data import documents as linked_data

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
root_router.include_router(case.v1p0)
root_router.include_router(case.v1p1)
root_router.include_router(linked_data.router)
root_router.include_router(sparql.router)

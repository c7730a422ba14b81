"""Assembles the routers under their prefixes."""

from fastapi import APIRouter

from app.api.routes import catalog, equivalences, health, mappings, portability

api_router = APIRouter(prefix="/api/v1")
api_router.include_router(catalog.router)
api_router.include_router(equivalences.router)
api_router.include_router(mappings.router)
api_router.include_router(portability.router)

root_router = APIRouter()
root_router.include_router(health.router)

"""Dependency aliases shared by the routers (parameters are in ``app.api.params``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from app.domain.auth import Principal
from app.graph.port import GraphStore
from app.services.access.keys import authenticate
from app.services.catalog.reads import CatalogService


def store_of(request: Request) -> GraphStore:
    store: GraphStore = request.app.state.runtime.store
    return store


# Dependencies that do no I/O are ``async``: FastAPI runs sync ones in the thread pool, one
# hop each, which costs more than the work they do on a fast lookup.
async def get_store(request: Request) -> GraphStore:
    return store_of(request)


async def get_catalog(request: Request) -> CatalogService:
    return CatalogService(store_of(request))


Store = Annotated[GraphStore, Depends(get_store)]
Catalog = Annotated[CatalogService, Depends(get_catalog)]


# --- authentication (write routes) -------------------------------------------------------

def _presented_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key:
        return key.strip()
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token else None


def require_key(request: Request) -> Principal:
    """The caller's principal; 401 problem+json when the key is missing, unknown or revoked."""
    return authenticate(store_of(request), _presented_key(request))


WriteKey = Annotated[Principal, Depends(require_key)]

"""Dependency aliases shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from app.graph.port import GraphStore
from app.services.catalog import CatalogService

MAX_PAGE = 500


def get_store(request: Request) -> GraphStore:
    return request.app.state.runtime.store


def get_catalog(request: Request) -> CatalogService:
    return CatalogService(get_store(request))


Store = Annotated[GraphStore, Depends(get_store)]
Catalog = Annotated[CatalogService, Depends(get_catalog)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size (at most 500)")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
Status = Annotated[
    str | None,
    Query(pattern="^(verified|unverified|illustrative)$", description="evidence status"),
]
Text = Annotated[str | None, Query(max_length=200, description="case-insensitive substring")]

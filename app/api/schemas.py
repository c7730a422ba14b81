"""Response models: the declared shapes of the public API (and of its OpenAPI document)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class Source(BaseModel):
    document: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None


class EntityRef(BaseModel):
    kind: str
    code: str
    name: str | None = None
    status: str | None = None
    illustrative: bool = False
    attributes: dict[str, Any] = Field(default_factory=dict,
                                       description="properties of the relationship")
    source: Source | None = None


class Entity(BaseModel):
    kind: str = Field(description="node label, e.g. Framework, Level, Competency")
    code: str
    name: str | None = None
    name_fr: str | None = None
    description: str | None = None
    description_fr: str | None = None
    status: str | None = Field(None, description="verified, unverified or illustrative")
    illustrative: bool
    notice: str | None = Field(None, description="set on illustrative data")
    source: Source
    attributes: dict[str, Any] = Field(default_factory=dict)


class EntityDetail(Entity):
    related: dict[str, list[EntityRef]] = Field(default_factory=dict)


class Page(BaseModel):
    items: list[Entity]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page, if any")


class SearchHit(BaseModel):
    kind: str
    code: str
    name: str | None = None
    score: float


class SearchResult(BaseModel):
    query: str
    terms: list[str]
    items: list[SearchHit]
    total: int


class Problem(BaseModel):
    type: str
    title: str
    status: int
    detail: str
    instance: str | None = None
    errors: list[dict[str, Any]] | None = None


class Health(BaseModel):
    status: str
    backend: str | None = None
    checks: dict[str, bool] = Field(default_factory=dict)

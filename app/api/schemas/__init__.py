"""Response models: the declared shapes of the public API (and of its OpenAPI document).

The shapes every capability shares live here; a capability's own answers live beside it, in
``app/api/schemas/<capability>.py`` (capability names as in docs/architecture.md). A route
declares its model; FastAPI validates the service's answer against it once, or, on the hot
routes that send pre-serialised bytes (``app.api.answers``), the schema fuzz test checks the
answers against it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, RootModel


class Source(BaseModel):
    document: str | None = None
    publisher: str | None = None
    year: int | None = None
    url: str | None = None


class Evidence(BaseModel):
    """The verbatim excerpt of the source that states a mapping, to check it in place."""

    quote: str = Field(description="verbatim excerpt; '…' marks omitted text")
    language: str | None = Field(None, description="language tag of the quote, e.g. 'sl'")
    url: str | None = Field(None, description="the page the quote was read on")


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


class Referencing(BaseModel):
    """How a framework stands towards the EQF."""

    status: str | None = Field(None, description=(
        "verified, partly_verified or unverified (referenced; the evidence of its EQF "
        "mappings), no_level_table (referenced, the level table is not in the graph), "
        "comparison (joint comparison study, not referencing), none; null for the EQF itself "
        "and for frameworks that are not national"))
    year: int | None = Field(None, description="year of the EQF referencing (or comparison)")
    levels: int = Field(description="levels of the framework in the graph")
    levels_mapped_to_eqf: int | None = Field(None, description=(
        "levels with an accepted mapping to an EQF level (null for the EQF)"))


class FrameworkEntity(Entity):
    referencing: Referencing


class FrameworkPage(BaseModel):
    items: list[FrameworkEntity]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(None, description="offset of the next page, if any")


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


class LinkedEntity(EntityDetail):
    """``/id/{kind}/{code}`` as JSON, for a catalogue entity: its detail with its IRI."""

    iri: str = Field(description="the entity's IRI (where this document is served)")


class LinkedResource(BaseModel):
    """``/id/{kind}/{...}`` as JSON, for a resource the service mints besides the catalogue
    (a source, a qualified statement, a mapping, a concept scheme, a release, a mapping set,
    the dataset): its IRI and kind, then the fields of that kind."""

    model_config = ConfigDict(extra="allow")

    iri: str = Field(description="the resource's IRI")
    kind: str = Field(description="Source, QualifiedRelation, Mapping, ConceptScheme, "
                                  "Release, MappingSet or Dataset")


class LinkedDocument(RootModel[LinkedEntity | LinkedResource]):
    """``/id/...`` as JSON: an entity or a minted resource."""

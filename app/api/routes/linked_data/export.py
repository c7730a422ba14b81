"""``GET /api/v1/export``: the ontology and data as streamed RDF (format by query or Accept)."""

from __future__ import annotations

from typing import Annotated, Literal, cast

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from app.api.deps import Store
from app.api.http import conditional, etag_of, negotiated
from app.api.params import SOME_TEXT
from app.api.problems import problem
from app.api.rate_limit import QUERY
from app.api.rdf_deps import Minter, base_iri
from app.api.schemas import Problem
from app.domain.text import N_
from app.graph.state import tracker
from app.rdf.negotiation import FORMAT_OF_MEDIA, RDF_FORMATS, choose
from app.services.linked_data.export import Scope, check_framework, export, sssom

router = APIRouter(tags=["linked data"])
Format = Literal["turtle", "ntriples", "jsonld", "rdfxml"]
OFFERED = [media for media, _, _ in RDF_FORMATS.values()]
Framework = Annotated[str | None, Query(min_length=1, max_length=100, pattern=SOME_TEXT,
                                        description="keep one framework (any case)")]


# The live exports change with the graph: a cache keeps them but asks again each time (the
# ETag names the graph state, so the answer is then a 304 until the graph changes).
CACHE_CONTROL = {"Cache-Control": "public, no-cache"}
SSSOM_MEDIA = "text/tab-separated-values"


def _not_acceptable(request: Request, offered: list[str]) -> Response:
    return problem(406, "not-acceptable", N_("Not acceptable"),
                   N_("this resource is available as %(offered)s"), request,
                   params={"offered": ", ".join(offered)})


@router.get("/export", dependencies=[QUERY], response_class=Response, responses={
    200: {"content": {m: {} for m in OFFERED}, "description": "the RDF export, streamed"},
    304: {"description": "not modified: the graph has not changed since the ETag given"},
    404: {"model": Problem, "description": "unknown framework"},
    406: {"model": Problem, "description": "no acceptable RDF format"}})
@negotiated
def export_rdf(request: Request, store: Store, iris: Minter,
               format: Annotated[Format | None, Query(description="overrides Accept")] = None,
               scope: Scope = Scope.ALL,
               framework: Framework = None) -> Response:
    """Stream the ontology (``scope=ontology``), the data (``data``) or both (``all``) as
    Turtle, N-Triples, JSON-LD or RDF/XML; ``framework=`` keeps one framework, its levels and
    the mappings touching them. ``ETag`` names the graph state and the representation, so a
    crawler's ``If-None-Match`` gets 304 until the graph changes."""
    if format is None:
        media = choose(request.headers.get("accept"), OFFERED)
        if media is None:
            return _not_acceptable(request, OFFERED)
        format = cast(Format, FORMAT_OF_MEDIA[media])  # negotiation offers only these formats
    framework = check_framework(store, framework)
    media, ext, _ = RDF_FORMATS[format]
    name = f"cqf-{scope.value}{'-' + framework if framework else ''}.{ext}"
    state = tracker(request.app.state).current(store)
    chunks = (c.encode("utf-8") for c in export(store, iris, format, scope, framework))
    response = StreamingResponse(chunks, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept",
        **CACHE_CONTROL})
    etag = etag_of(state.token, iris.base, format, scope.value, framework or "")
    return conditional(request, response, etag, state.changed_at)


@router.get("/export/mappings.sssom.tsv", dependencies=[QUERY], response_class=Response,
            responses={
                200: {"content": {SSSOM_MEDIA: {}}},
                304: {"description": "not modified: the graph has not changed since the "
                                     "ETag given"},
                404: {"model": Problem, "description": "unknown framework"},
                406: {"model": Problem, "description": "TSV not acceptable"}})
@negotiated
def export_sssom(store: Store, request: Request,
                 framework: Framework = None) -> Response:
    """The level mappings with their provenance as SSSOM-compatible TSV (the one format:
    an ``Accept`` that excludes it gets 406)."""
    if choose(request.headers.get("accept"), [SSSOM_MEDIA]) is None:
        return _not_acceptable(request, [SSSOM_MEDIA])
    framework = check_framework(store, framework)
    state = tracker(request.app.state).current(store)
    chunks = (c.encode("utf-8") for c in sssom(store, base_iri(request), framework))
    response = StreamingResponse(chunks, media_type=f"{SSSOM_MEDIA}; charset=utf-8", headers={
        "Content-Disposition": 'attachment; filename="cqf-mappings.sssom.tsv"', "Vary": "Accept",
        **CACHE_CONTROL})
    etag = etag_of(state.token, base_iri(request), "sssom", framework or "")
    return conditional(request, response, etag, state.changed_at)

"""``GET /api/v1/export``: the ontology and data as streamed RDF (format by query or Accept)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response, StreamingResponse

from app.api.deps import Store
from app.api.problems import problem
from app.api.rate_limit import QUERY
from app.api.rdf_deps import Minter, base_iri
from app.api.schemas import Problem
from app.rdf.negotiation import FORMAT_OF_MEDIA, RDF_FORMATS, choose
from app.services.rdf_export import Scope, check_framework, export, sssom

router = APIRouter(tags=["linked data"])
Format = Literal["turtle", "ntriples", "jsonld", "rdfxml"]
OFFERED = [media for media, _, _ in RDF_FORMATS.values()]


@router.get("/export", dependencies=[QUERY], responses={
    200: {"content": {m: {} for m in OFFERED}, "description": "the RDF export, streamed"},
    404: {"model": Problem, "description": "unknown framework"},
    406: {"model": Problem, "description": "no acceptable RDF format"}})
def export_rdf(request: Request, store: Store, iris: Minter,
               format: Annotated[Format | None, Query(description="overrides Accept")] = None,
               scope: Scope = Scope.ALL,
               framework: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
               ) -> Response:
    """Stream the ontology (``scope=ontology``), the data (``data``) or both (``all``) as
    Turtle, N-Triples, JSON-LD or RDF/XML; ``framework=`` keeps one framework, its levels and
    the mappings touching them."""
    if format is None:
        media = choose(request.headers.get("accept"), OFFERED)
        if media is None:
            return problem(406, "not-acceptable", "Not acceptable",
                           f"this resource is available as {', '.join(OFFERED)}", request)
        format = FORMAT_OF_MEDIA[media]  # type: ignore[assignment]
    assert format is not None
    framework = check_framework(store, framework)
    media, ext, _ = RDF_FORMATS[format]
    name = f"cqf-{scope.value}{'-' + framework if framework else ''}.{ext}"
    chunks = (c.encode("utf-8") for c in export(store, iris, format, scope, framework))
    return StreamingResponse(chunks, media_type=f"{media}; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{name}"', "Vary": "Accept"})


@router.get("/export/mappings.sssom.tsv", dependencies=[QUERY], responses={
    200: {"content": {"text/tab-separated-values": {}}},
    404: {"model": Problem, "description": "unknown framework"}})
def export_sssom(store: Store, request: Request,
                 framework: Annotated[str | None, Query(min_length=1, max_length=100)] = None,
                 ) -> Response:
    """The level mappings with their provenance as SSSOM-compatible TSV."""
    framework = check_framework(store, framework)
    chunks = (c.encode("utf-8") for c in sssom(store, base_iri(request), framework))
    return StreamingResponse(chunks, media_type="text/tab-separated-values; charset=utf-8",
                             headers={"Content-Disposition":
                                      'attachment; filename="cqf-mappings.sssom.tsv"'})

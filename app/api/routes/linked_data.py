"""Dereferenceable entity IRIs: ``GET /id/{kind}/{code...}`` with content negotiation."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import unquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.api.deps import Store
from app.api.problems import problem
from app.api.rate_limit import LOOKUP
from app.api.rdf_deps import Minter
from app.domain.errors import NotFound
from app.rdf import html
from app.rdf.iris import parse_path
from app.rdf.negotiation import FORMAT_OF_MEDIA, HTML, JSON, RDF_FORMATS, choose
from app.services.catalog import CatalogService
from app.services.codes import CodeResolver
from app.services.rdf_entity import entity_document, mapping_document, mapping_json
from app.web import urls
from app.web.routes import render_entity_page

router = APIRouter(tags=["linked data"])
OFFERED = [HTML, JSON] + [media for media, _, _ in RDF_FORMATS.values()]
VARY = {"Vary": "Accept"}
FORMAT_MEDIA = {"html": HTML, "json": JSON, **{k: m for k, (m, _, _) in RDF_FORMATS.items()}}
Format = Literal["html", "json", "turtle", "ntriples", "jsonld", "rdfxml"]


@router.get("/id/{kind}/{code:path}", dependencies=[LOOKUP], responses={
    200: {"content": {m: {} for m in OFFERED}},
    404: {"description": "unknown entity (problem+json)"},
    406: {"description": "no acceptable representation (problem+json)"}})
def dereference(kind: str, code: str, request: Request, store: Store, iris: Minter,
                format: Annotated[Format | None, Query(description="overrides Accept")] = None,
                ) -> Response:
    """The entity in the representation the ``Accept`` header prefers (q-values honoured):
    HTML, JSON, Turtle, N-Triples, JSON-LD or RDF/XML."""
    try:
        label, key = parse_path(kind, code)
    except ValueError as exc:
        raise NotFound(kind, code) from exc
    if label is not None:
        canonical = CodeResolver(store).require(label, key)
        wanted = urls.id_path(label, canonical)
        if unquote(wanted) != request.scope["path"]:
            # Another case, the other level notation or an old address: the one IRI.
            query = f"?{request.url.query}" if request.url.query else ""
            return RedirectResponse(wanted + query, status_code=308, headers=VARY)
    media = FORMAT_MEDIA[format] if format else choose(request.headers.get("accept"), OFFERED)
    if media is None:
        response = problem(406, "not-acceptable", "Not acceptable",
                           f"this resource is available as {', '.join(OFFERED)}", request)
        response.headers.update(VARY)
        return response
    if media == HTML and label is not None:
        # One HTML page per entity: the explorer's (relationships, neighbourhood, French).
        CatalogService(store).get(label, key)  # unknown entities are a 404 problem
        page = render_entity_page(request, label, key)
        page.headers.update(VARY)
        return page
    if media == JSON:
        body = (mapping_json(store, iris, key) if label is None
                else {"iri": str(iris.entity(label, key)),
                      **CatalogService(store).get(label, key)})
        return JSONResponse(body, headers=VARY)
    subject, graph = (mapping_document(store, iris, key) if label is None
                      else entity_document(store, iris, label, key))
    if media == HTML:
        alternates = {m: f"?format={k}" for k, m in FORMAT_MEDIA.items() if m != HTML}
        return HTMLResponse(html.render(graph, subject, alternates), headers=VARY)
    _, _, rdflib_format = RDF_FORMATS[FORMAT_OF_MEDIA[media]]
    return Response(graph.serialize(format=rdflib_format), headers=VARY,
                    media_type=f"{media}; charset=utf-8")

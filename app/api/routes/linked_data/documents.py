"""Dereferenceable IRIs: ``GET /id/{kind}/{code...}`` with content negotiation, for every IRI
the service mints (catalogue entities, mappings, sources, qualified statements, concept
schemes, mapping sets, releases, the current dataset).

A non-canonical form of an IRI (an unencoded ``:``, a code in another letter case, the other
level notation, a kind in capitals) is redirected (308) to the canonical IRI instead of being
described as if it were that IRI.
Answers carry ``ETag`` and ``Last-Modified``; a matching ``If-None-Match`` gets 304.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Literal
from urllib.parse import unquote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from rdflib import Graph, URIRef

from app.api.deps import Store
from app.api.http import VARY, conditional, etag_of, negotiated
from app.api.problems import problem
from app.api.rate_limit import LOOKUP
from app.api.rdf_deps import Minter
from app.api.schemas import LinkedDocument
from app.domain.errors import NotFound
from app.domain.text import N_
from app.domain.vocab import NodeLabel
from app.graph.state import tracker
from app.rdf import html
from app.rdf.iris import (
    DATASET_KIND,
    LABEL_OF,
    LEGACY_MAPPING_SETS,
    MAPPING_KIND,
    MAPPING_SET_KIND,
    OTHER_KINDS,
    RELEASE_KIND,
    SCHEME_KIND,
    SOURCE_KIND,
    STATEMENT_KIND,
    Iris,
    label_of_kind,
    parse_path,
)
from app.rdf.negotiation import FORMAT_OF_MEDIA, HTML, JSON, RDF_FORMATS, choose
from app.services.catalog.codes import CodeResolver
from app.services.catalog.reads import CatalogService
from app.services.linked_data import minted as linked
from app.services.linked_data.entity_documents import (
    entity_document,
    mapping_document,
    mapping_json,
)
from app.services.linked_data.releases import manifest

router = APIRouter(tags=["linked data"])
OFFERED = [HTML, JSON] + [media for media, _, _ in RDF_FORMATS.values()]
FORMAT_MEDIA = {"html": HTML, "json": JSON, **{k: m for k, (m, _, _) in RDF_FORMATS.items()}}
Format = Literal["html", "json", "turtle", "ntriples", "jsonld", "rdfxml"]
PREFIX = "/id/"


def _requested_path(request: Request) -> str:
    """The path below ``/id/`` exactly as the client wrote it (still percent-encoded)."""
    raw = request.scope.get("raw_path")
    path = raw.decode("latin-1") if raw else request.url.path
    start = path.find(PREFIX)
    return path[start + len(PREFIX):] if start >= 0 else path


def _redirect(request: Request, iri: str, status: int = 308) -> Response:
    query = request.url.query
    return RedirectResponse(iri + (f"?{query}" if query else ""), status_code=status,
                            headers=VARY)


def _rdf_answer(graph: Graph, media: str) -> Response:
    _, _, rdflib_format = RDF_FORMATS[FORMAT_OF_MEDIA[media]]
    return Response(graph.serialize(format=rdflib_format), headers=VARY,
                    media_type=f"{media}; charset=utf-8")


def _html_page(request: Request, graph: Graph, subject: URIRef) -> Response:
    alternates = {m: f"?format={k}" for k, m in FORMAT_MEDIA.items() if m != HTML}
    # the explorer's page when the app mounts the explorer (app.main wires it)
    linked_page = getattr(request.app.state, "linked_page", None)
    if linked_page is not None:
        page = linked_page(request, graph, subject, alternates)
        page.headers.update(VARY)
        return page
    return HTMLResponse(html.render(graph, subject, alternates), headers=VARY)


def _resource(request: Request, store: Store, iris: Iris, kind: str,
              parts: list[str]) -> linked.Resource:
    settings = request.app.state.settings
    if kind == SOURCE_KIND and len(parts) == 1:
        index = request.app.state.__dict__.setdefault("source_index", linked.SourceIndex())
        token = tracker(request.app.state).current(store).token
        return linked.source(index.get(store, iris, token), iris, parts[0].lower())
    if kind == STATEMENT_KIND and len(parts) == 3:
        return linked.statement(store, iris, *parts)
    if kind == SCHEME_KIND and len(parts) == 1:
        return linked.scheme(store, iris, parts[0])
    if kind == RELEASE_KIND and len(parts) == 1:
        return linked.release(settings.releases_dir, iris, parts[0])
    if kind == MAPPING_SET_KIND and len(parts) == 1:
        return linked.mapping_set(store, settings.releases_dir, iris, parts[0])
    if kind == DATASET_KIND and len(parts) == 1:
        return linked.dataset(iris, parts[0])
    if kind in OTHER_KINDS:
        raise NotFound(kind, "/".join(parts))
    label_of_kind(kind)  # UnknownKind, naming the kinds there are
    raise NotFound(kind, "/".join(parts))


@router.get("/id/{kind}/{code:path}", dependencies=[LOOKUP], response_class=Response,
            responses={
    200: {"model": LinkedDocument, "content": {m: {} for m in OFFERED},
          "description": "the resource; as JSON, an entity's detail with its IRI, or a "
                         "minted resource's IRI, kind and fields"},
    304: {"description": "not modified (the ETag given in If-None-Match still holds)"},
    308: {"description": "a non-canonical form of the IRI: redirect to the canonical one"},
    404: {"description": "unknown entity (problem+json)"},
    406: {"description": "no acceptable representation (problem+json)"}})
@negotiated
def dereference(kind: str, code: str, request: Request, store: Store, iris: Minter,
                format: Annotated[Format | None, Query(description="overrides Accept")] = None,
                ) -> Response:
    """The resource in the representation the ``Accept`` header prefers (q-values
    honoured): HTML, JSON, Turtle, N-Triples, JSON-LD or RDF/XML."""
    media = FORMAT_MEDIA[format] if format else choose(request.headers.get("accept"), OFFERED)
    if media is None:
        return problem(406, "not-acceptable", N_("Not acceptable"),
                       N_("this resource is available as %(offered)s"), request,
                       params={"offered": ", ".join(OFFERED)})
    # The segments as written: a code holding a '/' (an institution's course, in a
    # statement IRI) is one percent-encoded segment, which the decoded path would split.
    parts = [unquote(p) for p in _requested_path(request).split("/")[1:] if p]
    if kind == LEGACY_MAPPING_SETS and len(parts) == 1 and parts[0].endswith(".sssom.tsv"):
        version = parts[0].removesuffix(".sssom.tsv")
        return _redirect(request, str(iris.other(MAPPING_SET_KIND, version)), 301)
    modified: datetime = tracker(request.app.state).current(store).changed_at
    etag: str | None = None  # by default the hash of the answer's body
    answer: Callable[[], Response]
    if kind.lower() in LABEL_OF or kind.lower() == MAPPING_KIND:
        try:
            label, key = parse_path(kind, code)
        except ValueError as exc:
            raise NotFound(kind, code) from exc
        if label is None:
            iri = iris.mapping(key)
            mapping_json(store, iris, key)  # unknown mappings are a 404 problem
        else:  # any case, either level notation: the stored code (app.services.catalog.codes)
            key = CodeResolver(store).require(label, key)
            iri = iris.entity(label, key)
        answer = _entity_answer(request, store, iris, label, key, media)
    else:
        resource = _resource(request, store, iris, kind, parts)
        iri = resource.iri
        if kind == RELEASE_KIND:  # immutable, but its VoID's blank nodes are relabelled on
            # every serialisation: the same graph, not the same bytes (a weak validator)
            created = manifest(request.app.state.settings.releases_dir, parts[0])["created"]
            modified = datetime.fromisoformat(created)
            etag = "W/" + etag_of(str(iri), created, media)
        answer = _resource_answer(request, resource, media)
    if _requested_path(request) != iris.path_of(str(iri)):
        return _redirect(request, str(iri))
    return conditional(request, answer(), etag, modified)


def _entity_answer(request: Request, store: Store, iris: Iris, label: NodeLabel | None,
                   key: str, media: str) -> Callable[[], Response]:
    def answer() -> Response:
        entity_page = getattr(request.app.state, "entity_page", None)
        if media == HTML and entity_page is not None:
            # One HTML page per entity: the explorer's (relationships, neighbourhood, French),
            # when the app mounts the explorer (app.main wires it; the API never imports it).
            page = entity_page(request, label, key)
            page.headers.update(VARY)
            return page
        if media == JSON:
            body = (mapping_json(store, iris, key) if label is None
                    else {"iri": str(iris.entity(label, key)),
                          **CatalogService(store).get(label, key)})
            return JSONResponse(body, headers=VARY)
        subject, graph = (mapping_document(store, iris, key) if label is None
                          else entity_document(store, iris, label, key))
        return _html_page(request, graph, subject) if media == HTML else _rdf_answer(graph, media)

    return answer


def _resource_answer(request: Request, resource: linked.Resource,
                     media: str) -> Callable[[], Response]:
    def answer() -> Response:
        if media == JSON:
            return JSONResponse(resource.json(), headers=VARY)
        graph = resource.graph()
        return _html_page(request, graph, resource.iri) if media == HTML \
            else _rdf_answer(graph, media)

    return answer

"""``/sparql``: the SPARQL 1.1 Protocol, read-only, over the live graph (by default) or a
release (``?release=VERSION``, or the release's graph IRI as ``default-graph-uri``)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from pydantic import StringConstraints

from app.api.deps import store_of
from app.api.http import VARY, negotiated
from app.api.problems import answer as answer_problem
from app.api.problems import problem, problem_of
from app.api.rate_limit import QUERY
from app.api.rdf_deps import base_iri
from app.api.schemas import Problem
from app.domain.text import N_
from app.graph.state import tracker
from app.rdf.iris import CURRENT_DATASET, DATASET_KIND, Iris
from app.services.linked_data.export import Scope, export
from app.services.linked_data.sparql import (
    GRAPH_MEDIA,
    SELECT_MEDIA,
    Dataset,
    SparqlEndpoint,
    SparqlError,
    UpdateRefused,
)

router = APIRouter(tags=["linked data"])
MAX_QUERY = 20_000
SNAPSHOT_HEADER = "X-CQF-Snapshot"
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in SELECT_MEDIA + GRAPH_MEDIA},
          "description": "SELECT/ASK results as JSON, XML, CSV or TSV; CONSTRUCT/DESCRIBE "
                         "graphs as Turtle, N-Triples, RDF/XML or JSON-LD. The "
                         f"`{SNAPSHOT_HEADER}` header says which snapshot answered."},
    400: {"model": Problem, "description": "malformed query, an update (refused), or an "
                                           "unknown graph"},
    404: {"model": Problem, "description": "unknown release"},
    406: {"model": Problem, "description": "no acceptable result format for this query"},
    415: {"model": Problem, "description": "POST body of another media type"},
    422: {"model": Problem, "description": "too many results, or an invalid request"},
    503: {"model": Problem, "description": "query timeout, every worker busy, or the first "
                                           "live snapshot still being built"},
}
POST_BODY = {"requestBody": {"required": True, "content": {
    "application/sparql-query": {"schema": {"type": "string", "minLength": 1}},
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object", "required": ["query"],
        "properties": {"query": {"type": "string", "minLength": 1,
                                 "maxLength": MAX_QUERY}}}}}}}
# A graph IRI: absolute (a scheme, then no blank, control character or NUL).
GraphIri = Annotated[str, StringConstraints(min_length=1, max_length=2000,
                                            pattern=r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20]+$")]
Graphs = Annotated[list[GraphIri] | None, Query(alias="default-graph-uri", max_length=20)]
NamedGraphs = Annotated[list[GraphIri] | None, Query(alias="named-graph-uri", max_length=20)]
Release = Annotated[str | None, Query(pattern=r"^\d+\.\d+(\.\d+)?$", max_length=32,
                                      description="query this release instead of the live "
                                                  "graph")]


def _endpoint(request: Request) -> SparqlEndpoint:
    state = request.app.state
    if getattr(state, "sparql", None) is None:
        settings, store = state.settings, store_of(request)
        iris = Iris(base_iri(request))
        live = str(iris.other(DATASET_KIND, CURRENT_DATASET))
        state.sparql = SparqlEndpoint(
            settings.releases_dir, settings.sparql_timeout_seconds,
            settings.sparql_max_results, live,
            lambda: export(store, iris, "ntriples", Scope.ALL))
    return state.sparql


def _dataset(fields: dict[str, list[str]]) -> tuple[Dataset, str | None]:
    default, named = fields.get("default-graph-uri"), fields.get("named-graph-uri")
    release = (fields.get("release") or [None])[0]
    return Dataset(tuple(default) if default else None,
                   tuple(named) if named else None), release


def _one_query(request: Request, queries: list[str]) -> Response | str | None:
    """The request's one query (None: none given), or the 400 when it gives several (the
    SPARQL 1.1 Protocol: exactly one ``query`` per request)."""
    if len(queries) > 1:
        return problem(400, "sparql-several-queries", N_("Several queries"),
                       N_("a request carries exactly one query; this one has %(n)s"),
                       request, params={"n": len(queries)})
    return queries[0] if queries else None


def _answer(request: Request, text: str | None, fields: dict[str, list[str]]) -> Response:
    if not text or not text.strip():
        return problem(400, "sparql-missing-query", N_("Missing query"),
                       N_("pass a SPARQL query as `query=` (GET or form POST) or as an "
                          "application/sparql-query body"), request)
    if len(text) > MAX_QUERY:
        return problem(400, "sparql-query-too-long", N_("Query too long"),
                       N_("queries are limited to %(limit)s characters"), request,
                       params={"limit": MAX_QUERY})
    dataset, release = _dataset(fields)
    endpoint = _endpoint(request)
    try:
        token = tracker(request.app.state).current(store_of(request)).token
        snapshot = endpoint.snapshot(token, release, dataset)
        answer = endpoint.query(text, request.headers.get("accept"), snapshot, dataset)
    except SparqlError as exc:
        return answer_problem(request, problem_of(exc))
    headers = {**VARY, SNAPSHOT_HEADER: snapshot.label}
    if snapshot.release:
        headers["X-CQF-Release"] = snapshot.release
    return Response(answer.body, media_type=f"{answer.media_type}; charset=utf-8",
                    headers=headers)


def _refused(request: Request) -> Response:
    return answer_problem(request, problem_of(UpdateRefused()))


@router.get("/sparql", dependencies=[QUERY], response_class=Response, responses=RESPONSES)
@negotiated
def sparql_get(request: Request,
               query: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
               update: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
               default_graph_uri: Graphs = None, named_graph_uri: NamedGraphs = None,
               release: Release = None) -> Response:
    """A SPARQL query (``query=``) over the live graph, or over a release (``release=`` or
    its graph IRI as ``default-graph-uri``); results as the ``Accept`` header asks."""
    if update is not None:
        return _refused(request)
    one = _one_query(request, request.query_params.getlist("query"))
    if isinstance(one, Response):
        return one
    return _answer(request, one, {k: request.query_params.getlist(k) for k in
                                  ("default-graph-uri", "named-graph-uri", "release")})


@router.post("/sparql", dependencies=[QUERY], response_class=Response, responses=RESPONSES,
             openapi_extra=POST_BODY)
@negotiated
async def sparql_post(request: Request, default_graph_uri: Graphs = None,
                      named_graph_uri: NamedGraphs = None,
                      release: Release = None) -> Response:
    """The same, with the query as a form field or an application/sparql-query body (the
    dataset parameters in the URL, or in the form)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    fields = {k: request.query_params.getlist(k) for k in
              ("default-graph-uri", "named-graph-uri", "release")}
    body = await request.body()
    in_url = request.query_params.getlist("query")
    if kind == "application/sparql-update":
        return _refused(request)
    if kind == "application/sparql-query":
        one = _one_query(request, [*in_url, body.decode("utf-8", errors="replace")])
        if isinstance(one, Response):
            return one
        return await run_in_threadpool(_answer, request, one, fields)
    if kind == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if "update" in form:
            return _refused(request)
        for key in fields:
            fields[key] = fields[key] + form.get(key, [])
        one = _one_query(request, [*in_url, *form.get("query", [])])
        if isinstance(one, Response):
            return one
        return await run_in_threadpool(_answer, request, one, fields)
    return problem(415, "unsupported-media-type", N_("Unsupported media type"),
                   N_("send application/sparql-query or application/x-www-form-urlencoded"),
                   request)

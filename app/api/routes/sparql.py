"""``/sparql``: read-only SPARQL 1.1 protocol over the latest release."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from app.api.problems import problem
from app.api.rate_limit import QUERY
from app.api.schemas import Problem
from app.services.sparql import (
    CSV,
    JSON,
    NTRIPLES,
    TURTLE,
    XML,
    SparqlEndpoint,
    SparqlError,
    UpdateRefused,
)

router = APIRouter(tags=["linked data"])
MAX_QUERY = 20_000
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in (JSON, XML, CSV, TURTLE, NTRIPLES)},
          "description": "SPARQL results (JSON, XML or CSV; Turtle or N-Triples for graphs)"},
    400: {"model": Problem, "description": "malformed query, or an update (refused)"},
    415: {"model": Problem, "description": "POST body of another media type"},
    422: {"model": Problem, "description": "too many results, or an invalid request"},
    404: {"model": Problem, "description": "no release has been made yet"},
    503: {"model": Problem, "description": "query timeout, or every worker busy"},
}
POST_BODY = {"requestBody": {"content": {
    "application/sparql-query": {"schema": {"type": "string"}},
    "application/x-www-form-urlencoded": {"schema": {
        "type": "object", "properties": {"query": {"type": "string"}}}}}}}


def _endpoint(request: Request) -> SparqlEndpoint:
    state = request.app.state
    if getattr(state, "sparql", None) is None:
        settings = state.settings
        state.sparql = SparqlEndpoint(settings.releases_dir, settings.sparql_timeout_seconds,
                                      settings.sparql_max_results)
    return state.sparql


def _answer(request: Request, text: str | None) -> Response:
    if not text or not text.strip():
        return problem(400, "sparql-missing-query", "Missing query",
                       "pass a SPARQL query as `query=` (GET or form POST) or as an "
                       "application/sparql-query body", request)
    if len(text) > MAX_QUERY:
        return problem(400, "sparql-query-too-long", "Query too long",
                       f"queries are limited to {MAX_QUERY} characters", request)
    try:
        answer = _endpoint(request).query(text, request.headers.get("accept"))
    except SparqlError as exc:
        return problem(exc.status, exc.slug, exc.title, str(exc), request)
    return Response(answer.body, media_type=f"{answer.media_type}; charset=utf-8",
                    headers={"Vary": "Accept", "X-CQF-Release": answer.version})


def _refused(request: Request) -> Response:
    exc = UpdateRefused()
    return problem(exc.status, exc.slug, exc.title, str(exc), request)


@router.get("/sparql", dependencies=[QUERY], responses=RESPONSES)
def sparql_get(request: Request,
               query: Annotated[str | None, Query(max_length=MAX_QUERY)] = None,
               update: Annotated[str | None, Query(max_length=MAX_QUERY)] = None) -> Response:
    """SPARQL query over the latest release (``query=``); results by ``Accept``:
    application/sparql-results+json (default), application/sparql-results+xml, text/csv."""
    return _refused(request) if update is not None else _answer(request, query)


@router.post("/sparql", dependencies=[QUERY], responses=RESPONSES, openapi_extra=POST_BODY)
async def sparql_post(request: Request) -> Response:
    """The same, with the query as a form field or an application/sparql-query body."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    body = await request.body()
    if kind == "application/sparql-update":
        return _refused(request)
    if kind == "application/sparql-query":
        return await run_in_threadpool(_answer, request, body.decode("utf-8", errors="replace"))
    if kind == "application/x-www-form-urlencoded":
        form = parse_qs(body.decode("utf-8", errors="replace"))
        if "update" in form:
            return _refused(request)
        return await run_in_threadpool(_answer, request, (form.get("query") or [None])[0])
    return problem(415, "unsupported-media-type", "Unsupported media type",
                   "send application/sparql-query or application/x-www-form-urlencoded",
                   request)

"""RFC 9457 problem+json rendering for every error, in one place.

Stable ``type`` slugs let clients branch on the kind of problem; ``errors`` lists every bad
field or row. Exception text from the store or from bugs never reaches a client.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.http import VARY, HeadersOnly, allowed_methods, is_negotiated
from app.domain.errors import DomainError, FieldProblem, InvalidInput, Unauthorized, where
from app.graph.port import StoreUnavailable, UnstorableText
from app.rdf.negotiation import choose

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://cqf-graph.org/problems/"
MEDIA_TYPE = "application/problem+json"


@dataclass(frozen=True)
class Problem:
    """What an error is, whoever answers it: the API's handlers and middleware (problem+json)
    and the explorer's pages (HTML, app.web.errors) take the status and words from here."""

    status: int
    slug: str
    title: str
    detail: str
    members: Mapping[str, Any] = field(default_factory=dict)
    headers: Mapping[str, str] = field(default_factory=dict)

    def body(self, instance: str) -> dict[str, Any]:
        return {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status,
                "detail": self.detail, "instance": instance, **self.members}


STORE_DOWN = Problem(503, "store-unavailable", "Graph store unavailable",
                     "the graph store did not answer; retry shortly")
INTERNAL = Problem(500, "internal-error", "Internal error",
                   "the service failed to answer; the error was logged")
# Framework errors (routing, rate limits, body limits) by status: slug and title.
HTTP_PROBLEMS = {404: ("not-found", "Not found"), 405: ("method-not-allowed", None),
                 413: ("payload-too-large", "Payload too large"),
                 429: ("rate-limited", "Too many requests")}
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="cqf"'}
_REQUEST_PARTS = ("body", "query", "path", "header", "cookie")


def _location(loc: tuple[Any, ...]) -> str:
    """A pydantic location in the user's terms: ``develops › item 1 › proficiency`` for
    ``("body", "develops", 0, "proficiency")``; where in the request is implied."""
    parts = list(loc[1:] if loc and loc[0] in _REQUEST_PARTS and len(loc) > 1 else loc)
    return where(*(f"item {p + 1}" if isinstance(p, int) else p for p in parts))


def as_invalid_input(exc: RequestValidationError) -> InvalidInput:
    """FastAPI's validation errors as the domain's: one problem per offending field."""
    problems = [FieldProblem(_location(e["loc"]), e["msg"]) for e in exc.errors()]
    names = ", ".join(p.location for p in problems)
    return InvalidInput(problems, summary=f"invalid values: {names}")


def problem_of(exc: BaseException) -> Problem:
    """The one mapping from an exception to the problem answered for it. A bug's text, or
    the store's, never reaches a client: those get fixed words."""
    if isinstance(exc, RequestValidationError):
        invalid = as_invalid_input(exc)
        return Problem(invalid.status, invalid.slug, invalid.title, invalid.summary,
                       invalid.members())
    if isinstance(exc, InvalidInput):
        return Problem(exc.status, exc.slug, exc.title, str(exc), exc.members())
    if isinstance(exc, DomainError):
        return Problem(exc.status, exc.slug, exc.title, str(exc), exc.members(),
                       UNAUTHORIZED_HEADERS if isinstance(exc, Unauthorized) else {})
    if isinstance(exc, StoreUnavailable):
        return STORE_DOWN
    if isinstance(exc, UnstorableText):
        return problem_of(InvalidInput([FieldProblem("parameter", str(exc))]))
    if isinstance(exc, StarletteHTTPException):
        slug, title = HTTP_PROBLEMS.get(exc.status_code, ("http-error", None))
        return Problem(exc.status_code, slug, title or str(exc.detail), str(exc.detail),
                       headers=dict(exc.headers or {}))
    return INTERNAL


def answer(request: Request, found: Problem) -> Response:
    """The problem+json response; on a route that negotiates on ``Accept`` it says
    ``Vary: Accept`` like the route's other answers, and to ``HEAD`` it is sent without its
    body. A 405 lists every method of every route of the path, not just one's."""
    headers = {**({"Retry-After": "5"} if found.status == 503 else {}),
               **(VARY if is_negotiated(request) else {}), **found.headers}
    if found.status == 405:
        headers["Allow"] = allowed_methods(request)
    response = JSONResponse(found.body(request.url.path), status_code=found.status,
                            media_type=MEDIA_TYPE, headers=headers)
    # HEAD: the same status and headers, no body (HeadersOnly is a Response of its own).
    return HeadersOnly(response) if request.method == "HEAD" else response


def problem(status: int, slug: str, title: str, detail: str, request: Request,
            headers: Mapping[str, str] | None = None, **extra: Any) -> Response:
    """A problem a route decides itself (content negotiation: 406, 415, ...)."""
    return answer(request, Problem(status, slug, title, detail, extra, headers or {}))


def body_bytes(found: Problem, instance: str) -> bytes:
    """The problem+json body for ASGI code that answers before (or instead of) the app."""
    return json.dumps(found.body(instance)).encode()


def wants_html(request: Request) -> bool:
    """A browser's request: ``Accept`` prefers HTML to JSON (q-values honoured)."""
    return choose(request.headers.get("accept"), [MEDIA_TYPE, "application/json",
                                                  "text/html"]) == "text/html"


async def _handle(request: Request, exc: Exception) -> Response:
    found = problem_of(exc)
    if found is STORE_DOWN:
        log.warning("store.unavailable", path=request.url.path)
    elif found is INTERNAL:
        log.exception("request.failed", path=request.url.path)
    # A browser gets the explorer's error page, in its language, when the app mounts the
    # explorer (app.main wires it; the API never imports the explorer).
    error_page = getattr(request.app.state, "error_page", None)
    if error_page is not None and request.method != "HEAD" and wants_html(request):
        headers = {k: v for k, v in found.headers.items() if k.lower() != "content-type"}
        if found.status == 405:
            headers["Allow"] = allowed_methods(request)
        return error_page(request, exc, found.status, headers)
    return answer(request, found)


def document(app: FastAPI) -> None:
    """Make the OpenAPI document say what the handlers above really send, for every status a
    route can answer (``app.api.openapi``)."""
    from app.api.openapi import declare_statuses
    from app.api.schemas import Problem

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault("Problem", Problem.model_json_schema())
            declare_statuses(app, schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


def install(app: FastAPI) -> None:
    document(app)
    # One handler: problem_of decides (FastAPI looks handlers up by class, so each root is named).
    for root in (RequestValidationError, DomainError, StoreUnavailable, UnstorableText,
                 StarletteHTTPException, Exception):
        app.add_exception_handler(root, _handle)

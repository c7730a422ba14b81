"""RFC 9457 problem+json rendering for every error, in one place.

Stable ``type`` slugs let clients branch on the kind of problem; ``errors`` lists every bad
field or row. Exception text from the store or from bugs never reaches a client.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.http import VARY, HeadersOnly, allowed_methods, is_negotiated
from app.api.validation_words import as_invalid_input
from app.domain.errors import (
    TAKEN,
    Busy,
    Conflict,
    DomainError,
    FieldProblem,
    InvalidInput,
    RateLimited,
    Unauthorized,
    say,
)
from app.domain.json_input import MalformedJson
from app.domain.text import N_
from app.graph.port import ConstraintViolation, StoreUnavailable, UnstorableText
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
    source: DomainError | None = None  # the error it words, for another language's words
    # the detail's msgid and values, when no domain error words it (``say``)
    words: tuple[str, Mapping[str, object] | None] | None = None

    def body(self, instance: str) -> dict[str, Any]:
        return {"type": PROBLEM_BASE + self.slug, "title": self.title, "status": self.status,
                "detail": self.detail, "instance": instance, **self.members}


STORE_DOWN = Problem(503, "store-unavailable", N_("Graph store unavailable"),
                     N_("the graph store did not answer; retry shortly"))
INTERNAL = Problem(500, "internal-error", N_("Internal error"),
                   N_("the service failed to answer; the error was logged"))
# Framework errors (routing, body limits) by status: slug, title and detail.
HTTP_PROBLEMS = {
    404: ("not-found", N_("Not found"), N_("nothing is published at this address")),
    405: ("method-not-allowed", N_("Method not allowed"),
          N_("this address does not accept this kind of request; the Allow header lists "
             "the ones it accepts")),
    413: ("payload-too-large", N_("Payload too large"),
          N_("the request is larger than the service accepts")),
}
UNAUTHORIZED_HEADERS = {"WWW-Authenticate": 'Bearer realm="cqf"'}


def problem_of(exc: BaseException, request: Request | None = None) -> Problem:
    """The one mapping from an exception to the problem answered for it. A bug's text, or
    the store's, never reaches a client: those get fixed words. A validation error is said
    in the user's terms from the route's schema when the request is given."""
    if isinstance(exc, RequestValidationError):
        return problem_of(_user_terms(exc, request))
    if isinstance(exc, InvalidInput):
        return Problem(exc.status, exc.slug, exc.title, str(exc), exc.members(), source=exc)
    retry_after = getattr(exc, "retry_after", None)
    if isinstance(exc, Busy | RateLimited) and isinstance(retry_after, int):
        return Problem(exc.status, exc.slug, exc.title, str(exc), exc.members(),
                       {"Retry-After": str(retry_after)}, source=exc)
    if isinstance(exc, DomainError):
        return Problem(exc.status, exc.slug, exc.title, str(exc), exc.members(),
                       UNAUTHORIZED_HEADERS if isinstance(exc, Unauthorized) else {},
                       source=exc)
    if isinstance(exc, StoreUnavailable):
        return STORE_DOWN
    if isinstance(exc, ConstraintViolation):  # the store's own guard, e.g. two racing writes
        return problem_of(Conflict(TAKEN))
    if isinstance(exc, UnstorableText):
        return problem_of(InvalidInput([FieldProblem("parameter", str(exc))]))
    if isinstance(exc, StarletteHTTPException):
        if exc.status_code in HTTP_PROBLEMS:
            slug, title, detail = HTTP_PROBLEMS[exc.status_code]
            return Problem(exc.status_code, slug, title, detail,
                           headers=dict(exc.headers or {}))
        return Problem(exc.status_code, "http-error", str(exc.detail), str(exc.detail),
                       headers=dict(exc.headers or {}))
    return INTERNAL


def _user_terms(exc: RequestValidationError, request: Request | None) -> InvalidInput:
    if request is None:
        return as_invalid_input(exc)
    from app.api.middleware.asgi import route_template

    method = "GET" if request.method == "HEAD" else request.method  # HEAD answers as GET
    return as_invalid_input(exc, request.app.openapi(), route_template(request.scope), method)


# --- the request's language --------------------------------------------------------------

@dataclass(frozen=True)
class Words:
    """The languages problems are worded in and, per language, its gettext (wired by
    ``app.main`` from the explorer's catalogues: the API does not import the explorer)."""

    codes: tuple[str, ...]
    gettext_of: Callable[[str], Callable[[str], str]]


def language_of(scope: Mapping[str, Any], codes: tuple[str, ...]) -> str | None:
    """``lang=`` in the query, else the best of ``Accept-Language``; None for the source."""
    query = bytes(scope.get("query_string", b"")).decode("latin-1")
    for pair in query.split("&"):
        name, _, value = pair.partition("=")
        if name == "lang" and value in codes:
            return value
    accept = next((v.decode("latin-1") for k, v in scope.get("headers", ())
                   if k == b"accept-language"), "")
    ranked: list[tuple[float, int, str]] = []
    for n, item in enumerate(accept.split(",")):
        tag, _, rest = item.strip().partition(";")
        weight = 1.0
        if rest.strip().startswith("q="):
            try:
                weight = float(rest.strip()[2:])
            except ValueError:
                weight = 0.0
        base = tag.strip().lower().split("-")[0]
        if base in codes and weight > 0:
            ranked.append((-weight, n, base))
    return min(ranked)[2] if ranked else None


ANSWER_LANGUAGES = ("en", "fr")


def answer_language(request: Request) -> str:
    """The language an answer's sentences are written in: ``lang=`` in the query, else the
    best of ``Accept-Language`` among the catalogues' languages; English by default."""
    words = words_of(request.app)
    return language_of(request.scope, words.codes if words else ANSWER_LANGUAGES) or "en"


def language_headers(lang: str, vary: str | None = None) -> dict[str, str]:
    """``Content-Language`` of an answer in ``lang`` and ``Vary`` naming ``Accept-Language``
    (and ``vary``, e.g. ``Accept``, when the answer also negotiates on it)."""
    return {"Content-Language": lang,
            "Vary": f"{vary}, Accept-Language" if vary else "Accept-Language"}


def localise(found: Problem, scope: Mapping[str, Any], words: Words | None) -> Problem:
    """The problem worded in the request's language (English is the source: unchanged)."""
    lang = language_of(scope, words.codes) if words is not None else None
    if words is None or lang is None or lang == words.codes[0]:
        return found
    gettext = words.gettext_of(lang)
    source = found.source
    members = dict(found.members)
    detail = gettext(found.detail)
    if isinstance(source, InvalidInput):
        members["errors"] = [p.render(gettext) for p in source.problems]
        detail = gettext(source.summary)
    elif isinstance(source, MalformedJson):
        members["errors"] = [{**members["errors"][0], "message": source.problem.said(gettext)}]
        detail = source.problem.said(gettext)
    elif source is not None:
        detail = source.said(gettext)
    elif found.words is not None:
        detail = say(*found.words, gettext)
    return replace(found, title=gettext(found.title), detail=detail, members=members,
                   headers={**found.headers, "Content-Language": lang})


def words_of(app: Any) -> Words | None:
    return getattr(getattr(app, "state", None), "problem_words", None)


def answer(request: Request, found: Problem) -> Response:
    """The problem+json response; on a route that negotiates on ``Accept`` it says
    ``Vary: Accept`` like the route's other answers (a 406 always does: it answers the
    ``Accept`` header), and to ``HEAD`` it is sent without its
    body. A 405 lists every method of every route of the path, not just one's."""
    found = localise(found, request.scope, words_of(request.app))
    headers = {**({"Retry-After": "5"} if found.status == 503 else {}),
               **(VARY if is_negotiated(request) or found.status == 406 else {}),
               **found.headers}
    if found.status == 405:
        headers["Allow"] = allowed_methods(request)
    response = JSONResponse(found.body(request.url.path), status_code=found.status,
                            media_type=MEDIA_TYPE, headers=headers)
    # HEAD: the same status and headers, no body (HeadersOnly is a Response of its own).
    return HeadersOnly(response) if request.method == "HEAD" else response


def problem(status: int, slug: str, title: str, detail: str, request: Request,
            headers: Mapping[str, str] | None = None,
            params: Mapping[str, object] | None = None, **extra: Any) -> Response:
    """A problem a route decides itself (content negotiation: 406, 415, ...): ``title`` and
    ``detail`` are msgids (``N_``), the detail filled with ``params``."""
    return answer(request, Problem(status, slug, title, say(detail, params), extra,
                                   headers or {}, words=(detail, params)))


def body_bytes(found: Problem, instance: str) -> bytes:
    """The problem+json body for ASGI code that answers before (or instead of) the app."""
    return json.dumps(found.body(instance)).encode()


def log_failure(path: str, exc: BaseException) -> None:
    """A bug's 500 in the log: the exception's type, message and traceback (the client gets
    fixed words, ``INTERNAL``). The logger is taken here, with the configuration of now."""
    structlog.get_logger(__name__).error("request.failed", path=path,
                                         error_type=type(exc).__qualname__, error=str(exc),
                                         exc_info=exc)


def wants_html(request: Request) -> bool:
    """A browser's request: ``Accept`` prefers HTML to JSON (q-values honoured)."""
    return choose(request.headers.get("accept"), [MEDIA_TYPE, "application/json",
                                                  "text/html"]) == "text/html"


async def _handle(request: Request, exc: Exception) -> Response:
    found = problem_of(exc, request)
    if found is STORE_DOWN:
        log.warning("store.unavailable", path=request.url.path)
    elif found is INTERNAL:
        log_failure(request.url.path, exc)
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
    from app.api import case_schemas
    from app.api.openapi import declare_statuses
    from app.api.schemas import Problem

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = FastAPI.openapi(app)
            schemas = schema.setdefault("components", {}).setdefault("schemas", {})
            schemas.setdefault("Problem", Problem.model_json_schema())
            schemas.update(case_schemas.components())  # the CASE answers' 1EdTech schemas
            schema["info"]["x-case-definitions"] = case_schemas.derived_from()
            declare_statuses(app, schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


def install(app: FastAPI) -> None:
    document(app)
    # One handler: problem_of decides (FastAPI looks handlers up by class, so each root is named).
    for root in (RequestValidationError, DomainError, StoreUnavailable, UnstorableText,
                 ConstraintViolation, StarletteHTTPException, Exception):
        app.add_exception_handler(root, _handle)

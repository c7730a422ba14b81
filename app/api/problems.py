"""RFC 9457 problem+json rendering for every error, in one place.

Stable ``type`` slugs let clients branch on the kind of problem; ``errors`` lists every bad
field or row. Exception text from the store or from bugs never reaches a client.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.api.http import VARY, HeadersOnly, allowed_methods, is_negotiated
from app.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    PayloadTooLarge,
    Unauthorized,
    where,
)
from app.graph.port import StoreUnavailable

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://cqf-graph.org/problems/"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, slug: str, title: str, detail: str, request: Request,
            headers: Mapping[str, str] | None = None, **extra: Any) -> JSONResponse:
    """The problem answer; on a route that negotiates on ``Accept`` it says ``Vary: Accept``
    like the route's other answers, and to ``HEAD`` it is sent without its body."""
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    headers = {**({"Retry-After": "5"} if status == 503 else {}),
               **(VARY if is_negotiated(request) else {}), **(headers or {})}
    response = JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)
    return HeadersOnly(response) if request.method == "HEAD" else response  # type: ignore[return-value]


_REQUEST_PARTS = ("body", "query", "path", "header", "cookie")


def _location(loc: tuple[Any, ...]) -> str:
    """A pydantic location in the user's terms: ``develops › item 1 › proficiency`` for
    ``("body", "develops", 0, "proficiency")``; where in the request is implied."""
    parts = list(loc[1:] if loc and loc[0] in _REQUEST_PARTS and len(loc) > 1 else loc)
    return where(*(f"item {p + 1}" if isinstance(p, int) else p for p in parts))


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"location": _location(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    names = ", ".join(e["location"] for e in errors)
    return problem(422, "invalid-request", "Invalid request", f"invalid values: {names}",
                   request, errors=errors)


async def _invalid(request: Request, exc: InvalidInput) -> JSONResponse:
    errors = [{"location": p.location, "message": p.message,
               **({"value": p.value} if isinstance(p.value, str | int | float) else {}),
               **({"line": p.line} if p.line is not None else {}),
               **({"column": p.column} if p.column is not None else {})}
              for p in exc.problems]
    return problem(422, "invalid-request", "Invalid request", str(exc), request, errors=errors)


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    return problem(404, "not-found", "Not found", str(exc), request, kind=exc.kind,
                   code=exc.code)


async def _unauthorized(request: Request, exc: Unauthorized) -> JSONResponse:
    response = problem(401, "unauthorized", "Unauthorized", str(exc), request)
    response.headers["WWW-Authenticate"] = 'Bearer realm="cqf"'
    return response


async def _forbidden(request: Request, exc: Forbidden) -> JSONResponse:
    return problem(403, "forbidden", "Forbidden", str(exc), request)


async def _too_large(request: Request, exc: PayloadTooLarge) -> JSONResponse:
    return problem(413, "payload-too-large", "Payload too large", str(exc), request,
                   limit=exc.limit)


async def _conflict(request: Request, exc: Conflict) -> JSONResponse:
    return problem(409, "conflict", "Conflict", str(exc), request)


async def _store_down(request: Request, exc: StoreUnavailable) -> JSONResponse:
    log.warning("store.unavailable", path=request.url.path)
    return problem(503, "store-unavailable", "Graph store unavailable",
                   "the graph store did not answer; retry shortly", request)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    slug = {404: "not-found", 405: "method-not-allowed", 413: "payload-too-large",
            429: "rate-limited"}.get(exc.status_code, "http-error")
    title = {413: "Payload too large", 429: "Too many requests"}.get(exc.status_code,
                                                                     str(exc.detail))
    headers = dict(exc.headers or {})
    if exc.status_code == 405:  # every method of every route of this path, not just one's
        headers["Allow"] = allowed_methods(request)
    return problem(exc.status_code, slug, title, str(exc.detail), request, headers=headers)


async def _domain(request: Request, exc: DomainError) -> JSONResponse:
    return problem(400, "bad-request", "Bad request", str(exc), request)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("request.failed", path=request.url.path)
    return problem(500, "internal-error", "Internal error",
                   "the service failed to answer; the error was logged", request)


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

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    document(app)
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(InvalidInput, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(Unauthorized, _unauthorized)  # type: ignore[arg-type]
    app.add_exception_handler(Forbidden, _forbidden)  # type: ignore[arg-type]
    app.add_exception_handler(PayloadTooLarge, _too_large)  # type: ignore[arg-type]
    app.add_exception_handler(Conflict, _conflict)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, _store_down)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)

"""RFC 9457 problem+json rendering for every error, in one place.

Stable ``type`` slugs let clients branch on the kind of problem; ``errors`` lists every bad
field or row. Exception text from the store or from bugs never reaches a client.
"""

from __future__ import annotations

from typing import Any

import structlog
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from app.domain.errors import DomainError, InvalidInput, NotFound
from app.graph.port import StoreUnavailable

log = structlog.get_logger(__name__)

PROBLEM_BASE = "https://cqf-graph.org/problems/"
MEDIA_TYPE = "application/problem+json"


def problem(status: int, slug: str, title: str, detail: str, request: Request,
            **extra: Any) -> JSONResponse:
    body = {"type": PROBLEM_BASE + slug, "title": title, "status": status, "detail": detail,
            "instance": request.url.path, **extra}
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _location(loc: tuple[Any, ...]) -> str:
    return ".".join(str(part) for part in loc)


async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = [{"location": _location(e["loc"]), "message": e["msg"]} for e in exc.errors()]
    names = ", ".join(e["location"] for e in errors)
    return problem(422, "invalid-request", "Invalid request", f"invalid values: {names}",
                   request, errors=errors)


async def _invalid(request: Request, exc: InvalidInput) -> JSONResponse:
    errors = [{"location": p.location, "message": p.message,
               **({"value": p.value} if isinstance(p.value, str | int | float) else {})}
              for p in exc.problems]
    return problem(422, "invalid-request", "Invalid request", str(exc), request, errors=errors)


async def _not_found(request: Request, exc: NotFound) -> JSONResponse:
    return problem(404, "not-found", "Not found", str(exc), request, kind=exc.kind,
                   code=exc.code)


async def _store_down(request: Request, exc: StoreUnavailable) -> JSONResponse:
    log.warning("store.unavailable", path=request.url.path)
    return problem(503, "store-unavailable", "Graph store unavailable",
                   "the graph store did not answer; retry shortly", request)


async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    slug = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem(exc.status_code, slug, str(exc.detail), str(exc.detail), request)


async def _domain(request: Request, exc: DomainError) -> JSONResponse:
    return problem(400, "bad-request", "Bad request", str(exc), request)


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("request.failed", path=request.url.path)
    return problem(500, "internal-error", "Internal error",
                   "the service failed to answer; the error was logged", request)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)  # type: ignore[arg-type]
    app.add_exception_handler(InvalidInput, _invalid)  # type: ignore[arg-type]
    app.add_exception_handler(NotFound, _not_found)  # type: ignore[arg-type]
    app.add_exception_handler(DomainError, _domain)  # type: ignore[arg-type]
    app.add_exception_handler(StoreUnavailable, _store_down)  # type: ignore[arg-type]
    app.add_exception_handler(StarletteHTTPException, _http)  # type: ignore[arg-type]
    app.add_exception_handler(Exception, _unexpected)

"""Pure ASGI middleware: request context (request id, access log, security headers) and body
limits (rate limits are declared on the routes: app/api/rate_limit.py). ``install_limits``
and ``install_context`` wire them in the one order that makes sense:

    request context  (outermost: every response, even a 413 or 429, gets its id and headers)
    -> metrics (app/api/metrics.py) -> CORS (only when an allow-list is configured)
    -> body limit -> the app
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.api.middleware.body_limit import BodyLimitMiddleware
from app.api.middleware.context import RequestContextMiddleware
from app.settings import Settings


def install_limits(app: FastAPI, settings: Settings) -> None:
    """Body limit and CORS. ``add_middleware`` puts each new middleware outside
    the previous ones, so they are added innermost first."""
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type",
                                          "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After", "Location"],
                           allow_credentials=False, max_age=600)


def install_context(app: FastAPI) -> None:
    """Request id, access log and security headers: add last, so it wraps everything."""
    app.add_middleware(RequestContextMiddleware)

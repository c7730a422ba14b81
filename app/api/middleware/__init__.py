"""Pure ASGI middleware. ``install`` wires the service's layers in the one order that makes
sense:

    service layer  (app/api/middleware/service.py: request id, security headers, access log,
                    metrics, body limit, read models dropped after a write; outermost, so
                    every response, even a 413 or 429, gets its id and headers)
    -> CORS        (only when an allow-list is configured; the body limit then moves inside
                    it, as its own layer, so a 413 carries the CORS headers)
    -> the app     (rate limits are declared on the routes: app/api/rate_limit.py)
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.api.middleware.body_limit import BodyLimitMiddleware
from app.api.middleware.service import RequestObserver, ServiceMiddleware
from app.settings import Settings


def install(app: FastAPI, settings: Settings, metrics: RequestObserver | None,
            on_write: Callable[[], None] | None) -> None:
    """``add_middleware`` puts each new middleware outside the previous ones, so they are
    added innermost first."""
    cors = bool(settings.cors_origins)
    if cors:
        app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes,
                           max_upload_bytes=settings.max_upload_bytes)
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST", "PUT", "DELETE"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type",
                                          "X-Request-ID"],
                           expose_headers=["X-Request-ID", "Retry-After", "Location"],
                           allow_credentials=False, max_age=600)
    app.add_middleware(ServiceMiddleware, metrics=metrics, limit_bodies=not cors,
                       max_bytes=settings.max_body_bytes,
                       max_upload_bytes=settings.max_upload_bytes, on_write=on_write)

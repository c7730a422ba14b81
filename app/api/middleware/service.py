"""The service's one ASGI layer: request context, security headers, access log, metrics, body
limit, and dropping this process's read models after a write.

These used to be four stacked middlewares, each wrapping ``send`` in a closure of its own and
running per request; measured against a bare FastAPI app, the service's trivial endpoint
lost most of its throughput to the stack. One layer wraps ``send`` once, finds the route
template once (for the log and the metrics), and builds the access log entry only when it
will be emitted.

- ``X-Request-ID``: a well-formed id sent by the client is echoed, otherwise one is made; it
  is bound into structlog's context, so every log line written while serving the request
  carries it.
- The access log names method, path, route template, status, duration and client address.
  It never logs headers or query strings, so API keys cannot reach the logs from here.
- Every response: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
  ``X-Frame-Options: DENY``; HTML responses also get a Content-Security-Policy unless the page
  set its own.
- Body limit on write routes (413 problem+json), see ``body_limit``. When CORS is configured,
  the limit runs in its own layer inside CORS instead (so a 413 still carries the CORS
  headers a browser needs to read it); ``limit_bodies`` is then False here.
- A bug's 500 is answered here, so it too carries the request id and the security headers.
- After a successful write (2xx to POST/PUT/PATCH/DELETE, queries excepted) ``on_write`` runs:
  the read models of this process are dropped at once; other workers see the change within
  their refresh time (``app.graph.refresh_cache``).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Protocol

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.asgi import header, route_template, send_problem
from app.api.middleware.body_limit import WRITE_METHODS, limited
from app.api.problems import INTERNAL, log_failure

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STRICT_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (served locally, app/api/docs.py) starts itself with one inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
ALWAYS = ((b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
          (b"x-frame-options", b"DENY"))
# POSTs that read (they change nothing): no read model to drop after them.
QUERIES = re.compile(r"^/api/v1/(portability|career-plans|sparql)$|^/sparql$")
UNMATCHED = "<unmatched>"



def request_id_of(scope: Scope) -> str:
    given = header(scope, b"x-request-id")
    return given if given and REQUEST_ID.match(given) else uuid.uuid4().hex


def security_headers(raw: list[tuple[bytes, bytes]], path: str) -> None:
    """Add the security headers a response does not already set (in place)."""
    present = {name.lower() for name, _ in raw}
    raw.extend(item for item in ALWAYS if item[0] not in present)
    if b"content-security-policy" in present:
        return
    content_type = next((v for k, v in raw if k.lower() == b"content-type"), b"")
    if content_type.startswith(b"text/html"):
        csp = DOCS_CSP if path in DOCS_PATHS else STRICT_CSP
        raw.append((b"content-security-policy", csp.encode()))


class RequestObserver(Protocol):
    """Where answered requests are counted (``app.api.metrics.Metrics``)."""

    def observe(self, method: str, route: str, status: int, seconds: float) -> None: ...


class ServiceMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: RequestObserver | None = None,
                 limit_bodies: bool = True, max_bytes: int = 1024 * 1024,
                 max_upload_bytes: int = 10 * 1024 * 1024,
                 on_write: Callable[[], None] | None = None) -> None:
        self.app = app
        self.metrics = metrics
        self.limit_bodies = limit_bodies
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes
        self.on_write = on_write
        self.access = structlog.get_logger("cqf.access")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        rid = request_id.encode("latin-1")
        path = scope["path"]
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                raw = list(message.get("headers", ()))
                raw = [(k, v) for k, v in raw if k.lower() != b"x-request-id"]
                raw.append((b"x-request-id", rid))
                security_headers(raw, path)
                message["headers"] = raw
            await send(message)

        writes = scope["method"] in WRITE_METHODS
        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                if writes and self.limit_bodies:
                    await limited(self.app, scope, receive, send_with_headers,
                                  self.max_upload_bytes if path.endswith(":bulk")
                                  else self.max_bytes)
                else:
                    await self.app(scope, receive, send_with_headers)
            except Exception as exc:
                if responded:
                    raise
                log_failure(path, exc)
                await send_problem(send_with_headers, scope, INTERNAL)
            finally:
                self._after(scope, status, started, writes)

    def _after(self, scope: Scope, status: int, started: float, writes: bool) -> None:
        seconds = time.perf_counter() - started
        if writes and self.on_write is not None and 200 <= status < 300 \
                and not QUERIES.match(scope["path"]):
            self.on_write()
        route = route_template(scope)
        if self.metrics is not None:
            self.metrics.observe(scope["method"], route or UNMATCHED, status, seconds)
        if self.access.is_enabled_for(logging.INFO):
            self.access.info("http.request", method=scope["method"], path=scope["path"],
                             route=route, status=status, duration_ms=round(seconds * 1000, 2),
                             client=(scope.get("client") or ("-",))[0])

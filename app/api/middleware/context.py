"""Request context: a request id on every response and log line, one structured access log
line per request, and security headers.

- ``X-Request-ID``: a well-formed id sent by the client is echoed, otherwise one is made; it
  is bound into structlog's context, so every log line written while serving the request
  carries it.
- The access log names method, path, route template, status, duration and client address.
  It never logs headers or query strings, so API keys cannot reach the logs from here.
- Every response: ``X-Content-Type-Options: nosniff``, ``Referrer-Policy: no-referrer``,
  ``X-Frame-Options: DENY``. HTML responses also get a Content-Security-Policy (the API docs
  pages load Swagger UI / ReDoc from their CDN, so they get a policy that allows exactly
  that), unless the page set its own.
"""

from __future__ import annotations

import json
import re
import time
import uuid

import structlog
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.asgi import header, route_template

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
STRICT_CSP = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
              "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Swagger UI (served locally, app/api/docs.py) starts itself with one inline script.
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
            "form-action 'self'; frame-ancestors 'none'")
DOCS_PATHS = frozenset({"/docs", "/docs/oauth2-redirect"})
ALWAYS = {"x-content-type-options": "nosniff", "referrer-policy": "no-referrer",
          "x-frame-options": "DENY"}


def request_id_of(scope: Scope) -> str:
    given = header(scope, b"x-request-id")
    return given if given and REQUEST_ID.match(given) else uuid.uuid4().hex


def add_security_headers(headers: MutableHeaders, path: str) -> None:
    for name, value in ALWAYS.items():
        headers.setdefault(name, value)
    if headers.get("content-type", "").startswith("text/html"):
        headers.setdefault("content-security-policy",
                           DOCS_CSP if path in DOCS_PATHS else STRICT_CSP)


INTERNAL_ERROR = json.dumps({
    "type": "https://cqf-graph.org/problems/internal-error", "title": "Internal error",
    "status": 500, "detail": "the service failed to answer; the error was logged",
}).encode()


async def _internal_error(scope: Scope, send: Send) -> None:
    await send({"type": "http.response.start", "status": 500, "headers": [
        (b"content-type", b"application/problem+json"),
        (b"content-length", str(len(INTERNAL_ERROR)).encode())]})
    await send({"type": "http.response.body", "body": INTERNAL_ERROR})


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = request_id_of(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                headers = MutableHeaders(scope=message)
                headers["x-request-id"] = request_id
                add_security_headers(headers, scope["path"])
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_headers)
            except Exception:
                # Answered here rather than by Starlette's outermost error middleware, so even
                # a bug's 500 carries the request id and the security headers.
                if responded:
                    raise
                structlog.get_logger(__name__).exception("request.failed", path=scope["path"])
                await _internal_error(scope, send_with_headers)
            finally:
                structlog.get_logger("cqf.access").info(
                    "http.request", method=scope["method"], path=scope["path"],
                    route=route_template(scope), status=status,
                    duration_ms=round((time.perf_counter() - started) * 1000, 2),
                    client=(scope.get("client") or ("-",))[0])

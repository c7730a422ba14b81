"""Request body size limits on write routes (413 problem+json).

A declared ``Content-Length`` over the limit is refused before the app runs; a chunked body
is counted as it streams and the app is stopped the moment it passes the limit, so nothing
is parsed, let alone written. Bulk uploads have their own, larger limit.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.asgi import header, send_problem
from app.api.problems import problem_of
from app.domain.errors import PayloadTooLarge

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOAD_SUFFIX = ":bulk"


class BodyTooLarge(HTTPException):
    """Raised from ``receive`` when a streamed body passes the limit. An HTTPException, so
    that FastAPI's body parsing lets it through to the problem+json handlers."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"the request body exceeds the limit of {limit} bytes")


class BodyLimitMiddleware:
    """The limit as a layer of its own: used only inside CORS, when CORS is configured (see
    ``app.api.middleware.service``); otherwise the service layer applies ``limited``."""

    def __init__(self, app: ASGIApp, max_bytes: int, max_upload_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_upload_bytes = max_upload_bytes

    def limit_for(self, scope: Scope) -> int:
        return self.max_upload_bytes if scope["path"].endswith(UPLOAD_SUFFIX) else self.max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in WRITE_METHODS:
            await self.app(scope, receive, send)
            return
        await limited(self.app, scope, receive, send, self.limit_for(scope))


async def limited(app: ASGIApp, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
    """Run ``app`` on a write request with its body held to ``limit`` bytes."""
    declared = header(scope, b"content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        await _refuse(send, scope, limit)
        return
    received = 0
    started = False

    async def counted_receive() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise BodyTooLarge(limit)
        return message

    async def tracked_send(message: Message) -> None:
        nonlocal started
        started = started or message["type"] == "http.response.start"
        await send(message)

    try:
        await app(scope, counted_receive, tracked_send)
    except BodyTooLarge:
        if not started:
            await _refuse(send, scope, limit)


async def _refuse(send: Send, scope: Scope, limit: int) -> None:
    await send_problem(send, scope, problem_of(PayloadTooLarge(f"{limit} bytes",
                                                              "the request body")))

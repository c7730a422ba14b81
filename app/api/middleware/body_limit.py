"""Request body size limits on write routes (413 problem+json).

A declared ``Content-Length`` over the limit is refused before the app runs; a chunked body
is counted as it streams and the app is stopped the moment it passes the limit, so nothing
is parsed, let alone written. Bulk uploads have their own, larger limit.

A JSON body (``application/json``, ``…+json``) within the limit is read whole and checked
before the app runs (``app.domain.json_input``): text that is not JSON is a 400, a number that
is not finite, a lone surrogate or a value nested deeper than 64 a 422 naming the field —
never a 500 from the parser, the validators or the store.
"""

from __future__ import annotations

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.middleware.asgi import header, send_problem
from app.api.problems import problem_of
from app.domain import json_input
from app.domain.errors import DomainError, PayloadTooLarge
from app.domain.text import N_

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
        if _is_json(scope):
            await _checked_json(app, scope, counted_receive, tracked_send)
        else:
            await app(scope, counted_receive, tracked_send)
    except BodyTooLarge:
        if not started:
            await _refuse(send, scope, limit)


def _is_json(scope: Scope) -> bool:
    kind = (header(scope, b"content-type") or "").split(";", 1)[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/")
                                          and kind.endswith("+json"))


async def _checked_json(app: ASGIApp, scope: Scope, receive: Receive, send: Send) -> None:
    """Read the body, refuse what the service cannot take as JSON, else hand the same bytes
    on to the app (which parses them again: JSON within the limit parses in milliseconds)."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    body = b"".join(chunks)
    if body:
        try:
            json_input.loads(body)
        except DomainError as exc:
            await send_problem(send, scope, problem_of(exc))
            return
    replayed = False

    async def replay() -> Message:
        nonlocal replayed
        if replayed:
            return await receive()
        replayed = True
        return {"type": "http.request", "body": body, "more_body": False}

    await app(scope, replay, send)


async def _refuse(send: Send, scope: Scope, limit: int) -> None:
    await send_problem(send, scope, problem_of(PayloadTooLarge(f"{limit} bytes",
                                                              N_("the request body"))))

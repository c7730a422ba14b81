"""Small helpers shared by the ASGI middleware: header access and problem+json replies."""

from __future__ import annotations

from starlette.types import Scope, Send

from app.api.problems import MEDIA_TYPE, Problem, body_bytes, localise, words_of


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_problem(send: Send, scope: Scope, found: Problem) -> None:
    """Answer with RFC 9457 problem+json before (or instead of) the app, in the request's
    language."""
    found = localise(found, scope, words_of(scope.get("app")))
    body = body_bytes(found, scope.get("path", ""))
    raw = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in found.headers.items()]
    await send({"type": "http.response.start", "status": found.status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def route_template(scope: Scope) -> str | None:
    """The matched route's full path template (``/api/v1/frameworks/{code}``), or None.
    FastAPI keeps an included router's routes relative to it: add the include prefix."""
    route = scope.get("route")
    path: str | None = getattr(route, "path", None)
    if path is None:
        return None
    included = scope.get("fastapi", {}).get("included_router")
    prefix = getattr(getattr(included, "include_context", None), "prefix", "") or ""
    return path if path.startswith(prefix) and prefix else prefix + path

"""Small helpers shared by the ASGI middleware: header access and problem+json replies."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Scope, Send

from app.api.problems import MEDIA_TYPE, PROBLEM_BASE


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


async def send_problem(send: Send, scope: Scope, status: int, slug: str, title: str,
                       detail: str, headers: dict[str, str] | None = None,
                       **extra: Any) -> None:
    """Answer with RFC 9457 problem+json before (or instead of) the app."""
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": title, "status": status,
                       "detail": detail, "instance": scope.get("path", ""), **extra}).encode()
    raw = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def route_template(scope: Scope) -> str | None:
    """The matched route's full path template (``/api/v1/frameworks/{code}``), or None.
    FastAPI keeps an included router's routes relative to it: add the include prefix."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if path is None:
        return None
    included = scope.get("fastapi", {}).get("included_router")
    prefix = getattr(getattr(included, "include_context", None), "prefix", "") or ""
    return path if path.startswith(prefix) and prefix else prefix + path

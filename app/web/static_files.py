"""The explorer's CSS, script and icon, served by Starlette's ``StaticFiles`` (ETag,
Last-Modified, 304s, path checks) with a caching policy on top.

Pages link each file with its content hash (``/static/explorer.css?v=1a2b3c4d5e6f``): such a
request may be cached for a year (``immutable``), since a changed file gets a new address.
A request without the current hash (an old page, a hand-typed URL) is cached for five minutes
and then revalidated with the ETag."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import PathLike, StaticFiles
from starlette.types import Scope

STATIC_DIR = Path(__file__).parent / "static"
PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
SHORT = "public, max-age=300, must-revalidate"


@functools.cache
def version(name: str) -> str:
    """The first 12 hex digits of the file's SHA-256: its version in links."""
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    """The versioned address pages link to."""
    return f"{PREFIX}/{name}?v={version(name)}"


class CachedStaticFiles(StaticFiles):
    """``StaticFiles`` whose answers carry ``Cache-Control`` (see the module docstring)."""

    def file_response(self, full_path: PathLike, stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        asked = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("v")
        relative = Path(full_path).resolve().relative_to(STATIC_DIR.resolve()).as_posix()
        fresh = asked is not None and asked == version(relative)
        response.headers["Cache-Control"] = IMMUTABLE if fresh else SHORT
        return response


def mount(app: FastAPI) -> None:
    """Serves ``app/web/static`` at ``/static``."""
    app.mount(PREFIX, CachedStaticFiles(directory=STATIC_DIR), name="explorer-static")

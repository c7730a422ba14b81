"""HTTP semantics done with FastAPI's own mechanisms (no middleware layer):

- ``install(app)``, called once every router is included: every GET route also answers
  ``HEAD`` (the same status and headers, no body; a streamed body is never even started);
  every 200 a GET route answers carries an ``ETag`` and a matching ``If-None-Match`` gets
  304. Under ``/api/v1``, CASE and SPARQL, an answer that rests only on the graph and the
  request (every such GET route but those of keys, which depend on the caller, and those
  that set validators of their own: exports, releases) is named by the state tokens of the
  graph (``app.domain.parts``) and the request (URL, ``Accept``, ``Accept-Language``): a 304
  is then answered before the route runs, so it costs no query and no body. The tokens are
  the ones the kept answers key on (``app.api.answers``): a write through this process is
  seen at once, another worker's within the refresh time (at most 1 s). Any other answer's
  ``ETag`` is its body's hash (a streamed one's is the route's own); and
  the router's routes are indexed by their full path so that a 405 can name *every* method the
  path takes in ``Allow`` (Starlette names only the first route that matched the path), HEAD
  wherever GET is.
- Large answers held in memory go out in gzip when the client accepts it, each compressed
  once per representation (``app.api.compression``).
- ``negotiated``: marks an endpoint whose answer depends on ``Accept``; every answer of such
  an endpoint, errors included, carries ``Vary: Accept`` (see ``app.api.problems``).
- ``conditional(...)``: ``ETag`` and ``Last-Modified`` on an answer, and ``304 Not Modified``
  when the client's ``If-None-Match`` (or, without one, ``If-Modified-Since``) matches.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Callable, Coroutine, Iterator
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from fastapi.routing import APIRoute, request_response
from starlette.routing import compile_path
from starlette.types import Receive, Scope, Send

from app.api.compression import CompressedBodies, compressed
from app.api.deps import require_key
from app.domain.parts import EVERYTHING
from app.graph import state as graph_state
from app.graph.port import StoreUnavailable

Handler = Callable[[Request], Coroutine[Any, Any, Response]]
F = TypeVar("F", bound=Callable[..., Any])
NEGOTIATED = "__cqf_negotiated__"
VARY = {"Vary": "Accept"}
# Headers a 304 repeats from the answer it stands for (RFC 9110, 15.4.5).
KEPT_ON_304 = ("etag", "last-modified", "vary", "cache-control", "content-location",
               "expires", "x-cqf-snapshot")


# --- Vary ---------------------------------------------------------------------------------

def negotiated(endpoint: F) -> F:
    """Decorator (under ``@router.get``): this endpoint negotiates on ``Accept``."""
    setattr(endpoint, NEGOTIATED, True)
    return endpoint


def is_negotiated(request: Request) -> bool:
    return bool(getattr(request.scope.get("endpoint"), NEGOTIATED, False))


# --- HEAD -----------------------------------------------------------------------------------

class HeadersOnly(Response):
    """The answer ``source`` would give, without its body: what ``HEAD`` sends."""

    def __init__(self, source: Response) -> None:
        self.status_code = source.status_code
        self.background = source.background
        self.body = b""
        self.raw_headers = list(source.raw_headers)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send({"type": "http.response.start", "status": self.status_code,
                    "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": b""})
        if self.background is not None:
            await self.background()


def _head_aware(make_handler: Callable[[], Handler],
                state_validated: bool = False) -> Callable[[], Handler]:
    def make() -> Handler:
        handler = make_handler()

        async def handle(request: Request) -> Response:
            validator = await state_etag(request) if state_validated else None
            if validator is not None and _holds(request, validator):
                return _not_modified(request, validator)  # the route never runs
            response = await handler(request)
            if response.status_code == 200 and "etag" not in response.headers and (
                    validator is not None
                    or not isinstance(response, StreamingResponse | FileResponse)):
                # the graph state's name, else the body's hash; 304 if held
                response = conditional(request, response, validator)
            response = await compressed(request, response, request.app.state.compressed_bodies)
            if request.method != "HEAD" or isinstance(response, FileResponse):
                return response  # a file answers HEAD itself (its headers come from stat)
            return HeadersOnly(response)

        return handle

    return make


def _get_operation_id(route: Any) -> str:
    """FastAPI's default operation id, always the GET operation's (HEAD is not documented)."""
    name = re.sub(r"\W", "_", f"{route.name}{route.path_format}")
    methods = sorted(m for m in route.methods if m != "HEAD") or ["HEAD"]
    return f"{name}_{methods[0].lower()}"


def walk_routes(routes: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """``(full path, route)`` for every route, included routers walked."""
    for route in routes:
        original = getattr(route, "original_router", None)
        if original is not None:
            yield from walk_routes(original.routes, prefix + route.include_context.prefix)
        elif getattr(route, "path", None) is not None:
            yield prefix + route.path, route


def _add_head(route: APIRoute, direct: bool, path: str) -> None:
    route.methods = {*(route.methods or ()), "HEAD"}
    route.generate_unique_id_function = _get_operation_id
    # FastAPI builds a route's handler through this method; wrapping it is how HEAD is added
    route.get_route_handler = _head_aware(route.get_route_handler,
                                          _rests_on_the_graph(route, path))
    if direct:  # a route of the app itself built its ASGI app already: build it again
        route.app = request_response(route.get_route_handler())


def install(app: FastAPI) -> None:
    direct = {id(r) for r in app.router.routes}
    index: list[tuple[re.Pattern[str], set[str], bool]] = []
    for path, route in walk_routes(app.router.routes):
        methods = getattr(route, "methods", None)
        if methods is None:
            continue
        if isinstance(route, APIRoute) and "GET" in methods and "HEAD" not in methods:
            _add_head(route, id(route) in direct, path)
        regex, _, params = compile_path(path)
        index.append((regex, methods, not params))
    app.state.method_index = index
    app.state.compressed_bodies = CompressedBodies()
    _document_without_head(app)


# Where an answer rests only on the graph and the request; but not these, which set their own
# validators (exports: the graph state and format; releases: their files' hashes).
STATE_VALIDATED = ("/api/v1/", "/ims/case/", "/sparql")
OWN_VALIDATORS = ("/api/v1/export", "/api/v1/releases")


def _rests_on_the_graph(route: APIRoute, path: str) -> bool:
    """Whether the route's answer depends on nothing but the graph and the request: under
    ``STATE_VALIDATED``, not setting its own validators, and not asking for a key (an
    answer that depends on the caller is named by its body)."""
    def calls(dependant: Any) -> Iterator[Any]:
        for dependency in dependant.dependencies:
            yield dependency.call
            yield from calls(dependency)

    return path.startswith(STATE_VALIDATED) and not path.startswith(OWN_VALIDATORS) \
        and require_key not in set(calls(route.dependant))


async def state_etag(request: Request) -> str | None:
    """The weak ``ETag`` of the answer to this request under the graph's current state, or
    None when the state cannot be read now (the answer is then named by its body)."""
    tracker = graph_state.tracker(request.app.state)
    try:
        current = await tracker.current_async(request.app.state.runtime.store)
    except StoreUnavailable:
        return None
    headers = request.headers
    return "W/" + etag_of(current.token_for(EVERYTHING), str(request.url),
                          headers.get("accept", ""), headers.get("accept-language", ""))


def _holds(request: Request, etag: str) -> bool:
    """``If-None-Match`` names this very representation (``*`` is left to the route: only it
    knows whether the resource exists)."""
    header = request.headers.get("if-none-match")
    return header is not None and etag.removeprefix("W/") in _tags(header)


def _not_modified(request: Request, etag: str) -> Response:
    headers = {"ETag": etag}
    if getattr(request.scope.get("endpoint"), NEGOTIATED, False):
        headers.update(VARY)
    return Response(status_code=304, headers=headers)


def allowed_methods(request: Request) -> str:
    """Every method some route of this path takes (for ``Allow`` on a 405). A path that a
    route names literally (``/mappings/quality``) is that resource: the methods of a route
    whose parameter would also match it (``/mappings/{mapping_id}``) are not its own."""
    path = request.scope.get("path", "")
    found: set[str] = set()
    literal: set[str] = set()
    for regex, methods, static in getattr(request.app.state, "method_index", ()):
        if regex.match(path):
            found |= methods
            if static:
                literal |= methods
    allowed = literal or found
    if "GET" in allowed:  # every GET route answers HEAD (RFC 9110 9.3.2)
        allowed = allowed | {"HEAD"}
    return ", ".join(sorted(allowed))


def _document_without_head(app: FastAPI) -> None:
    """HEAD is implied by GET (RFC 9110): the OpenAPI document lists only the GET."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", message="Duplicate Operation ID")
                schema = build()
            for operations in schema.get("paths", {}).values():
                operations.pop("head", None)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi


# --- ETag, Last-Modified, 304 ---------------------------------------------------------------

def etag_of(*parts: bytes | str) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode("utf-8") if isinstance(part, str) else part)
        digest.update(b"\0")
    return f'"{digest.hexdigest()[:32]}"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/") for t in header.split(",") if t.strip()}


def not_modified(request: Request, etag: str | None, last_modified: datetime | None) -> bool:
    """RFC 9110 13.2.2: If-None-Match (weak comparison) decides; without it,
    If-Modified-Since (GET and HEAD only)."""
    if_none_match = request.headers.get("if-none-match")
    if if_none_match is not None:
        tags = _tags(if_none_match)
        return etag is not None and ("*" in tags or etag.removeprefix("W/") in tags)
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None or request.method not in ("GET", "HEAD"):
        return False
    try:
        moment = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= moment


def conditional(request: Request, response: Response, etag: str | None = None,
                last_modified: datetime | None = None) -> Response:
    """Adds ``ETag`` (by default the hash of the body) and ``Last-Modified``; answers 304
    instead when the client already holds this representation."""
    if etag is None and getattr(response, "body", None) is not None:
        etag = etag_of(bytes(response.body))
    if etag is not None:
        response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified)
    if response.status_code == 200 and not_modified(request, etag, last_modified):
        kept = {k: v for k, v in response.headers.items() if k.lower() in KEPT_ON_304}
        return Response(status_code=304, headers=kept)
    return response

"""Every status a route can answer, declared in the OpenAPI document from what the route is.

A route does not list its error answers by hand: they follow from what it declares elsewhere.
Its rate-limit class (``app.api.rate_limit``) says whether it can answer 429 (with
``Retry-After``); a key dependency (``app.api.deps.require_key``) says 401 and 403; a path
parameter says 404; a JSON body says 400 (malformed JSON) and 413 (the body limit of every
write method, ``app.api.middleware.body_limit``); a write route can meet a concurrent write
(409); parameters or a body can be invalid (422); every route needs the store (503, with
``Retry-After``). Error answers are problem+json with the ``Problem`` schema, except on routes
that declare another error payload (CASE's imsx_StatusInfo, ``x-error-payload``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.api.deps import require_key
from app.api.http import walk_routes
from app.api.rate_limit import Cost, declared_costs

MEDIA_TYPE = "application/problem+json"
Responses = dict[int | str, dict[str, Any]]
"""What a route adds to its declared answers (``responses=``), beyond the derived ones."""
PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before retrying",
                               "schema": {"type": "string", "pattern": "^[0-9]+$"}}}
# Error schemas FastAPI or a route names that the service really answers as a Problem.
GENERIC_ERRORS = frozenset({PROBLEM_REF["$ref"], "#/components/schemas/HTTPValidationError"})
WRITE_METHODS = frozenset({"post", "put", "patch", "delete"})
TITLES = {
    "400": "Malformed request body (not JSON, or not UTF-8)",
    "401": "Missing, unknown or revoked API key",
    "403": "The key may not do this",
    "404": "Not found",
    "409": "Conflict with the current state (e.g. a concurrent write, or a dependant left)",
    "413": "Payload too large",
    "422": "Invalid request (every problem listed in `errors`)",
    "429": "Too many requests (see `Retry-After`)",
    "503": "Graph store unavailable (see `Retry-After`)",
}


@dataclass(frozen=True)
class Traits:
    """What a route declares that decides its error answers."""

    costs: frozenset[Cost]
    keyed: bool


def _calls(dependant: Dependant) -> list[Any]:
    found = []
    for sub in dependant.dependencies:
        found.append(sub.call)
        found.extend(_calls(sub))
    return found


def route_traits(app: FastAPI) -> dict[tuple[str, str], Traits]:
    """``(path, method)`` (as in the OpenAPI document) -> the route's traits."""
    traits: dict[tuple[str, str], Traits] = {}
    for path, route in walk_routes(app.router.routes):
        if not isinstance(route, APIRoute):
            continue
        found = Traits(frozenset(declared_costs(route.dependant.dependencies)),
                       require_key in _calls(route.dependant))
        documented = path[:len(path) - len(route.path)] + route.path_format
        for method in route.methods or ():
            traits[(documented, method.lower())] = found
    return traits


def _statuses(method: str, operation: dict[str, Any], traits: Traits | None) -> list[str]:
    body = operation.get("requestBody", {}).get("content", {})
    statuses = ["503"]
    if "requestBody" in operation or operation.get("parameters"):
        statuses.append("422")
    if any(p.get("in") == "path" for p in operation.get("parameters", [])):
        statuses.append("404")
    if "application/json" in body:
        statuses.append("400")
    if method in WRITE_METHODS:
        statuses.append("413")
    if traits is not None:
        if traits.keyed:
            statuses += ["401", "403"]
        if Cost.WRITE in traits.costs:
            statuses.append("409")
        if traits.costs & {Cost.QUERY, Cost.WRITE}:
            statuses.append("429")
    return statuses


def declare(operation: dict[str, Any], method: str, traits: Traits | None) -> None:
    """Add the error answers ``operation`` can give and make them problem+json (except on
    routes that declare another error payload, such as CASE's imsx_StatusInfo)."""
    responses = operation.setdefault("responses", {})
    other_payload = operation.get("x-error-payload")
    for code in _statuses(method, operation, traits):
        if other_payload and code == "422":
            continue  # such routes answer 400 instead
        response = responses.setdefault(code, {"description": TITLES[code]})
        if code in ("429", "503") and not _own_payload(response):
            response.setdefault("headers", {}).update(RETRY_AFTER)
    if other_payload:
        responses.pop("422", None)
        for code in ("413", "429", "503"):  # answered by the service layers, as problems
            if code in responses and not responses[code].get("content"):
                responses[code]["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}
        return
    for code, response in responses.items():
        if code[:1] in ("4", "5") and not _own_payload(response):
            response["content"] = {MEDIA_TYPE: {"schema": PROBLEM_REF}}


def _own_payload(response: dict[str, Any]) -> bool:
    """A route's own error model (``/health/ready`` answers 503 with its ``Health``)."""
    refs = [c.get("schema", {}).get("$ref") for c in response.get("content", {}).values()]
    return any(ref and ref not in GENERIC_ERRORS for ref in refs)


def declare_statuses(app: FastAPI, schema: dict[str, Any]) -> None:
    traits = route_traits(app)
    for path, operations in schema.get("paths", {}).items():
        for method, operation in operations.items():
            if isinstance(operation, dict) and method in ("get", "post", "put", "patch",
                                                          "delete"):
                declare(operation, method, traits.get((path, method)))

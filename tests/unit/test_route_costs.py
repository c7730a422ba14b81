"""Every route declares its cost class where it is defined (app/api/rate_limit.py), so a new
costly route cannot slip through unlimited the way ``/api/v1/releases/{a}/diff/{b}`` did
behind a path pattern that no longer matched."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi.routing import APIRoute, _IncludedRouter
from starlette.routing import BaseRoute, Mount

from app.api.rate_limit import Cost, declared_costs
from app.main import create_app
from app.settings import Settings

HOW = ("declare its cost class where the route is defined: add "
       "`dependencies=[LOOKUP]` (bounded: one entity, one page), `[QUERY]` (reads a whole "
       "dump or runs work that grows with the graph) or `[WRITE]` (changes the graph), "
       "imported from app.api.rate_limit -- or put it on the APIRouter(dependencies=[...]) "
       "when every route of the router has that class")
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Routes that read whole dumps or run unbounded work today: each must stay limited.
KNOWN_COSTLY = {
    ("GET", "/api/v1/equivalences"), ("POST", "/api/v1/portability"),
    ("GET", "/api/v1/job-profiles/{a}/gap/{b}"), ("GET", "/api/v1/mappings/quality"),
    ("GET", "/api/v1/export"), ("GET", "/api/v1/export/mappings.sssom.tsv"),
    ("GET", "/api/v1/releases/{version}/diff/{other}"),
    ("GET", "/api/v1/releases/{version}/files/{name}"),
    ("GET", "/sparql"), ("POST", "/sparql"),
    ("GET", "/api/v1/cqf-table"), ("GET", "/api/v1/cqf-table.csv-metadata.json"),
    ("GET", "/api/v1/job-families/{code}/career-path"), ("POST", "/api/v1/career-plans"),
    ("GET", "/api/v1/job-profiles/{code}/successors"),
}
# Framework routes without FastAPI dependencies: the schema document and static files.
UNDECLARABLE = {"/openapi.json"}


def _walk(routes: list[BaseRoute]) -> Iterator[tuple[str, BaseRoute]]:
    """(full path, route) for every route, included routers opened (FastAPI keeps them
    nested, with the include prefix on an effective-route context)."""
    for route in routes:
        if isinstance(route, _IncludedRouter):
            for candidate in route.effective_candidates():
                if isinstance(candidate, _IncludedRouter):
                    yield from _walk([candidate])
                else:
                    yield candidate.path, candidate.original_route
        else:
            yield getattr(route, "path", repr(route)), route


def _api_routes() -> list[tuple[str, APIRoute]]:
    walked = list(_walk(create_app(Settings()).routes))
    found = [(path, r) for path, r in walked if isinstance(r, APIRoute)]
    assert len(found) > 50, "the walk lost the included routers"
    return found


def test_every_route_declares_a_cost_class() -> None:
    missing = [f"{sorted(r.methods)} {path}" for path, r in _api_routes()
               if not declared_costs(r.dependant.dependencies)]
    assert not missing, f"routes without a cost class: {missing}; each must {HOW}"


def test_every_write_is_limited() -> None:
    unlimited = [f"{sorted(r.methods)} {path}" for path, r in _api_routes()
                 if r.methods & WRITE_METHODS
                 and not declared_costs(r.dependant.dependencies) & {Cost.WRITE, Cost.QUERY}]
    assert not unlimited, f"writes declared as lookups (not limited): {unlimited}; {HOW}"


def test_dump_readers_and_unbounded_queries_are_limited() -> None:
    classes = {(m, path): declared_costs(r.dependant.dependencies)
               for path, r in _api_routes() for m in r.methods}
    absent = KNOWN_COSTLY - classes.keys()
    assert not absent, f"costly routes renamed or removed, update KNOWN_COSTLY: {absent}"
    cheap = sorted(k for k in KNOWN_COSTLY if Cost.QUERY not in classes[k])
    assert not cheap, f"costly routes not in the QUERY class: {cheap}; {HOW}"


def test_nothing_else_escapes_the_walk() -> None:
    others = [path for path, r in _walk(create_app(Settings()).routes)
              if not isinstance(r, APIRoute | Mount) and path not in UNDECLARABLE]
    assert not others, f"routes outside FastAPI's dependency system: {others}"

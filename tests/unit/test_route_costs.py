"""Every route declares its cost class where it is defined (app/api/rate_limit.py), so a new
costly route cannot slip through unlimited the way ``/api/v1/releases/{a}/diff/{b}`` did
behind a path pattern that no longer matched."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, LiteralString

import pytest
from fastapi.routing import APIRoute, _IncludedRouter
from starlette.routing import BaseRoute, Mount

from app.api.rate_limit import Cost, declared_costs
from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import Row
from app.main import create_app
from app.services.access.keys import create_key
from app.settings import Settings
from benchmarks.generator import generate, write
from tests.conftest import client_for

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


# --- measured, not trusted: store work of every list route at two graph sizes -------------

SMALL, LARGE = 0.01, 0.1  # generated graph scale factors: the large one is ten times the small
GROWS = 3.0  # work at 10x the graph above this many times the small graph's: grows with it
RECORDS = re.compile(rb"Records produced: (\d+)")
FIRST_PROFILE = "MATCH (p:JobProfile) RETURN p.code AS code ORDER BY code LIMIT 1"


class CountingStore:
    """The store a measured app talks to: each read is also profiled by the server, and the
    records every operation produced are added up (the work, not the time, of a query)."""

    def __init__(self, inner: FalkorDBStore) -> None:
        self.inner = inner
        self.backend = inner.backend
        self.records = 0

    def read(self, query: LiteralString, params: Mapping[str, Any] | None = None) -> list[Row]:
        rows = self.inner.read(query, params)
        graph: Any = self.inner._graph  # pyright: ignore[reportPrivateUsage]  (profiling only)
        plan: Any = graph.profile(query, dict(params or {}))
        for line in plan.plan:
            text = line if isinstance(line, bytes) else str(line).encode()
            self.records += sum(int(n) for n in RECORDS.findall(text))
        return rows

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def _list_routes() -> list[tuple[str, set[Cost]]]:
    """GET routes that answer a page of a list (they take ``limit``)."""
    found = []
    for path, route in _api_routes():
        names = {p.name for p in route.dependant.query_params}
        if "GET" in route.methods and "limit" in names:
            found.append((path, declared_costs(route.dependant.dependencies)))
    return found


def _work(store: CountingStore, admin_key: str, path: str) -> int:
    """Store records produced answering the first page (5 items) of ``path``; a ``{code}``
    is a framework (the CQF) or the first job profile."""
    code = (store.inner.read(FIRST_PROFILE)[0]["code"] if path.startswith(
        "/api/v1/job-profiles/") else "CQF")
    url = path.format(code=code) + "?limit=5" + ("&q=comp" if "search" in path else "")
    with client_for(store) as client:  # type: ignore[arg-type]
        store.records = 0
        answer = client.get(url, headers={"X-API-Key": admin_key})
        assert answer.status_code == 200, (url, answer.status_code, answer.text[:300])
        return store.records


@pytest.fixture(scope="module")
def measured(falkordb_server: EmbeddedFalkorDB) -> dict[str, tuple[int, int]]:
    stores = []
    for n, factor in enumerate((SMALL, LARGE)):
        inner = FalkorDBStore.from_url(falkordb_server.url, f"route-costs-{n}", timeout=120)
        inner.apply_schema()
        write(inner, generate(7, factor))
        stores.append((CountingStore(inner), create_key(inner, "admin")["key"]))
    work = {path: (_work(stores[0][0], stores[0][1], path), _work(stores[1][0], stores[1][1],
                                                                  path))
            for path, _ in _list_routes()}
    for store, _ in stores:
        store.inner.write("MATCH (n) DETACH DELETE n")
        store.inner.close()
    return work


def test_list_routes_not_limited_do_work_bounded_by_the_page(
        measured: dict[str, tuple[int, int]]) -> None:
    unbounded = [f"{path}: {small} -> {large} records at 10x the graph"
                 for path, costs in _list_routes() if Cost.QUERY not in costs
                 for small, large in [measured[path]] if large > GROWS * max(small, 1)]
    assert not unbounded, (
        "list routes declared as lookups whose store work grows with the graph: "
        f"{unbounded}; read the page through an index in the order returned (O(limit)), "
        "or declare the route [QUERY]")

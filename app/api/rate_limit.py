"""Rate limits declared on the routes themselves: each route says what it costs.

Why on routes and not by path: a path pattern silently stops matching when a route moves
(``/releases`` went under ``/api/v1`` and its two-dump diff ran unlimited). Here a route
declares its class where it is defined -- ``dependencies=[QUERY]`` -- and
tests/unit/test_route_costs.py walks every route of the app and fails on one that declares
nothing. The classes:

- ``LOOKUP``: bounded work (one entity, one page); declared, never limited;
- ``QUERY``: reads a whole dump, or runs work that grows with the graph (equivalence
  search, portability, gap analysis, exports, SPARQL, release diffs, and the list pages
  that read and sort a whole label -- measured: the route-cost test compares each list
  route's store work on a graph and on one ten times larger);
- ``WRITE``: changes the graph.

A request must find room in the window of its client address and, when it presents a key,
of its key (bucketed by a hash, never by its text); else 429 problem+json with
``Retry-After``. Limits are a moving window of ``burst`` requests per ``burst / rate``
minutes: on average the configured rate, never more than ``burst`` at once.

Storage (the ``limits`` library): the store's own Redis when the backend is an external
FalkorDB (or ``CQF_RATE_LIMIT_STORAGE_URL``), so several API workers share one limit;
otherwise process memory -- right for ``cqf serve`` (one process owns the embedded store),
and per worker with Neo4j unless a Redis URL is configured. A limit store that does not
answer lets requests through (logged): the limits protect the service, they must not take
it down with them.
"""

from __future__ import annotations

import hashlib
import math
import time
from enum import StrEnum
from typing import Any

import structlog
from fastapi import Depends, Request
from fastapi.params import Depends as DependsMarker
from limits import RateLimitItem, RateLimitItemPerSecond
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter

from app.domain.errors import RateLimited
from app.settings import Backend, Settings

log = structlog.get_logger(__name__)


class Cost(StrEnum):
    LOOKUP = "lookups"
    QUERY = "queries"
    WRITE = "writes"


class RateLimit:
    """The dependency a route declares; ``cost`` is read by the route-walking test."""

    def __init__(self, cost: Cost) -> None:
        self.cost = cost

    async def __call__(self, request: Request) -> None:
        limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
        if limiter is not None and self.cost is not Cost.LOOKUP:
            await limiter.check(self.cost, _identities(request))

    def __repr__(self) -> str:
        return f"RateLimit({self.cost.value})"


LOOKUP = Depends(RateLimit(Cost.LOOKUP))
QUERY = Depends(RateLimit(Cost.QUERY))
WRITE = Depends(RateLimit(Cost.WRITE))


def declared_costs(dependencies: list[Any]) -> set[Cost]:
    """The classes among a route's dependencies (``route.dependant.dependencies``)."""
    return {d.call.cost for d in dependencies if isinstance(d.call, RateLimit)}


def is_declaration(value: object) -> bool:
    return isinstance(value, DependsMarker) and isinstance(value.dependency, RateLimit)


def _identities(request: Request) -> list[str]:
    ids = [f"addr:{request.client.host if request.client else 'unknown'}"]
    key = request.headers.get("x-api-key")
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if not key and scheme.lower() == "bearer" and token:
        key = token
    if key:
        ids.append("key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32])
    return ids


def _window(per_minute: float, burst: int) -> RateLimitItem:
    seconds = max(1, round(burst * 60 / per_minute))
    return RateLimitItemPerSecond(burst, seconds, namespace="cqf")


def storage_for(settings: Settings) -> tuple[Storage, str]:
    url = settings.rate_limit_storage_url
    if url is None and settings.backend is Backend.FALKORDB:
        url = settings.falkordb_url
    if url:
        return RedisStorage(url.replace("redis", "async+redis", 1), implementation="redispy",
                            key_prefix="cqf-rate", socket_timeout=0.5,
                            socket_connect_timeout=0.5), "redis"
    return MemoryStorage(), "memory"


class RateLimiter:
    def __init__(self, settings: Settings) -> None:
        self.storage, self.kind = storage_for(settings)
        self.strategy = MovingWindowRateLimiter(self.storage)
        self.items = {Cost.WRITE: _window(settings.rate_limit_writes_per_minute,
                                          settings.rate_limit_burst),
                      Cost.QUERY: _window(settings.rate_limit_queries_per_minute,
                                          settings.rate_limit_burst)}

    async def check(self, cost: Cost, identities: list[str]) -> None:
        item = self.items[cost]
        try:
            for identity in identities:
                if not await self.strategy.test(item, cost.value, identity):
                    await self._refuse(cost, item, identity)
            for identity in identities:
                await self.strategy.hit(item, cost.value, identity)
        except RateLimited:
            raise
        except Exception as exc:  # noqa: BLE001 - a limit store down: let the request in
            log.warning("rate_limit.storage_unavailable", storage=self.kind, error=str(exc))

    async def _refuse(self, cost: Cost, item: RateLimitItem, identity: str) -> None:
        stats = await self.strategy.get_window_stats(item, cost.value, identity)
        retry_after = str(max(1, math.ceil(stats.reset_time - time.time())))
        raise RateLimited(cost.value, int(retry_after))

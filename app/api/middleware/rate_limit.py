"""Rate limits on writes and on expensive queries: token buckets per API key and per client
address, in process memory (so per worker: N workers allow N times the configured rate).

A request must find a token in both its address's bucket and, when it presents one, its
key's bucket; otherwise it gets 429 problem+json with ``Retry-After``. Keys are bucketed by
a hash, never by their text.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
import time
from dataclasses import dataclass

from starlette.types import ASGIApp, Receive, Scope, Send

from app.api.middleware.asgi import header, send_problem
from app.api.middleware.body_limit import WRITE_METHODS

# Reads that cost far more than a lookup: equivalence search, portability, gap analysis,
# RDF exports, SPARQL. POST /portability is a query, not a write.
EXPENSIVE = re.compile(
    r"^/api/v1/(equivalences|portability|job-profiles/[^/]+/gap/|export|sparql|mappings/quality"
    r"|cqf-table|career-plans|job-families/[^/]+/career-path|job-profiles/[^/]+/successors)"
    r"|^/(export|sparql|releases)")
MAX_BUCKETS = 100_000  # beyond this, the least recently used are forgotten


@dataclass
class Bucket:
    tokens: float
    updated: float


class TokenBuckets:
    def __init__(self, per_minute: float, burst: int) -> None:
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, Bucket] = {}
        self._lock = threading.Lock()

    def wait_time(self, keys: list[str], now: float | None = None) -> float:
        """Take one token from every bucket named, or none: 0, or the seconds to wait."""
        now = time.monotonic() if now is None else now
        with self._lock:
            buckets = [self._refilled(k, now) for k in keys]
            short = [b for b in buckets if b.tokens < 1.0]
            if short:
                return max((1.0 - b.tokens) / self.rate for b in short)
            for b in buckets:
                b.tokens -= 1.0
            return 0.0

    def _refilled(self, key: str, now: float) -> Bucket:
        bucket = self._buckets.pop(key, None) or Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[key] = bucket  # re-inserted: dict order is recency order
        if len(self._buckets) > MAX_BUCKETS:
            del self._buckets[next(iter(self._buckets))]
        return bucket


def _identities(scope: Scope) -> list[str]:
    client = scope.get("client")
    ids = [f"addr:{client[0] if client else 'unknown'}"]
    key = header(scope, b"x-api-key")
    auth = header(scope, b"authorization")
    if not key and auth and auth.lower().startswith("bearer "):
        key = auth[7:]
    if key:
        ids.append("key:" + hashlib.sha256(key.strip().encode()).hexdigest()[:32])
    return ids


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, writes_per_minute: float, queries_per_minute: float,
                 burst: int) -> None:
        self.app = app
        self.writes = TokenBuckets(writes_per_minute, burst)
        self.queries = TokenBuckets(queries_per_minute, burst)

    def _buckets_for(self, scope: Scope) -> tuple[str, TokenBuckets] | None:
        if EXPENSIVE.match(scope["path"]):
            return "queries", self.queries
        if scope["method"] in WRITE_METHODS:
            return "writes", self.writes
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = self._buckets_for(scope) if scope["type"] == "http" else None
        if chosen is None:
            await self.app(scope, receive, send)
            return
        kind, buckets = chosen
        wait = buckets.wait_time([f"{kind}:{i}" for i in _identities(scope)])
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry_after = str(max(1, math.ceil(wait)))
        await send_problem(send, scope, 429, "rate-limited", "Too many requests",
                           f"the {kind} rate limit was reached; retry in {retry_after} s",
                           headers={"Retry-After": retry_after})

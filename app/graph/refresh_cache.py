"""A per-process cache of a value loaded from the store, refreshed off the request path.

Used for the read models that are expensive to build and change rarely (the mapping graph of
the equivalence engine, the candidate index of portability):

- first use, or after ``invalidate()`` (a write in this process): the value is loaded on the
  calling thread; one loader at a time, concurrent callers wait for it instead of loading it
  again (no stampede when eight requests arrive on a cold cache);
- older than ``ttl``: the caller gets the cached value at once and one background thread
  reloads it (stale-while-revalidate), so no request pays for a full reload; another worker's
  write is seen within ``ttl`` plus one reload;
- ``ttl`` 0: loaded on every call (no caching);
- with a ``signature`` (a cheap query, e.g. counts): a refresh first compares it with the
  signature of the cached value and reloads only when it differs, or when the value is older
  than ``max_age`` (edits that keep counts equal, e.g. a re-seed from another process, are
  seen within ``max_age``). At the ESCO-sized benchmark a full candidate reload costs seconds
  of CPU; the signature costs one small query.

A background reload that fails (store down) keeps the old value and is retried on a later
call; a reload started before an ``invalidate()`` never overwrites what was loaded after it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

import structlog

from app.graph.port import GraphStore

log = structlog.get_logger(__name__)

T = TypeVar("T")


class RefreshingCache(Generic[T]):
    def __init__(self, loader: Callable[[GraphStore], T], ttl: float = 5.0,
                 name: str = "cache", signature: Callable[[GraphStore], object] | None = None,
                 max_age: float = 600.0) -> None:
        self.ttl = ttl
        self.name = name
        self.max_age = max_age
        self._signature_of = signature
        self._signature: object = None
        self._loaded_at = 0.0
        self._loader = loader
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._value: T | None = None
        self._at = 0.0
        self._generation = 0
        self._refreshing = False

    def invalidate(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1

    def get(self, store: GraphStore) -> T:
        if self.ttl <= 0:
            return self._loader(store)
        with self._lock:
            value = self._value
            if value is not None:
                if time.monotonic() - self._at >= self.ttl and not self._refreshing:
                    self._refreshing = True
                    threading.Thread(target=self._refresh, args=(store, self._generation),
                                     name=f"{self.name}-refresh", daemon=True).start()
                return value
        return self._load(store)

    def _load(self, store: GraphStore) -> T:
        with self._load_lock:
            with self._lock:
                if self._value is not None:
                    return self._value
                generation = self._generation
            signature = self._signature_of(store) if self._signature_of else None
            value = self._loader(store)
            self._keep(value, generation, signature)
            return value

    def _keep(self, value: T, generation: int, signature: object = None) -> None:
        with self._lock:
            if generation == self._generation:
                now = time.monotonic()
                self._value, self._at, self._loaded_at = value, now, now
                self._signature = signature

    def _unchanged(self, store: GraphStore, generation: int) -> tuple[bool, object]:
        """Whether the store still has what was loaded (then only the clock moves)."""
        if self._signature_of is None:
            return False, None
        signature = self._signature_of(store)
        with self._lock:
            fresh = time.monotonic() - self._loaded_at < self.max_age
            if generation == self._generation and fresh and signature == self._signature:
                self._at = time.monotonic()
                return True, signature
        return False, signature

    def _refresh(self, store: GraphStore, generation: int) -> None:
        try:
            unchanged, signature = self._unchanged(store, generation)
            if not unchanged:
                self._keep(self._loader(store), generation, signature)
        except Exception as exc:  # noqa: BLE001 - keep serving the old value, retry later
            log.warning("cache.refresh_failed", cache=self.name, error=type(exc).__name__)
        finally:
            with self._lock:
                self._refreshing = False

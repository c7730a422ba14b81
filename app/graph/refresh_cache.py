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

- with ``parts`` (``app.domain.parts``): the signature also holds the state tokens of the
  parts of the graph the value is built from, which every write through the service moves
  in the same statement as the write. A write in this process calls ``recheck()`` (not
  ``invalidate()``): the next ``get`` compares those tokens (one small query) and keeps the
  value when the write touched none of its parts. When some did, a caller whose answer
  rests only on untouched parts (``get(store, needs=...)``) is answered from the value at
  once while it is reloaded in the background; any other caller waits for the reload;
- with ``update`` as well: a reload after a change of some parts only calls
  ``update(store, old value, changed parts)``, which rebuilds what rests on them and reuses
  the rest (e.g. one institution's courses instead of all of them). ``None``: a full load.
  With ``lazy`` too, such a change is only noted: the value is updated when a caller whose
  answer rests on the changed parts asks (under a stream of course writes, the CASE model's
  institution packages are not rebuilt every second for readers of the competency package).

A background reload that fails (store down) keeps the old value and is retried on a later
call; a reload started before an ``invalidate()`` never overwrites what was loaded after it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, LiteralString, TypeVar, cast

import structlog

from app.domain import parts as part_names
from app.graph import collector
from app.graph import parts as graph_parts
from app.graph.port import GraphStore

log = structlog.get_logger(__name__)

T = TypeVar("T")


Tokens = tuple[tuple[str, str], ...]
Update = Callable[[GraphStore, T, frozenset[str]], T | None]


class RefreshingCache(Generic[T]):
    def __init__(self, loader: Callable[[GraphStore], T], ttl: float = 5.0,
                 name: str = "cache", signature: Callable[[GraphStore], object] | None = None,
                 max_age: float = 600.0, parts: tuple[str, ...] | None = None,
                 update: Update[T] | None = None, lazy: bool = False) -> None:
        self.ttl = ttl
        self.name = name
        self.max_age = max_age
        self.parts = parts
        self._counts_of = signature
        self._signature_of = self._full_signature if (signature or parts) else None
        self._signature: object = None
        self._update = update
        # Lazy: a change of some parts is only noted (no background rebuild); the next
        # caller whose answer rests on them updates the value, the others keep it.
        self.lazy = lazy and update is not None
        self._tokens: Tokens = ()  # the part tokens the value was loaded under
        self._changed: frozenset[str] = frozenset()  # parts moved since (reload pending)
        self._recheck = False
        self._check_lock = threading.Lock()
        self.loads = 0  # full loads and updates: what a test or a benchmark can count
        self.updates = 0
        self._loaded_at = 0.0
        self._loader = loader
        self._lock = threading.Lock()
        self._load_lock = threading.Lock()
        self._value: T | None = None
        self._at = 0.0
        self._generation = 0
        self._refreshing = False

    def _full_signature(self, store: GraphStore) -> tuple[Tokens, object]:
        tokens: Tokens = ()
        if self.parts is not None:
            tokens = part_names.tokens_for(self.parts, graph_parts.read_tokens(store))
        return tokens, self._counts_of(store) if self._counts_of else None

    def invalidate(self) -> None:
        with self._lock:
            self._value = None
            self._generation += 1

    def recheck(self) -> None:
        """A write in this process: the next ``get`` compares the part tokens first (without
        parts: the same as ``invalidate``)."""
        if self.parts is None:
            self.invalidate()
            return
        with self._lock:
            self._recheck = True

    def get(self, store: GraphStore, needs: tuple[str, ...] | None = None) -> T:
        """The value; ``needs``: the parts the caller's answer rests on (default: all of the
        value's), so a value whose other parts moved still answers it at once."""
        if self.ttl <= 0:
            return self._loader(store)
        if self._recheck:
            self._check(store)
        value = self.peek(store)
        if value is None:
            return self._load(store)
        changed = self._changed
        if not changed:
            return value
        if needs is not None and not any(part_names.covers(needs, p) for p in changed):
            if not self.lazy:
                self._refresh_now(store)
            return value
        return self._load(store, stale=value)

    def _check(self, store: GraphStore) -> None:
        with self._check_lock:
            if not self._recheck:
                return
            signature = self._full_signature(store)
            with self._lock:
                self._recheck = False
                if self._value is not None and signature != self._signature:
                    moved = _moved(self._tokens, signature[0])
                    # Counts moved with no token: a write from outside the service.
                    self._changed = self._changed | (moved or {part_names.META})

    def peek(self, store: GraphStore) -> T | None:
        """The cached value (a stale one starts its background refresh, as ``get`` does), or
        None when nothing is loaded: never loads on the calling thread, so an ``async`` route
        may call it, e.g. to check that an answer it keeps still comes from this value."""
        if self.ttl <= 0:
            return None
        with self._lock:
            value = self._value
            if value is not None and time.monotonic() - self._at >= self.ttl \
                    and not self._refreshing:
                self._refreshing = True
                threading.Thread(target=self._refresh, args=(store, self._generation),
                                 name=f"{self.name}-refresh", daemon=True).start()
            return value

    def _refresh_now(self, store: GraphStore) -> None:
        with self._lock:
            if self._refreshing:
                return
            self._refreshing = True
            generation = self._generation
        threading.Thread(target=self._refresh, args=(store, generation),
                         name=f"{self.name}-refresh", daemon=True).start()

    def _load(self, store: GraphStore, stale: T | None = None) -> T:
        with self._load_lock:
            with self._lock:
                if self._value is not None and (stale is None or not self._changed):
                    return self._value  # loaded while this caller waited
                generation = self._generation
                old, changed = self._value, self._changed
            signature = self._signature_of(store) if self._signature_of else None
            value = self._build(store, old, changed | _moved(self._tokens,
                                                              _tokens_of(signature)))
            self._keep(value, generation, signature)
            return value

    def _build(self, store: GraphStore, old: T | None, changed: frozenset[str]) -> T:
        """A full load, or an update of ``old`` when only some parts moved; with the cyclic
        collector paused, and a full load frozen out of its view (``app.graph.collector``)."""
        with collector.paused():
            loads = self.loads
            value = self._build_now(store, old, changed)
            if self.loads != loads:
                collector.built()
            return value

    def _build_now(self, store: GraphStore, old: T | None, changed: frozenset[str]) -> T:
        if old is not None and self._update is not None and changed \
                and part_names.META not in changed:
            updated = self._update(store, old, changed)
            if updated is not None:
                self.updates += 1
                return updated
        self.loads += 1
        return self._loader(store)

    def _keep(self, value: T, generation: int, signature: object = None) -> None:
        with self._lock:
            if generation == self._generation:
                now = time.monotonic()
                self._value, self._at, self._loaded_at = value, now, now
                self._signature = signature
                self._changed = frozenset()
                self._tokens = _tokens_of(signature)

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
                with self._lock:
                    old, changed = self._value, self._changed
                    fresh = time.monotonic() - self._loaded_at < self.max_age
                moved = changed | _moved(self._tokens, _tokens_of(signature)) if fresh \
                    else frozenset({part_names.META})
                if self.lazy and old is not None and moved and part_names.META not in moved:
                    with self._lock:  # rebuilt when an answer resting on them is asked
                        if generation == self._generation:
                            self._changed = self._changed | moved
                            self._at = time.monotonic()
                    return
                self._keep(self._build(store, old, moved), generation, signature)
        except Exception as exc:  # noqa: BLE001 - keep serving the old value, retry later
            log.warning("cache.refresh_failed", cache=self.name, error=type(exc).__name__)
        finally:
            with self._lock:
                self._refreshing = False


def _tokens_of(signature: object) -> Tokens:
    """The part tokens of a signature made by ``_full_signature`` (else none)."""
    if isinstance(signature, tuple) and signature:
        return cast(Tokens, signature[0])
    return ()


def _moved(before: Tokens, after: Tokens) -> frozenset[str]:
    """The parts whose token differs between two token tuples."""
    old, new = dict(before), dict(after)
    return frozenset(p for p in old.keys() | new.keys() if old.get(p) != new.get(p))


def counts(store: GraphStore, queries: tuple[LiteralString, ...]) -> tuple[int, ...]:
    """A read model's ``signature``: one count per query (each returns ``n``). One statement
    per count, because each is answered from the store's own counters (0.1-0.2 ms at the
    ESCO-sized graph) where one statement chaining them with OPTIONAL MATCH walked every
    edge (114-212 ms, on every refresh of every worker)."""
    return tuple(rows[0]["n"] if (rows := store.read(query)) else 0 for query in queries)

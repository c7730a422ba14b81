"""JSON answers serialised once, by orjson, straight from the service's result, and the hot
read answers kept serialised per question while the graph they came from is unchanged.

``JSONAnswer``: FastAPI validates a returned dict against the route's response model and then
dumps the model (for a ``def`` route the validation also hops to the thread pool a second
time). The hot routes (lookups, equivalence, portability) return serialised bytes instead:
their services already build every field of the declared model, the model stays on the route
for the OpenAPI document, and the schema fuzz test (tests/e2e/test_fuzz_api.py) checks the
answers against it.

``cached_answer``: lookups, equivalence and portability answers are pure functions of the
question and the graph. Each is kept as the bytes sent (``AnswerCache``), valid while

- the state tokens of the parts of the graph it rests on (``parts``, ``app.domain.parts``;
  by default every part) are the ones it was computed under (``app.graph.state``, read at
  most once per refresh time per process; a write in this process looks again at once,
  another worker's write is seen within the configured refresh time,
  ``CQF_MAPPING_CACHE_SECONDS``, at most 1 s): a write to other parts keeps it;
- the read models it was computed from are still the ones cached (compared by identity: a
  reload of the mapping graph or the candidate index makes it fresh);
- it is younger than ``max_age`` (a write that changes neither counts nor the audit trail,
  such as a re-seed from another process, is seen within it).

While the store does not answer (the graph-state check fails: 503 within about a second), a
kept answer computed under the last graph state this process saw is still given, whatever
its age, marked as possibly stale: ``Warning: 110 - "Response is Stale"`` and ``Age`` (the
seconds since it was computed). Nothing newer can be known meanwhile; every other request
gets its 503.

A hit costs no store call and no thread hop, so the routes are ``async``; a miss computes in
the thread pool (the store call would block the event loop). Errors are never kept.
Bounded in entries and bytes, least recently used out.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import orjson
from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from app.domain.parts import EVERYTHING
from app.graph import state as graph_state
from app.graph.port import GraphStore, StoreUnavailable

# RFC 7234's warning for an answer that may no longer be current (given while the store does
# not answer).
STALE_WARNING = '110 - "Response is Stale"'


class JSONAnswer(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        if isinstance(content, bytes):
            return content  # already serialised (a kept answer)
        return orjson.dumps(content)


class ReadModel(Protocol):
    """What a kept answer checks of a read model (``app.graph.refresh_cache.RefreshingCache``)."""

    def peek(self, store: GraphStore) -> object | None: ...


@dataclass(frozen=True, slots=True)
class _Kept:
    token: str
    sources: tuple[weakref.ref[Any], ...]
    at: float
    body: bytes


class AnswerCache:
    def __init__(self, entries: int = 4096, max_bytes: int = 64 * 1024 * 1024,
                 max_age: float = 60.0) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.max_age = max_age
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        self._bytes = 0
        self.computed = 0  # answers computed (not kept ones): what a test can count

    def get(self, key: Hashable, token: str, sources: Sequence[object]) -> bytes | None:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if kept.token != token or time.monotonic() - kept.at >= self.max_age \
                    or len(kept.sources) != len(sources) \
                    or any(ref() is not s for ref, s in zip(kept.sources, sources, strict=True)):
                self._drop(key)
                return None
            self._kept.move_to_end(key)
            return kept.body

    def stale(self, key: Hashable, token: str, sources: Sequence[object]
              ) -> tuple[bytes, float] | None:
        """The kept answer computed under ``token`` from ``sources``, however old, and its age
        in seconds; kept as it is (for when the store does not answer)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None or kept.token != token or len(kept.sources) != len(sources) \
                    or any(ref() is not s for ref, s in zip(kept.sources, sources, strict=True)):
                return None
            return kept.body, time.monotonic() - kept.at

    def keep(self, key: Hashable, token: str, sources: Sequence[object], body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return  # one answer never pushes out most of the others
        kept = _Kept(token, tuple(weakref.ref(s) for s in sources), time.monotonic(), body)
        with self._lock:
            self._drop(key)
            self._kept[key] = kept
            self._bytes += len(body)
            while len(self._kept) > self.entries or self._bytes > self.max_bytes:
                self._drop(next(iter(self._kept)))

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._kept)

    def _drop(self, key: Hashable) -> None:
        kept = self._kept.pop(key, None)
        if kept is not None:
            self._bytes -= len(kept.body)


async def cached_answer(request: Request, key: Hashable, compute: Callable[[], Any],
                        models: Sequence[ReadModel] = (),
                        parts: tuple[str, ...] = EVERYTHING,
                        headers: dict[str, str] | None = None) -> Response:
    """The answer to ``key``: kept bytes when still valid, else ``compute()`` (in the thread
    pool) serialised and kept. ``models``: the read models ``compute`` answers from;
    ``parts``: the parts of the graph the answer rests on; ``headers``: the answer's own
    (``Content-Language``: an answer in another language has it in ``key``)."""
    state = request.app.state
    cache: AnswerCache | None = getattr(state, "answer_cache", None)
    if cache is None:
        return JSONAnswer(orjson.dumps(await run_in_threadpool(compute)), headers=headers)
    store: GraphStore = state.runtime.store
    tracker = graph_state.tracker(state)
    sources = [model.peek(store) for model in models]
    try:
        current = await tracker.current_async(store)
    except StoreUnavailable:
        last = tracker.last_known()
        found = cache.stale(key, last.token_for(parts), sources) if last is not None else None
        if found is None:
            raise
        body, age = found
        return JSONAnswer(body, headers={**(headers or {}), "Warning": STALE_WARNING,
                                         "Age": str(int(age))})
    token = current.token_for(parts)
    body = cache.get(key, token, sources)
    if body is None:
        body = orjson.dumps(await run_in_threadpool(compute))
        cache.computed += 1
        if all(s is not None for s in sources):  # else: loaded just now, keep it next time
            cache.keep(key, token, sources, body)
    return JSONAnswer(body, headers=headers)

"""Warm the careers read models at service start, in the background.

At the ESCO size the careers read model (every profile with its requirements, tasks and
course offers, indexed) takes seconds to build, and the mapping graph and the default CQF
table follow it: without warming, the first user of the CQF table or a career path after a
start waits for all of it. The service warms them on a daemon thread right after the store
is open, so readiness (``/health/ready``: store reachable, schema applied) is not delayed;
a request arriving meanwhile waits for the same load (``RefreshingCache`` loads once, never
twice). A failure is logged and costs nothing but the warm start: the first request loads
the model as it would have anyway.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import structlog

from app.services.careers.cqf_table import CqfTableService, TableQuestion

log = structlog.get_logger(__name__)


def warm_careers(state: Any) -> None:
    """Load the mapping graph and the careers model, then build the default CQF table."""
    started = time.perf_counter()
    log.info("careers.warm.started")
    try:
        store = state.runtime.store
        state.mapping_cache.get(store)
        model = state.careers_cache.get(store)
        loaded = time.perf_counter()
        CqfTableService(store, state.careers_cache, state.mapping_cache,
                        state.cqf_table_memo).table_json(TableQuestion())
    except Exception as exc:  # noqa: BLE001 - warming is best effort; requests load on demand
        log.warning("careers.warm.failed", error=type(exc).__name__, detail=str(exc)[:200],
                    seconds=round(time.perf_counter() - started, 2))
        return
    log.info("careers.warm.done", profiles=len(model.profiles), offers=len(model.offers),
             model_seconds=round(loaded - started, 2),
             seconds=round(time.perf_counter() - started, 2))


def start(state: Any) -> threading.Thread:
    thread = threading.Thread(target=warm_careers, args=(state,), name="careers-warm",
                              daemon=True)
    thread.start()
    return thread

"""Python's cyclic garbage collector kept off the read models' builds.

A read model at the ESCO size is some hundreds of thousands of containers built in one go.
While it is built, every few hundred allocations start a collection, and each time the
objects promoted since the last full collection pass a quarter of the heap a full one runs,
traversing everything the process holds with the interpreter lock held: measured on the
write-stream benchmark's graph, about 30 full collections of 100–650 ms each (8.6 s in all)
while the first answers were warmed, every request of every worker thread waiting behind
each one. Nothing a build makes is cyclic garbage, so collecting during it only costs time.

- ``paused()``: no automatic collection while any thread is inside it (counted across
  threads: collections resume when the last one leaves).
- ``settle()``: once the models a start loads are built, one collection, then every object
  alive is moved out of the collector's view (``gc.freeze``): later full collections
  traverse only what was made after. Called once per process; objects frozen are still
  freed when nothing refers to them, only a reference cycle among them is never collected,
  so it is not repeated after every reload.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Generator
from contextlib import contextmanager

_lock = threading.Lock()
_inside = 0
_resume = False  # whether collection was on when the first builder came in
_settled = False


@contextmanager
def paused() -> Generator[None]:
    global _inside, _resume
    with _lock:
        if _inside == 0:
            _resume = gc.isenabled()
            gc.disable()
        _inside += 1
    try:
        yield
    finally:
        with _lock:
            _inside -= 1
            if _inside == 0 and _resume:
                gc.enable()


def settle() -> bool:
    """Collect once and freeze what is alive; False when this process already did."""
    global _settled
    with _lock:
        if _settled:
            return False
        _settled = True
    gc.collect()
    gc.freeze()
    return True

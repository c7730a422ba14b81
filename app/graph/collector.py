"""Python's cyclic garbage collector kept off the read models.

A read model at the ESCO size is some hundreds of thousands of containers built in one go and
kept for minutes. While it is built, every few hundred allocations start a collection, and
each time the objects promoted since the last full collection pass a quarter of the heap a
full one runs, traversing everything the process holds with the interpreter lock held:
measured on the write-stream benchmark's graph, about 30 full collections of 100–650 ms each
(8.6 s in all) while the first answers were warmed, and afterwards one of 250–600 ms every
10–20 s under a stream of writes, every request waiting behind each. Nothing a build makes is
cyclic garbage, so collecting during it, or traversing the models later, only costs time.

- ``paused()``: no automatic collection while any thread is inside it (counted across
  threads: collections resume when the last one leaves).
- ``built()``: after a read model's full build, every object alive is moved out of the
  collector's view (``gc.freeze``): later collections traverse only what was made after.
  Frozen objects are still freed when nothing refers to them (a replaced model goes as it
  always did); only a reference cycle among them would never be collected. So that such
  leftovers cannot grow without bound, once the frozen objects outnumber those of the last
  compaction by half, they are unfrozen, collected in one full collection and frozen again.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Generator
from contextlib import contextmanager

GROWTH = 1.5  # frozen objects over those of the last compaction before the next one

_lock = threading.Lock()
_inside = 0
_resume = False  # whether collection was on when the first builder came in
_compacted = 0  # frozen objects after the last compaction
compactions = 0  # what a test can count


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


def built() -> None:
    """A read model was built in full: freeze what is alive, compacting first when what was
    frozen before it has grown by half since the last compaction (counted before the new
    model: the one it replaces is still alive now, and would make every reload look like a
    leak)."""
    global _compacted, compactions
    with _lock:
        if gc.get_freeze_count() > GROWTH * _compacted:
            gc.unfreeze()
            gc.collect()
            gc.freeze()
            _compacted = gc.get_freeze_count()
            compactions += 1
        else:
            gc.freeze()

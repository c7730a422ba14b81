"""The cyclic collector stays off while read models are built, each full build is frozen out
of its view, and what piles up among frozen objects is compacted (``app.graph.collector``)."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading

from app.graph import collector
from app.graph.refresh_cache import RefreshingCache


def test_a_read_model_is_built_with_the_collector_paused_and_it_resumes_after() -> None:
    seen: list[bool] = []

    def load(_store: object) -> dict[str, int]:
        seen.append(gc.isenabled())
        return {"built": 1}

    assert gc.isenabled()
    cache: RefreshingCache[dict[str, int]] = RefreshingCache(load, ttl=60, name="test")
    assert cache.get(object()) == {"built": 1}  # type: ignore[arg-type]
    assert seen == [False]
    assert gc.isenabled()


def test_collection_resumes_only_when_the_last_of_overlapping_builds_ends() -> None:
    inside, leave = threading.Event(), threading.Event()

    def other_build() -> None:
        with collector.paused():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_build)
    thread.start()
    assert inside.wait(5)
    with collector.paused():
        assert not gc.isenabled()
    assert not gc.isenabled(), "the other build is still running"
    leave.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_built_model_leaves_the_collectors_view_and_leftovers_are_compacted() -> None:
    """In a process of its own (freezing is process-wide): a full build freezes what is
    alive; a model replaced by another is freed as before; cycles left among frozen objects
    are collected once they make the frozen set half as large again."""
    script = """
import gc
from app.graph import collector
from app.graph.refresh_cache import RefreshingCache

import itertools
builds = itertools.count()
def load(_store):
    return [[next(builds), i] for i in range(20000)]

cache = RefreshingCache(load, ttl=60, name="model")
cache.get(object())
first = gc.get_freeze_count()
print(first >= 20000, collector.compactions == 0)
for _ in range(5):  # replaced in full: the old model is freed, nothing piles up
    cache.invalidate()
    cache.get(object())
print(gc.get_freeze_count() < first + 5000, collector.compactions == 1)

class Node:
    pass
def cycles(_store):  # a model whose objects refer to each other
    nodes = [Node() for _ in range(20000)]
    for a, b in zip(nodes, nodes[1:] + nodes[:1]):
        a.next = b
    return nodes
ring = RefreshingCache(cycles, ttl=60, name="ring")
for _ in range(6):
    ring.invalidate()
    ring.get(object())
print(collector.compactions > 1, gc.get_freeze_count() < 4 * first, gc.isenabled())
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True"] * 7

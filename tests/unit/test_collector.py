"""The cyclic collector stays off while read models are built, and a start's models are
settled out of its view once (``app.graph.collector``)."""

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


def test_a_process_settles_once_and_its_objects_leave_the_collectors_view() -> None:
    script = ("import gc\nfrom app.graph import collector\n"
              "kept = [[i] for i in range(10000)]\n"
              "first, again = collector.settle(), collector.settle()\n"
              "print(first, again, gc.get_freeze_count() >= 10000, gc.isenabled())\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False", "True", "True"]

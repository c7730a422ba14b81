"""The kept answers of the hot read routes: reused only for the graph state and the read
models they were computed from, never older than their maximum age, bounded."""

from __future__ import annotations

import time

from app.api.answers import AnswerCache


class Model:
    """Stands for a loaded read model (compared by identity)."""


def test_an_answer_is_reused_only_under_the_token_it_was_computed_under() -> None:
    cache = AnswerCache()
    cache.keep(("entity", "EQF:6"), "t1", [], b"answer")
    assert cache.get(("entity", "EQF:6"), "t1", []) == b"answer"
    assert cache.get(("entity", "EQF:7"), "t1", []) is None
    assert cache.get(("entity", "EQF:6"), "t2", []) is None  # the graph changed
    assert cache.get(("entity", "EQF:6"), "t1", []) is None  # and it is gone for good


def test_a_reloaded_read_model_makes_the_answer_fresh() -> None:
    cache = AnswerCache()
    loaded, reloaded = Model(), Model()
    cache.keep("q", "t", [loaded], b"from the first load")
    assert cache.get("q", "t", [loaded]) == b"from the first load"
    assert cache.get("q", "t", [reloaded]) is None


def test_an_answer_older_than_max_age_is_not_reused() -> None:
    cache = AnswerCache(max_age=0.01)
    cache.keep("q", "t", [], b"old")
    time.sleep(0.02)
    assert cache.get("q", "t", []) is None


def test_bounded_in_entries_and_bytes_least_recently_used_out() -> None:
    cache = AnswerCache(entries=2, max_bytes=800)
    cache.keep("a", "t", [], b"1")
    cache.keep("b", "t", [], b"2")
    assert cache.get("a", "t", []) == b"1"  # "b" is now the least recently used
    cache.keep("c", "t", [], b"3")
    assert len(cache) == 2 and cache.get("b", "t", []) is None
    cache.keep("big", "t", [], b"x" * 101)  # over an eighth of the budget: not kept
    assert cache.get("big", "t", []) is None
    cache.keep("d", "t", [], b"y" * 100)
    cache.keep("e", "t", [], b"z" * 100)
    assert cache.get("d", "t", []) is not None and cache.get("e", "t", []) is not None
    cache.clear()
    assert len(cache) == 0

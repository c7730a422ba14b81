"""Concurrent first writes of one record, on both backends: several clients PUT the same new
institution, programme or course at once. Exactly one creates it (201), the others replace
it (200), and each audit entry's ``before`` is the state that write really replaced: the
entries form one chain, each ``before`` the previous one's ``after``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from app.domain.auth import Principal
from app.graph.port import GraphStore
from app.services.access.audit import read_audit
from app.services.institutions import courses

ADMIN = Principal("k-admin", "admin")
OWNER = Principal("k-conc", "institution:CONC")
WRITERS = 4


def _at_once(write: Callable[[int], bool]) -> list[bool]:
    """``write(i)`` from WRITERS threads released together; what each answered (created?)."""
    start = threading.Barrier(WRITERS)
    created: dict[int, bool] = {}
    failures: list[BaseException] = []

    def run(i: int) -> None:
        start.wait()
        try:
            created[i] = write(i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    return [created[i] for i in range(WRITERS)]


def _chain(store: GraphStore, target: str) -> list[dict[str, Any]]:
    entries = read_audit(store, ADMIN, limit=50, offset=0, target_code=target)["items"]
    puts = sorted((e for e in entries if e["action"] == "put"), key=lambda e: e["at"])
    assert len(puts) == WRITERS
    assert puts[0]["before"] is None
    for earlier, later in zip(puts, puts[1:], strict=False):
        assert later["before"] is not None and later["before"]["name"] == earlier["after"]["name"]
    return puts


def _institution(store: GraphStore) -> None:
    courses.put_institution(store, ADMIN, "CONC", {"name": "Concurrency U"})


def test_one_of_concurrent_first_institution_puts_creates_it(store: GraphStore) -> None:
    created = _at_once(lambda i: courses.put_institution(
        store, ADMIN, "CONC", {"name": f"Concurrency U {i}"})[1])
    assert sorted(created) == [False] * (WRITERS - 1) + [True]
    _chain(store, "CONC")


def test_one_of_concurrent_first_programme_puts_creates_it(store: GraphStore) -> None:
    _institution(store)
    created = _at_once(lambda i: courses.put_programme(
        store, OWNER, "CONC", "P1", {"name": f"Programme {i}"})[1])
    assert sorted(created) == [False] * (WRITERS - 1) + [True]
    _chain(store, "CONC/P1")


@pytest.mark.parametrize("typed", ["C1", "c1"], ids=["same case", "any case"])
def test_one_of_concurrent_first_course_puts_creates_it(store: GraphStore, typed: str) -> None:
    _institution(store)
    courses.put_programme(store, OWNER, "CONC", "P1", {"name": "Programme"})
    created = _at_once(lambda i: courses.put_course(
        store, OWNER, "CONC", "P1", "C1" if i % 2 else typed, {"name": f"Course {i}"},
        [], [])[1])
    assert sorted(created) == [False] * (WRITERS - 1) + [True]
    [stored] = store.read("MATCH (c:Course) RETURN c.code AS code")  # one course, no shadow
    assert stored["code"].lower() == "conc/p1/c1"  # as the first writer typed it
    _chain(store, stored["code"])

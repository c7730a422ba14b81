"""Two bulk uploads for one institution at the same moment, through two API workers (two apps
over one store): the second waits for the first (the lock lives in the store), so the final
state is exactly one of the two files, never a mixture of both."""

from __future__ import annotations

import threading
import time

from fastapi.testclient import TestClient

from app.domain.identity import course_key
from app.graph.port import GraphStore
from app.services.institutions import locks
from tests.conftest import client_for

URL = "/api/v1/institutions/EXU/mappings:bulk"
HEADER = "programme,course,course_name,kind,target,proficiency,evidence,assessment\n"


def _file(store: GraphStore, prefix: str, competencies: list[str]) -> str:
    rows = [f"PROG-EXU-MSC,{prefix}-{i:02d},Course {prefix} {i},develops,{code},aware,,\n"
            for i, code in enumerate(competencies)]
    return HEADER + "".join(rows)


def _state(store: GraphStore) -> set[tuple[str, str]]:
    rows = store.read("MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) "
                      "WHERE c.institution = 'EXU' RETURN c.code AS c, t.code AS t")
    return {(r["c"], r["t"]) for r in rows}


def _expected(text: str) -> set[tuple[str, str]]:
    cells = [line.split(",") for line in text.splitlines()[1:]]
    return {(course_key("EXU", c[0], c[1]), c[4]) for c in cells}


def test_concurrent_uploads_of_one_institution_never_mix(writable_store: GraphStore,
                                                         key_for) -> None:  # type: ignore[no-untyped-def]
    headers = {**key_for("institution:EXU"), "content-type": "text/csv"}
    codes = [r["code"] for r in writable_store.read(
        "MATCH (c:Competency) RETURN c.code AS code ORDER BY code LIMIT 30")]
    files = {"A": _file(writable_store, "SER-A", codes), "B": _file(writable_store, "SER-B",
                                                                     codes[::-1])}
    start = threading.Barrier(2)
    answers: dict[str, int] = {}

    def upload(name: str, client: TestClient) -> None:
        start.wait()
        answers[name] = client.post(URL, content=files[name].encode(), headers=headers
                                    ).status_code

    with client_for(writable_store) as first, client_for(writable_store) as second:
        threads = [threading.Thread(target=upload, args=("A", first)),
                   threading.Thread(target=upload, args=("B", second))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert set(answers.values()) <= {200, 409} and 200 in answers.values(), answers
    final = _state(writable_store)
    assert final in (_expected(files["A"]), _expected(files["B"])), (
        f"a mixture: {len(final & _expected(files['A']))} rows of A and "
        f"{len(final & _expected(files['B']))} rows of B")
    if set(answers.values()) == {200}:  # both applied: the later one is the whole state
        assert len(final) == len(codes)
    leftover = writable_store.read("MATCH (l:ServiceLock) RETURN count(l) AS n")[0]["n"]
    assert leftover == 0  # released after both


def test_a_write_that_finds_the_lock_held_is_told_to_retry(writable_api: TestClient,
                                                           writable_store: GraphStore,
                                                           key_for) -> None:  # type: ignore[no-untyped-def]
    """Another worker (on another host: its lease decides) holds EXU's lock: a course PUT
    waits a few seconds at most, then answers 409 problem+json with Retry-After."""
    writable_store.write("CREATE (:ServiceLock {code: 'mappings:EXU', token: 'theirs', "
                         "until: $until, host: 'another-host', pid: 1, started: 'x'})",
                         {"until": time.time() + 600})
    began = time.monotonic()
    put = writable_api.put("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/BUSY-1",
                           headers=key_for("institution:EXU"), json={
                               "name": "Waits for the lock",
                               "develops": [{"competency": "OPS-P01", "proficiency": "aware"}]})
    waited = time.monotonic() - began
    assert put.status_code == 409, put.text
    assert put.headers["content-type"] == "application/problem+json"
    assert put.json()["type"].endswith("/busy")
    assert 1 <= int(put.headers["Retry-After"]) <= locks.RETRY_AFTER_SECONDS
    assert waited < 15, f"a worker was held {waited:.0f} s"  # was 30 s: never near it
    assert writable_api.get("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/"
                            "BUSY-1").status_code == 404


def test_concurrent_first_puts_of_a_course_answer_one_201(writable_store: GraphStore,
                                                          key_for) -> None:  # type: ignore[no-untyped-def]
    """Four clients PUT the same new course at once through two API workers: one creates it
    (201), the others replace it (200); the course exists once."""
    headers = key_for("institution:EXU")
    url = "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/RACE-1"
    start = threading.Barrier(4)
    statuses: list[int] = []

    def put(client: TestClient, n: int) -> None:
        start.wait()
        statuses.append(client.put(url, headers=headers, json={
            "name": f"Raced {n}",
            "develops": [{"competency": "OPS-P01", "proficiency": "aware"}]}).status_code)

    with client_for(writable_store) as first, client_for(writable_store) as second:
        threads = [threading.Thread(target=put, args=(client, n))
                   for n, client in enumerate([first, second, first, second])]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
    assert sorted(statuses) == [200, 200, 200, 201]
    courses = writable_store.read("MATCH (c:Course) WHERE toLower(c.local_code) = 'race-1' "
                                  "RETURN count(c) AS n")
    assert courses[0]["n"] == 1

"""Answers depend on what they read (issue 26): every write through the service moves the
state token of the parts of the graph it touched, in the graph itself, and a kept answer or
read model resting on other parts stays as it is -- in the worker that wrote and in another
one, on both backends. Checked by what the service counts (read-model loads, answers built,
CASE answers encoded), never by timing."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from app.domain.case import case_id
from app.graph.parts import read_tokens
from app.graph.port import GraphStore
from app.main import create_app
from app.paths import SEED_DATA_DIR
from app.runtime import Runtime
from app.seed.loader import seed
from app.services.access.keys import create_key
from app.settings import Settings

REFRESH = 0.2
COURSE = "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/C-PARTS"
COMPETENCY_PACKAGE = f"/ims/case/v1p0/CFPackages/{case_id('CFDocument', 'cqf-competencies')}"
EXU_PACKAGE = f"/ims/case/v1p0/CFPackages/{case_id('CFDocument', 'institution', 'EXU')}"
WARM: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "/api/v1/cqf-table", None),
    ("GET", "/api/v1/job-families/JF-BORDER/career-path", None),
    ("GET", "/api/v1/equivalences?from=IE-NFQ:8&to=NL-NLQF", None),
    ("GET", "/api/v1/equivalences?from=IE-NFQ:8", None),
    ("POST", "/api/v1/portability", {"from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 10}),
    ("GET", COMPETENCY_PACKAGE, None),
]


@pytest.fixture
def seeded(store: GraphStore) -> GraphStore:
    seed(store, SEED_DATA_DIR)
    return store


def _worker(store: GraphStore) -> TestClient:
    """One API worker over ``store``: its own read models and kept answers."""
    app = create_app(Settings(mapping_cache_seconds=REFRESH, rate_limit_enabled=False),
                     runtime=Runtime(store, schema_applied=True))
    return TestClient(app, raise_server_exceptions=False)


@pytest.fixture
def workers(seeded: GraphStore) -> Iterator[tuple[TestClient, TestClient]]:
    with _worker(seeded) as writer, _worker(seeded) as reader:
        yield writer, reader


def _ask(client: TestClient,
         questions: list[tuple[str, str, dict[str, Any] | None]] = WARM) -> list[bytes]:
    bodies = []
    for method, path, body in questions:
        response = client.request(method, path, json=body)
        assert response.status_code == 200, (path, response.text)
        bodies.append(response.content)
    return bodies


def _settle(app: FastAPI) -> None:
    """Until no read model of this worker is reloading in the background."""
    deadline = time.monotonic() + 30
    caches = [app.state.mapping_cache, app.state.candidate_cache, app.state.careers_cache,
              app.state.case_cache, app.state.offer_cache]
    while any(c._refreshing for c in caches) and time.monotonic() < deadline:  # noqa: SLF001
        time.sleep(0.02)


def _built(app: FastAPI) -> dict[str, int]:
    """What this worker has computed so far: read-model loads, answers built and kept."""
    s = app.state
    case = s.case_cache.peek(s.runtime.store)
    return {"mapping graph loads": s.mapping_cache.loads,
            "candidate loads": s.candidate_cache.loads,
            "careers model loads": s.careers_cache.loads,
            "CASE model loads": s.case_cache.loads,
            "CQF tables built": s.cqf_table_memo.builds,
            "CQF group cells built": s.cqf_table_memo.groups.builds,
            "career answers built": s.careers_memo.builds,
            "career ladders, rankings and plan searches": s.careers_memo.built_by_kind["core"],
            "kept answers computed": s.answer_cache.computed,
            "CASE answers encoded": case.encodes if case is not None else -1}


def _warm(client: TestClient) -> list[bytes]:
    """Ask every question until the worker answers all of them from what it keeps."""
    app: Any = client.app
    for _ in range(3):
        _ask(client)
        _settle(app)
    return _ask(client)


def test_a_course_write_keeps_the_cqf_table_careers_equivalence_and_case_warm(
        seeded: GraphStore, workers: tuple[TestClient, TestClient]) -> None:
    writer, reader = workers
    before = {id(c): _warm(c) for c in workers}
    built = {id(c): _built(c.app) for c in workers}  # type: ignore[arg-type]
    tokens = read_tokens(seeded)

    exu = {"X-API-Key": create_key(seeded, "institution:EXU")["key"]}
    put = writer.put(COURSE, headers=exu, json={
        "name": "Customs ethics", "develops": [{"competency": "OPS-P01",
                                                "proficiency": "aware"}]})
    assert put.status_code == 201, put.text

    moved = {p for p in read_tokens(seeded).keys() | tokens.keys()
             if read_tokens(seeded).get(p) != tokens.get(p)}
    assert moved == {"courses:EXU", "access"}  # the key, then the course: nothing else

    time.sleep(REFRESH * 2)  # the other worker reads the tokens again after its refresh time
    for client in workers:
        app: Any = client.app
        assert _ask(client) == before[id(client)]
        _settle(app)
        assert _ask(client) == before[id(client)]
        assert _built(app) == built[id(client)], "a course write rebuilt an answer"

    # ... and what does rest on that institution's courses sees the write at once.
    assert reader.get(COURSE).status_code == 200
    package = writer.get(EXU_PACKAGE).json()
    assert "C-PARTS" in {i["humanCodingScheme"] for i in package["CFItems"]}


MAPPING_QUESTIONS: list[tuple[str, str, dict[str, Any] | None]] = [
    *WARM,
    ("GET", "/api/v1/equivalences?from=CQF:1&to=ISCED-2011", None),
    ("GET", "/api/v1/equivalences?from=IE-NFQ:9&to=NL-NLQF&include=proposed", None),
    ("GET", "/api/v1/equivalences?from=IE-NFQ:9&include=proposed", None),
    ("POST", "/api/v1/portability", {"from_profile": "JP-AUDIT-OFFICER-PCA", "limit": 20}),
    ("GET", "/api/v1/job-profiles/JP-AUDIT-OFFICER-PCA/successors", None),
    ("POST", "/api/v1/career-plans", {"from_profile": "JP-AUDIT-OFFICER-PCA",
                                      "target_profile": "JP-AUDIT-TEAM_LEAD-PCA"}),
]


def _answers(client: TestClient) -> list[bytes]:
    return _ask(client, MAPPING_QUESTIONS)


def _fresh(store: GraphStore) -> list[bytes]:
    """What a new process answers: every read model loaded from the store."""
    with _worker(store) as fresh:
        return _answers(fresh)


def test_a_level_mapping_write_updates_the_mapping_graph_in_every_worker(
        seeded: GraphStore, workers: tuple[TestClient, TestClient]) -> None:
    """Create (accepted), reject, propose, retract: after each, both workers patch their
    mapping graph from the change journal (no full reload) and answer exactly what a fresh
    process answers; a change that leaves every accepted mapping as it was (a proposal, its
    retraction) does not rebuild the CQF table or a career answer either."""
    writer, reader = workers
    for client in workers:
        _warm(client)
    admin = {"X-API-Key": create_key(seeded, "admin")["key"]}
    before = _fresh(seeded)
    assert [_answers(c) for c in workers] == [before, before]
    built = {id(c): _built(c.app) for c in workers}  # type: ignore[arg-type]

    def check(changes_accepted: bool) -> list[bytes]:
        time.sleep(REFRESH * 2)  # the other worker reads the tokens again after that
        fresh = _fresh(seeded)
        for client in workers:
            app: Any = client.app
            _answers(client)
            _settle(app)
            assert _answers(client) == fresh
            now = _built(app)
            was = built[id(client)]
            assert now["mapping graph loads"] == was["mapping graph loads"], "reloaded"
            assert app.state.mapping_cache.updates > 0
            rebuilt = now["CQF tables built"] > was["CQF tables built"]
            assert rebuilt == changes_accepted, "CQF table"
            # ... and then from the cells of the rows whose profiles did not move.
            assert now["CQF group cells built"] == was["CQF group cells built"]
            # career answers are worded again (placements may change), but the ladder, the
            # successors' ranking and a plan's search rest on the profiles alone: no profile
            # moved on the CQF here, so none of them is computed again
            rewritten = now["career answers built"] > was["career answers built"]
            assert rewritten == changes_accepted, "career answers"
            assert now["career ladders, rankings and plan searches"] == \
                was["career ladders, rankings and plan searches"]
            for model in ("candidate loads", "careers model loads", "CASE model loads"):
                assert now[model] == was[model], model
            built[id(client)] = now
        return fresh

    created = writer.post("/api/v1/mappings", headers=admin, json={
        "from_level": "CQF:1", "to_level": "ISCED-2011:7", "match_type": "exactMatch",
        "confidence": 0.99, "method": "expert_panel", "review_status": "accepted",
        "source": {"document": "test decision", "year": 2026}})
    assert created.status_code == 201, created.text
    accepted = check(changes_accepted=True)
    assert accepted != before
    assert created.json()["id"] in reader.get(
        "/api/v1/equivalences?from=CQF:1&to=ISCED-2011").text

    rejected = writer.post(f"/api/v1/mappings/{created.json()['id']}/review", headers=admin,
                           json={"decision": "reject", "reason": "test: not equivalent"})
    assert rejected.status_code == 200, rejected.text
    assert check(changes_accepted=True) == before  # as if it had never been accepted

    proposed = writer.post("/api/v1/mappings", headers=admin, json={
        "from_level": "IE-NFQ:9", "to_level": "NL-NLQF:8", "match_type": "broadMatch",
        "confidence": 0.8, "method": "expert_panel",
        "source": {"document": "test decision", "year": 2026}})
    assert proposed.status_code == 201, proposed.text
    assert check(changes_accepted=False) != before  # counted where proposals are asked for

    retracted = writer.delete(f"/api/v1/mappings/{proposed.json()['id']}", headers=admin)
    assert retracted.status_code == 204, retracted.text
    assert check(changes_accepted=False) == before


def test_an_accepted_course_recomputes_only_the_training_its_courses_touch(
        seeded: GraphStore, workers: tuple[TestClient, TestClient]) -> None:
    """A course that starts to count (its mapping accepted) changes the training a career
    path suggests: both workers then answer what a fresh process answers, without computing
    the ladder's shape again, and compute again only the training of the steps whose
    candidate courses changed."""
    writer, _ = workers
    path = "/api/v1/job-families/JF-BORDER/career-path"
    steps = writer.get(path).json()["steps"]
    gap = next(g for s in steps for g in s["new_competencies"])
    for client in workers:
        _warm(client)
    built = {id(c): _built(c.app) for c in workers}  # type: ignore[arg-type]
    trained = {id(c): c.app.state.careers_memo.training.builds for c in workers}  # type: ignore[attr-defined]

    exu = {"X-API-Key": create_key(seeded, "institution:EXU")["key"]}
    admin = {"X-API-Key": create_key(seeded, "admin")["key"]}
    put = writer.put(COURSE, headers=exu, json={
        "name": "Closes one gap", "ects": 3,
        "develops": [{"competency": gap["code"], "proficiency": "expert"}]})
    assert put.status_code == 201, put.text
    accepted = writer.post(
        f"/api/v1/course-mappings/EXU/PROG-EXU-MSC/C-PARTS/develops/{gap['code']}/review",
        headers=admin, json={"decision": "accepted"})
    assert accepted.status_code == 200, accepted.text

    time.sleep(REFRESH * 2)
    with _worker(seeded) as fresh:
        expected = fresh.get(path).content
    assert "C-PARTS" in expected.decode()  # the course now closes a gap of some step
    for client in workers:
        app: Any = client.app
        client.get(path)
        _settle(app)
        assert client.get(path).content == expected
        now, was = _built(app), built[id(client)]
        assert now["careers model loads"] == was["careers model loads"]  # offers updated
        assert now["career ladders, rankings and plan searches"] == \
            was["career ladders, rankings and plan searches"]
        again = app.state.careers_memo.training.builds - trained[id(client)]
        assert 0 < again < len(steps), (again, len(steps))


def _cqf_members(table: dict[str, Any], profile: str) -> list[str]:
    """The CQF levels whose row lists ``profile`` among its job profiles."""
    return [row["level"]["code"] for row in table["rows"]
            if profile in {p["code"] for p in row["job_profiles"]["values"]}]


def test_a_mapping_that_moves_a_profile_rebuilds_only_its_rows_as_a_fresh_process_would(
        seeded: GraphStore, workers: tuple[TestClient, TestClient]) -> None:
    """An accepted exact match from an administration's grade to another CQF level moves
    the grade's profile to that level: both workers then answer the CQF table (and the
    career path) exactly as a fresh process does, computing again the competency-group
    cells of the rows whose profiles moved, and answer as before once it is retracted."""
    writer, _ = workers
    for client in workers:
        _warm(client)
    before = _fresh(seeded)
    assert _cqf_members(writer.get("/api/v1/cqf-table").json(), "JP-ADM-A-01") == ["CQF:2"]
    built = {id(c): _built(c.app) for c in workers}  # type: ignore[arg-type]
    admin = {"X-API-Key": create_key(seeded, "admin")["key"]}

    created = writer.post("/api/v1/mappings", headers=admin, json={
        "from_level": "ADM-A-GRADES:G2", "to_level": "CQF:3", "match_type": "exactMatch",
        "confidence": 0.99, "method": "expert_panel", "review_status": "accepted",
        "source": {"document": "test decision", "year": 2026}})
    assert created.status_code == 201, created.text
    time.sleep(REFRESH * 2)
    moved = _fresh(seeded)
    assert moved != before
    for client in workers:
        app: Any = client.app
        _answers(client)
        _settle(app)
        assert _answers(client) == moved
        assert _cqf_members(client.get("/api/v1/cqf-table").json(), "JP-ADM-A-01") == \
            ["CQF:3"]
        now, was = _built(app), built[id(client)]
        assert now["careers model loads"] == was["careers model loads"]
        assert now["CQF group cells built"] > was["CQF group cells built"]

    retracted = writer.delete(f"/api/v1/mappings/{created.json()['id']}", headers=admin)
    assert retracted.status_code == 204, retracted.text
    time.sleep(REFRESH * 2)
    for client in workers:
        app = client.app
        _answers(client)
        _settle(app)
        assert _answers(client) == before


LEVEL_PAGE = "/api/v1/levels/IE-NFQ:9"
COMPETENCY_PAGE = "/api/v1/competencies/OPS-P01"
GROUP_PAGE = "/api/v1/competency-groups/OPS"


def test_look_ups_are_asked_again_only_after_a_write_to_what_their_page_lists(
        seeded: GraphStore, workers: tuple[TestClient, TestClient]) -> None:
    """A course write keeps a level's page (it lists programmes, not courses) and makes the
    page of the competency the course develops show it; a programme write makes the page of
    the level it is at list it. In the worker that wrote and in the other one."""
    pages = [LEVEL_PAGE, COMPETENCY_PAGE, GROUP_PAGE]
    for client in workers:
        for page in pages:
            assert client.get(page).status_code == 200, page
    computed = {id(c): c.app.state.answer_cache.computed for c in workers}  # type: ignore[attr-defined]
    exu = {"X-API-Key": create_key(seeded, "institution:EXU")["key"]}
    time.sleep(REFRESH * 2)

    writer, _ = workers
    assert writer.put(COURSE, headers=exu, json={
        "name": "Customs ethics", "develops": [{"competency": "OPS-P01",
                                                "proficiency": "aware"}]}).status_code == 201
    time.sleep(REFRESH * 2)  # the other worker reads the tokens again after its refresh time
    for client in workers:
        app: Any = client.app
        assert client.get(LEVEL_PAGE).status_code == 200
        assert client.get(GROUP_PAGE).status_code == 200
        assert app.state.answer_cache.computed == computed[id(client)], \
            "a course write made the level or group page be asked again"
        developed = client.get(COMPETENCY_PAGE).json()["related"]["developed_by"]
        assert "Customs ethics" in {c["name"] for c in developed}
        assert app.state.answer_cache.computed == computed[id(client)] + 1

    assert writer.put("/api/v1/institutions/EXU/programmes/PROG-PARTS", headers=exu, json={
        "name": "Customs ethics for managers", "level": "IE-NFQ:9"}).status_code == 201
    time.sleep(REFRESH * 2)
    for client in workers:
        listed = client.get(LEVEL_PAGE).json()["related"]["programmes"]
        assert "Customs ethics for managers" in {p["name"] for p in listed}

"""Who may write: every write route against admin, own institution, another institution, an
administration, a reviewer, no key, a revoked key. 401 and 403 reveal nothing of the target."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.domain.auth import Principal
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from app.services.access.keys import create_key, revoke_key
from app.services.institutions import courses
from tests.conftest import client_for, fresh_store

PROBLEM = "application/problem+json"
BULK = ("programme,course,course_name,kind,target,proficiency,evidence,assessment\n"
        "PROG-EXU-MSC,CRS-EXU-01,,develops,OPS-P08,expert,,\n")
COURSE = {"name": "Customs ethics", "develops": [{"competency": "OPS-P01",
                                                  "proficiency": "aware"}]}

# (method, path, json body, raw body, status when allowed)
ROUTES = {
    "put_institution": ("PUT", "/api/v1/institutions/EXU", {"name": "Example U"}, None, 200),
    "put_programme": ("PUT", "/api/v1/institutions/EXU/programmes/P-NEW",
                      {"name": "New programme", "level": "IE-NFQ:8"}, None, 201),
    "delete_programme": ("DELETE", "/api/v1/institutions/EXU/programmes/P-EMPTY", None, None,
                         204),
    "put_course": ("PUT", "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/C-NEW",
                   COURSE, None, 201),
    "delete_course": ("DELETE",
                      "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/CRS-EXU-01",
                      None, None, 204),
    "bulk_upload": ("POST", "/api/v1/institutions/EXU/mappings:bulk", None, BULK, 200),
    "review": ("POST", "/api/v1/course-mappings/CRS-EXU-01/develops/OPS-P08/review",
               {"decision": "rejected", "reason": "outcomes do not show it"}, None, 200),
    "review_programme": ("POST", "/api/v1/institutions/EXU/programmes/P-EMPTY/review",
                         {"decision": "accepted"}, None, 200),
    "create_key": ("POST", "/api/v1/keys", {"role": "institution:EXU"}, None, 201),
}
# Which principals may use which route (the rest of the keyed principals get 403).
ALLOWED = {
    "admin": set(ROUTES),
    "own": {"put_institution", "put_programme", "delete_programme", "put_course",
            "delete_course", "bulk_upload"},
    "reviewer": {"review", "review_programme"},
    "other": set(), "administration": set(),
}
ROLES = {"admin": "admin", "own": "institution:EXU", "other": "institution:INST-RTU",
         "administration": "administration:ADM-A", "reviewer": "reviewer"}


def _headers(store: GraphStore, who: str) -> dict[str, str]:
    if who == "none":
        return {}
    if who == "garbage":
        return {"X-API-Key": "cqf_000000000000_not-a-real-key-at-all-000"}
    made = create_key(store, ROLES.get(who, "admin"))
    if who == "revoked":
        revoke_key(store, made["key_id"])
    return {"X-API-Key": made["key"]}


def _call(client: TestClient, route: str, headers: dict[str, str]):  # type: ignore[no-untyped-def]
    method, path, body, raw, _ = ROUTES[route]
    if raw is not None:
        return client.request(method, path, content=raw.encode(),
                              headers={**headers, "content-type": "text/csv"})
    return client.request(method, path, json=body, headers=headers)


@pytest.fixture(scope="module")
def refusal_store(request: pytest.FixtureRequest) -> Iterator[GraphStore]:
    """One seeded graph shared by every refused call: a refusal must write nothing, which
    the test checks, so sharing it is safe."""
    graph = fresh_store(request, "falkordb")
    seed(graph, SEED_DATA_DIR)
    _setup(graph)
    yield graph
    graph.close()


def _setup(store: GraphStore) -> None:
    courses.put_programme(store, Principal("setup", "admin"), "EXU", "P-EMPTY",
                          {"name": "Empty programme"})


def _snapshot(store: GraphStore) -> tuple:
    nodes = store.read("MATCH (n) WHERE NOT n:ApiKey RETURN count(n) AS n")[0]["n"]
    rels = store.read("MATCH ()-[r]->() RETURN count(r) AS n, "
                      "collect(DISTINCT r.review_status) AS s")[0]
    return nodes, rels["n"], sorted(s for s in rels["s"] if s)


@pytest.mark.parametrize("who", ["admin", "own", "other", "administration", "reviewer", "none",
                                 "revoked", "garbage"])
@pytest.mark.parametrize("route", list(ROUTES))
def test_ownership_matrix(request: pytest.FixtureRequest, route: str, who: str) -> None:
    if who in ("none", "revoked", "garbage"):
        expected = 401
    elif route in ALLOWED[who]:
        expected = ROUTES[route][4]
    else:
        expected = 403
    if expected < 400:
        store = request.getfixturevalue("writable_store")
        _setup(store)
    else:
        store = request.getfixturevalue("refusal_store")
    headers = _headers(store, who)  # its key's creation is audited: snapshot after it
    before = _snapshot(store)
    with client_for(store) as client:
        response = _call(client, route, headers)
    assert response.status_code == expected, response.text
    if expected >= 400:
        assert response.headers["content-type"].startswith(PROBLEM)
        assert _snapshot(store) == before


def test_a_bearer_token_works_like_the_header(writable_api: TestClient,
                                              writable_store: GraphStore) -> None:
    key = create_key(writable_store, "institution:EXU")["key"]
    response = writable_api.put("/api/v1/institutions/EXU", json={"name": "Example U"},
                                headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("who,status", [("none", 401), ("other", 403)])
def test_refusals_do_not_reveal_whether_the_target_exists(
        writable_api: TestClient, writable_store: GraphStore, who: str, status: int) -> None:
    headers = _headers(writable_store, who)
    bodies = []
    for path in ("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/CRS-EXU-01",
                 "/api/v1/institutions/NOPE/programmes/NOPE/courses/NOPE"):
        response = writable_api.delete(path, headers=headers)
        assert response.status_code == status
        bodies.append({k: v for k, v in response.json().items() if k != "instance"})
    assert bodies[0] == bodies[1]


def test_keys_are_shown_once_stored_as_hashes_and_revocable(
        writable_api: TestClient, writable_store: GraphStore, key_for) -> None:
    admin = key_for("admin")
    made = writable_api.post("/api/v1/keys", json={"role": "institution:EXU", "label": "EXU"},
                             headers=admin).json()
    assert made["key"].startswith("cqf_")
    listed = writable_api.get("/api/v1/keys", headers=admin).json()["items"]
    assert made["key_id"] in {k["key_id"] for k in listed}
    assert made["key"] not in str(listed)
    stored = writable_store.read("MATCH (k:ApiKey {code: $code}) RETURN properties(k) AS p",
                                 {"code": made["key_id"]})[0]["p"]
    assert made["key"] not in str(stored) and len(stored["hash"]) == 64
    own = {"X-API-Key": made["key"]}
    assert writable_api.put("/api/v1/institutions/EXU", json={"name": "U"},
                            headers=own).status_code == 200
    used = writable_api.get("/api/v1/keys", headers=admin).json()["items"]
    assert next(k for k in used if k["key_id"] == made["key_id"])["last_used_at"]
    assert writable_api.delete(f"/api/v1/keys/{made['key_id']}",
                               headers=admin).status_code == 200
    assert writable_api.put("/api/v1/institutions/EXU", json={"name": "U"},
                            headers=own).status_code == 401


def test_an_unknown_role_is_refused(writable_api: TestClient, key_for) -> None:
    response = writable_api.post("/api/v1/keys", json={"role": "superuser"},
                                 headers=key_for("admin"))
    assert response.status_code == 422 and response.json()["errors"][0]["location"] == "role"


def test_every_write_leaves_an_audit_entry_for_admins_and_the_owner(
        writable_api: TestClient, key_for) -> None:
    own, other, admin = key_for("institution:EXU"), key_for("institution:INST-RTU"), \
        key_for("admin")
    writable_api.put("/api/v1/institutions/EXU/programmes/P-A", headers=own,
                     json={"name": "Programme A"})
    writable_api.put("/api/v1/institutions/EXU/programmes/P-A", headers=admin,
                     json={"name": "Programme A (renamed)"})
    mine = writable_api.get("/api/v1/audit", headers=own).json()["items"]
    assert [(e["action"], e["target_code"]) for e in mine] == [("put", "EXU/P-A")] * 2
    latest = mine[0]
    assert latest["before"]["name"] == "Programme A"
    assert latest["after"]["name"] == "Programme A (renamed)" and latest["at"]
    assert writable_api.get("/api/v1/audit", headers=other).json()["total"] == 0
    everything = writable_api.get("/api/v1/audit", headers=admin).json()
    assert everything["total"] >= 2
    assert writable_api.get("/api/v1/audit").status_code == 401


def test_internal_nodes_stay_out_of_the_catalogue(writable_api: TestClient, key_for) -> None:
    key_for("admin")
    hits = writable_api.get("/api/v1/search", params={"q": "admin"}).json()["items"]
    assert not {h["kind"] for h in hits} & {"ApiKey", "AuditEntry"}

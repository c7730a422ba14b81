"""The language sweep over problem details: every kind of problem the service answers
(401, 403, 404, 405, 406, 409, 413, 415, 422, 429, 503, malformed JSON, the SPARQL
endpoint's), each caused for real through the app, has its ``title`` and ``detail`` in French
under ``lang=fr`` or ``Accept-Language: fr`` and in English otherwise; the ``type`` is the
same in both. Busy SPARQL workers, a snapshot still being built and a bug's 500 are not
caused here (they need a saturated endpoint, a first start or a bug); their words are
catalogue msgids like the others (tests/unit/test_web_i18n.py keeps the catalogue whole)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from app.api.routes.linked_data.sparql import MAX_QUERY
from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.services.linked_data.releases import make_release
from app.settings import Settings
from tests.e2e.test_explorer_languages import ENGLISH_ONLY

Send = Callable[[TestClient, dict[str, str]], httpx.Response]
FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}
JSON = {"Accept": "application/json"}
IMAGE = {"Accept": "image/png"}
BASE = "http://cqf.test/id/"
# What a French detail may quote as written: media types, header and parameter names,
# codes, addresses and numbers, SPARQL keywords.
QUOTED = re.compile(r"[\w.+-]+/[\w.+*-]+|https?://\S+|`[^`]*`|«[^»]*»|'[^']*'|"
                    r"\b(?:X-API-Key|Authorization|Bearer|Allow|LIMIT|OFFSET|SPARQL|API)\b")


def english_in(problem: dict[str, Any]) -> list[str]:
    """The title, detail or an error's message if English words remain once quoted values
    are set aside."""
    texts = [problem["title"], problem["detail"],
             *(str(e.get("message", "")) for e in problem.get("errors", []))]
    return [text for text in texts if ENGLISH_ONLY.search(QUOTED.sub(" ", str(text)))]


def both(client: TestClient, send: Send, status: int, slug: str,
         by: str = "header") -> tuple[dict[str, Any], dict[str, Any]]:
    """The problem in English and in French (by ``Accept-Language`` or ``lang=fr``)."""
    english = send(client, {})
    french = send(client, FRENCH) if by == "header" else send(client, {"lang": "fr"})
    for response in (english, french):
        assert response.status_code == status, (slug, response.text)
        assert response.headers["content-type"].startswith("application/problem+json"), slug
        assert response.json()["type"] == "https://cqf-graph.org/problems/" + slug
    assert french.headers.get("content-language") == "fr", slug
    return english.json(), french.json()


def _get(path: str, headers: dict[str, str] | None = None, /, **params: Any) -> Send:
    def send(client: TestClient, lang: dict[str, str]) -> httpx.Response:
        query = {**params, **({"lang": lang["lang"]} if "lang" in lang else {})}
        extra = {k: v for k, v in lang.items() if k != "lang"}
        return client.get(path, params=query, headers={**(headers or {}), **extra})
    return send


def _call(method: str, path: str, headers: dict[str, str] | None = None,
          **kwargs: Any) -> Send:
    def send(client: TestClient, lang: dict[str, str]) -> httpx.Response:
        url = path + ("&" if "?" in path else "?") + "lang=fr" if "lang" in lang else path
        extra = {k: v for k, v in lang.items() if k != "lang"}
        return client.request(method, url, headers={**(headers or {}), **extra}, **kwargs)
    return send


def sweep(cases: dict[str, tuple[TestClient, Send, int, str]], by: str = "header") -> None:
    found, same = {}, []
    for name, (client, send, status, slug) in cases.items():
        english, french = both(client, send, status, slug, by)
        if english_in(french):
            found[name] = english_in(french)
        if french["detail"] == english["detail"] or french["title"] == english["title"]:
            same.append(name)
        assert not english_in(english) or english["detail"] != french["detail"]
    report = "\n".join(f"{name}: {texts!r}" for name, texts in found.items())
    assert found == {}, f"English in French problem details:\n{report}"
    assert same == [], f"not translated: {same}"


@pytest.fixture(scope="module")
def sparql_api(seeded_falkordb: GraphStore,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The seeded graph with release 1.0.0, few results allowed and a short query time."""
    releases = tmp_path_factory.mktemp("releases")
    make_release(seeded_falkordb, releases, "1.0.0", BASE)
    settings = Settings(rate_limit_enabled=False, releases_dir=releases, base_iri=BASE,
                        sparql_max_results=5, sparql_timeout_seconds=2)
    app = create_app(settings, runtime=Runtime(seeded_falkordb, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_every_read_problem_is_said_in_french(api: TestClient, sparql_api: TestClient) -> None:
    levels = "SELECT ?s WHERE { ?s ?p ?o }"
    slow = ("SELECT (COUNT(*) AS ?n) WHERE { ?a ?p ?b . ?c ?q ?d . ?e ?r ?f "
            "FILTER(STR(?b) < STR(?d)) }")
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"
    s = sparql_api
    cases: dict[str, tuple[TestClient, Send, int, str]] = {
        "record not found": (api, _get("/api/v1/frameworks/NOPE"), 404, "not-found"),
        "no such address": (api, _get("/api/v1/nothing-here"), 404, "not-found"),
        "unknown kind": (api, _get("/id/nonsense/x", JSON), 404, "not-found"),
        "method": (api, _call("DELETE", "/api/v1/frameworks"), 405, "method-not-allowed"),
        "406 entity": (api, _get("/id/framework/EQF", IMAGE), 406, "not-acceptable"),
        "406 export": (api, _get("/api/v1/export", IMAGE), 406, "not-acceptable"),
        "406 table": (api, _get("/api/v1/cqf-table", IMAGE), 406, "not-acceptable"),
        "406 csvw": (api, _get("/api/v1/cqf-table.csv-metadata.json", IMAGE), 406,
                     "not-acceptable"),
        "422": (api, _get("/api/v1/equivalences", **{"from": "DK-NQF", "to": "EQF"}), 422,
                "invalid-request"),
        "422 kind": (api, _get("/api/v1/search", q="customs", kind="nonsense"), 422,
                     "invalid-request"),
        "422 limit": (api, _get("/api/v1/job-profiles/JP-AUDIT-OFFICER-PCA/successors",
                                limit=0), 422, "invalid-request"),
        "malformed JSON": (api, _call("POST", "/api/v1/portability", content=b'{"from_pro',
                                      headers={"Content-Type": "application/json"}), 400,
                           "malformed-json"),
        "413": (api, _call("POST", "/api/v1/portability",
                           content=b'{"from_profile": "' + b"x" * (2 * 1024 * 1024) + b'"}',
                           headers={"Content-Type": "application/json"}), 413,
                "payload-too-large"),
        "401": (api, _call("POST", "/api/v1/mappings", json={}), 401, "unauthorized"),
        "415": (s, _call("POST", "/sparql", content=b"x",
                         headers={"Content-Type": "text/plain"}), 415,
                "unsupported-media-type"),
        "sparql update": (s, _get("/sparql", query="CLEAR ALL"), 400, "sparql-update-refused"),
        "sparql malformed": (s, _get("/sparql", query="SELECT WHERE {"), 400,
                             "sparql-malformed-query"),
        "sparql missing": (s, _get("/sparql"), 400, "sparql-missing-query"),
        "sparql several": (s, _get("/sparql", query=[levels, levels]), 400,
                           "sparql-several-queries"),
        "sparql too long": (s, _call("POST", "/sparql", content=("#" * (MAX_QUERY + 1)).encode(),
                                     headers={"Content-Type": "application/sparql-query"}),
                            400,
                            "sparql-query-too-long"),
        "sparql unknown graph": (s, _get("/sparql", query=levels,
                                         **{"default-graph-uri": "http://example.org/g"}),
                                 400, "sparql-unknown-graph"),
        "sparql mixed graphs": (s, _get("/sparql", query=levels, **{"default-graph-uri": [
            BASE + "release/1.0.0", BASE + "dataset/current"]}), 400, "sparql-mixed-graphs"),
        "sparql 406": (s, _get("/sparql", {"Accept": "text/csv"}, query=construct), 406,
                       "not-acceptable"),
        "sparql too many": (s, _get("/sparql", query=levels), 422, "sparql-result-too-large"),
        "sparql timeout": (s, _get("/sparql", query=slow), 503, "sparql-timeout"),
    }
    sweep(cases)
    sweep({name: cases[name] for name in ("record not found", "method", "sparql update")},
          by="query")


def test_readiness_and_a_rate_limit_are_said_in_french(
        seeded_falkordb: GraphStore, writable_store: GraphStore) -> None:
    """A store whose schema is not applied yet (readiness 503) and a client over its limit
    (429). A store that does not answer at all: tests/faults/test_store_outage.py."""
    unready = TestClient(create_app(Settings(rate_limit_enabled=False),
                                    runtime=Runtime(seeded_falkordb, schema_applied=False)),
                         raise_server_exceptions=False)
    limited = TestClient(create_app(Settings(rate_limit_queries_per_minute=1,
                                             rate_limit_burst=1),
                                    runtime=Runtime(writable_store, schema_applied=True)),
                         raise_server_exceptions=False)
    question = _get("/api/v1/equivalences", **{"from": "IE-NFQ:8", "to": "EQF"})
    with unready, limited:
        question(limited, {})  # the one request the bucket holds
        sweep({"not ready": (unready, _get("/health/ready"), 503, "store-unavailable"),
               "429": (limited, question, 429, "rate-limited")})


def test_write_problems_are_said_in_french(writable_api: TestClient,
                                           writable_store: GraphStore,
                                           key_for: Callable[[str], dict[str, str]]) -> None:
    """A key without the right (403), a delete the stored state refuses (409 conflict) and an
    institution whose upload lock another worker holds (409 busy, after its short wait)."""
    institution = key_for("institution:EXU")
    admin = key_for("admin")
    writable_store.write("CREATE (:ServiceLock {code: 'mappings:EXU', token: 'theirs', "
                         "until: $until, host: 'another-host', pid: 1, started: 'x'})",
                         {"until": time.time() + 600})
    course = {"name": "Waits for the lock",
              "develops": [{"competency": "OPS-P01", "proficiency": "aware"}]}
    w = writable_api
    try:
        sweep({
            "403": (w, _call("POST", "/api/v1/keys", institution, json={"role": "admin"}),
                    403, "forbidden"),
            "422 same framework": (w, _call("POST", "/api/v1/mappings", admin, json={
                "from_level": "EQF:5", "to_level": "EQF:6", "match_type": "broadMatch",
                "confidence": 0.8, "method": "expert_panel",
                "source": {"document": "X HR decision 12/2026", "year": 2026}}), 422,
                "invalid-request"),
            "409 conflict": (w, _call("DELETE", "/api/v1/institutions/EXU/programmes/"
                                      "PROG-EXU-MSC", admin), 409, "conflict"),
            "422 upload": (w, _call(
                "POST", "/api/v1/institutions/EXU/mappings:bulk?dry_run=true",
                {**institution, "Content-Type": "text/csv"},
                content=(b"programme,course,course_name,kind,target,proficiency,evidence,"
                         b"assessment\nPROG-NOPE,CRS-1,,develops,OPS-P99,master,,\n"
                         b"PROG-EXU-MSC,CRS-EXU-01,,teaches,OPS-P01,,,\n"
                         b"PROG-EXU-MSC,NEW-9,,develops,OPS-P01,,,\n")), 422,
                "invalid-request"),
            "422 upload header": (w, _call(
                "POST", "/api/v1/institutions/EXU/mappings:bulk?dry_run=true",
                {**institution, "Content-Type": "text/csv"},
                content=b"programme,course,colour\nPROG-EXU-MSC,CRS-EXU-01,x\n"), 422,
                "invalid-request"),
            "409 busy": (w, _call("PUT", "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/"
                                  "courses/BUSY-1", institution, json=course), 409, "busy"),
        })
    finally:
        writable_store.write("MATCH (l:ServiceLock {token: 'theirs'}) DELETE l")


def test_the_problem_sweep_would_see_english(api: TestClient) -> None:
    """The detector is not blind: the English problems fail it."""
    english = api.get("/api/v1/frameworks/NOPE").json()
    assert english_in(english)
    assert english_in(api.delete("/api/v1/frameworks").json())


CASE_UUID = "6f1c1d52-2b6a-5c55-9d8e-0c7a4e9b1f00"  # well-formed, names nothing


def _first_document(client: TestClient, version: str) -> str:
    listing = client.get(f"/ims/case/{version}/CFDocuments").json()
    return str(listing["CFDocuments"][0]["identifier"])


@pytest.mark.parametrize("version", ["v1p0", "v1p1"])
def test_case_error_descriptions_are_said_in_french(api: TestClient, seeded_falkordb: GraphStore,
                                                     version: str) -> None:
    """The CASE API's imsx_StatusInfo: every kind of error it answers has its
    ``imsx_description`` in French under ``Accept-Language: fr`` or ``lang=fr`` (CASE names
    such as CFDocument, parameter names and quoted values stay as written) and the same codes
    as in English."""
    base = f"/ims/case/{version}"
    bad_listing = {"limit": "0", "offset": "x", "orderBy": "up", "sort": "colour",
                   "fields": "title,nope", "filter": "colour='red'"}
    cases: dict[str, tuple[TestClient, Send, int]] = {
        "unknown document": (api, _get(f"{base}/CFDocuments/{CASE_UUID}"), 404),
        "unknown associations": (api, _get(f"{base}/CFItemAssociations/{CASE_UUID}"), 404),
        "absent kind": (api, _get(f"{base}/CFRubrics/{CASE_UUID}"), 404),
        "not a uuid": (api, _get(f"{base}/CFItems/not-a-uuid"), 404),
        "no endpoint": (api, _get(f"{base}/CFNothing"), 404),
        "bad listing": (api, _get(f"{base}/CFDocuments", **bad_listing), 400),
        "bad filter": (api, _get(f"{base}/CFDocuments", filter="title='a' XOR uri='b'"), 400),
        "both joins": (api, _get(f"{base}/CFDocuments",
                                 filter="title='a' AND uri='b' OR creator='c'"), 400),
        "bad predicate": (api, _get(f"{base}/CFDocuments", filter="title="), 400),
        "no fields": (api, _get(f"{base}/CFDocuments", fields=","), 400),
        "nothing matches": (api, _get(f"{base}/CFDocuments", filter="title='no such'"), 404),
        "past the end": (api, _get(f"{base}/CFDocuments", offset="1000"), 404),
    }
    limited = TestClient(create_app(Settings(rate_limit_queries_per_minute=1,
                                             rate_limit_burst=1),
                                    runtime=Runtime(seeded_falkordb, schema_applied=True)),
                         raise_server_exceptions=False)
    with limited:
        package = f"{base}/CFPackages/{_first_document(api, version)}"
        limited.get(package)  # the one request the bucket holds
        cases["rate limited"] = (limited, _get(package), 429)
        found: dict[str, str] = {}
        for name, (client, send, status) in cases.items():
            english = send(client, {})
            for french in (send(client, FRENCH), send(client, {"lang": "fr"})):
                for response in (english, french):
                    assert response.status_code == status, (name, response.text)
                    assert response.headers["content-type"].startswith("application/json")
                assert french.headers.get("content-language") == "fr", name
                said, source = french.json(), english.json()
                assert said["imsx_codeMinor"] == source["imsx_codeMinor"], name
                assert said["imsx_description"] != source["imsx_description"], name
                text = QUOTED.sub(" ", said["imsx_description"])
                if ENGLISH_ONLY.search(CASE_TERMS.sub(" ", text)):
                    found[name] = said["imsx_description"]
            assert ENGLISH_ONLY.search(source["imsx_description"]), name  # not blind
    assert found == {}, f"English in French CASE errors: {found}"


# CASE's own names and parameters, written as the specification spells them.
CASE_TERMS = re.compile(r"\b(?:CF[A-Za-z]+|CASE|GET|UUID|limit|offset|sort|orderBy|filter|"
                        r"fields|OP|asc|desc)\b")


def test_the_store_guard_against_nul_is_said_in_french(api: TestClient) -> None:
    """The store's own refusal of NUL text (callers other than the API's edge, e.g. the
    explorer's search) is a catalogue sentence like the others."""
    from app.api.problems import localise, problem_of
    from app.graph.port import UnstorableText

    scope = {"query_string": b"lang=fr", "headers": []}
    found = localise(problem_of(UnstorableText()), scope, api.app.state.problem_words)
    message = found.members["errors"][0]["message"]
    assert message.startswith("le texte ne peut pas contenir le caractère NUL")
    assert not ENGLISH_ONLY.search(QUOTED.sub(" ", message))
    assert ENGLISH_ONLY.search(problem_of(UnstorableText()).members["errors"][0]["message"])


def test_a_course_body_problem_is_worded_with_its_values(
        writable_api: TestClient, key_for: Callable[[str], dict[str, str]]) -> None:
    """A course sent as JSON with an unknown competency and a repeated one: each problem
    names its item, is worded in the request's language with its values filled in (never a
    bare ``%(first)s``), and names the item it repeats."""
    institution = key_for("institution:EXU")
    course = {"name": "Repeats itself", "develops": [
        {"competency": "OPS-P99", "proficiency": "trained"},
        {"competency": "OPS-P01", "proficiency": "trained"},
        {"competency": "OPS-P01", "proficiency": "aware"}]}
    put = _call("PUT", "/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/REPEAT-1",
                institution, json=course)
    sweep({"422 course body": (writable_api, put, 422, "invalid-request")})
    english, french = both(writable_api, put, 422, "invalid-request")
    assert [e["location"] for e in english["errors"]] == ["develops › item 1 › competency",
                                                         "develops › item 3"]
    # field names stay as the request spelt them; a list's entries are said in French
    assert [e["location"] for e in french["errors"]] == ["develops › élément 1 › competency",
                                                        "develops › élément 3"]
    assert "%(" not in str(english) + str(french)
    assert "develops › item 2" in english["errors"][1]["message"]
    assert french["errors"][1]["message"] == ("la même cible que develops › élément 2, donnée "
                                              "une seconde fois")

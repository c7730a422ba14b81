"""CASE 1.0 (``/ims/case/v1p0``) and CASE 1.1 (``/ims/case/v1p1``) read APIs, checked
against the 1EdTech definitions themselves (``tests/support/case_schemas.py``: CASE 1.0's
OpenAPI 2.0 document and CFPackage JSON Schema, CASE 1.1's OpenAPI 3.0 document, read from
``../shared/reference/case``; skipped, with the reason printed, where that folder is absent).

Every CASE answer these tests receive goes through ``Checked.get``, which validates it
against the schema of its endpoint and status (the imsx_StatusInfo schema for errors).
CASE 1.0's ``allOf`` of two closed objects is unsatisfiable as published; it is merged into
one closed object before validating (see the support module).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from app.domain.case import case_id
from app.graph.port import GraphStore
from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from tests.conftest import client_for, fresh_store
from tests.support.case_schemas import ENDPOINTS, CaseSchemas, load

VERSIONS = ("v1p0", "v1p1")
PATH = re.compile(r"^/ims/case/(v1p[01])/(\w+)(/[^/?]+)?")
ABSENT = ("CFConcepts", "CFSubjects", "CFAssociationGroupings", "CFRubrics")
SOME_UUID = "6f1c1d52-2b6a-5c55-9d8e-0c7a4e9b1f00"


class Checked:
    """A client that validates every CASE answer against the 1EdTech schema of its endpoint
    and status, and records which schema each (version, endpoint, status) was checked with."""

    def __init__(self, client: TestClient, schemas: CaseSchemas) -> None:
        self.client = client
        self.schemas = schemas
        self.seen: dict[tuple[str, str, int], str] = {}

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        parts = urlsplit(url)  # links carry the service's configured base, not the client's
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = self.client.get(path, **kwargs)
        match = PATH.match(path)
        assert match, path
        version, segment, ident = match.groups()
        endpoint = "CFDocument" if segment == "CFDocuments" and ident else segment
        assert response.headers["content-type"].startswith("application/json"), path
        body = response.json()
        name = self.schemas.schema_for(version, endpoint, response.status_code)
        self.schemas.validate(version, name, body)
        if version == "v1p0" and endpoint == "CFPackages" and response.status_code == 200:
            self.schemas.validate_package_schema(body)
            name += " + case-v1p0-cfpackage-schema.json"
        self.seen[(version, endpoint, response.status_code)] = name
        return response


def minors(response: httpx.Response) -> list[str]:
    fields = response.json()["imsx_codeMinor"]["imsx_codeMinorField"]
    return [f["imsx_codeMinorFieldValue"] for f in fields]


@pytest.fixture(scope="module")
def checked(api: TestClient) -> Checked:
    return Checked(api, load())


def _documents(checked: Checked, version: str) -> dict[str, dict]:
    docs = checked.get(f"/ims/case/{version}/CFDocuments").json()["CFDocuments"]
    return {d["title"]: d for d in docs}


def _package(checked: Checked, version: str, doc: dict) -> dict:
    return checked.get(f"/ims/case/{version}/CFPackages/{doc['identifier']}").json()


@pytest.mark.parametrize("version", VERSIONS)
def test_every_get_endpoint_answers_as_its_schema_defines(checked: Checked,
                                                          version: str) -> None:
    base = f"/ims/case/{version}"
    docs = _documents(checked, version)
    assert len(docs) >= 3
    for doc in docs.values():
        assert checked.get(f"{base}/CFDocuments/{doc['identifier']}").json() == doc
        package = _package(checked, version, doc)
        doc_link = {k: doc["CFPackageURI"][k] for k in ("title", "identifier")} | {
            "uri": doc["uri"]}
        for item in package["CFItems"]:
            alone = checked.get(f"{base}/CFItems/{item['identifier']}").json()
            assert alone == {**item, "CFDocumentURI": doc_link}
            links = checked.get(f"{base}/CFItemAssociations/{item['identifier']}").json()
            assert links["CFItem"] == alone
            assert all(item["identifier"] in (a["originNodeURI"]["identifier"],
                                              a["destinationNodeURI"]["identifier"])
                       for a in links["CFAssociations"])
        for association in package["CFAssociations"]:
            alone = checked.get(f"{base}/CFAssociations/{association['identifier']}").json()
            assert alone == {**association, "CFDocumentURI": doc_link}
        for kind in package["CFDefinitions"]["CFItemTypes"]:
            family = checked.get(f"{base}/CFItemTypes/{kind['identifier']}").json()
            assert family["CFItemTypes"][0] == kind
        for licence in package["CFDefinitions"]["CFLicenses"]:
            assert checked.get(f"{base}/CFLicenses/{licence['identifier']}").json() == licence
            assert licence["identifier"] == doc["licenseURI"]["identifier"]
    for path in ABSENT:  # the graph has none: unknownobject, never invented content
        response = checked.get(f"{base}/{path}/{SOME_UUID}")
        assert response.status_code == 404 and minors(response) == ["unknownobject"]
    answered = {e for (v, e, s) in checked.seen if v == version and s == 200}
    assert answered == set(ENDPOINTS) - set(ABSENT)
    assert {e for (v, e, s) in checked.seen if v == version} >= set(ENDPOINTS)
    print(f"\nCASE {version}: endpoint, status -> schema validated against")
    for (v, endpoint, status), name in sorted(checked.seen.items()):
        if v == version:
            print(f"  {endpoint:24} {status}  {name}")


def test_versions_differ_where_the_specifications_do(checked: Checked) -> None:
    old, new = _documents(checked, "v1p0"), _documents(checked, "v1p1")
    assert old.keys() == new.keys()
    for title, doc in new.items():
        assert doc["caseVersion"] == "1.1" and doc["frameworkType"]
        assert {"caseVersion", "frameworkType", "humanCodingScheme"}.isdisjoint(old[title])
        assert old[title]["identifier"] == doc["identifier"]
    exu = next(d for t, d in new.items() if t.startswith("Example University"))
    assert exu["frameworkType"] == "CourseCodes"
    for version, docs in (("v1p0", old), ("v1p1", new)):
        package = _package(checked, version, docs[exu["title"]])
        msc = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "PROG-EXU-MSC")
        assert msc["educationLevel"] == ["IE-NFQ:9"]
        related = [a for a in package["CFAssociations"] if a["associationType"] == "isRelatedTo"]
        assert related
        if version == "v1p1":
            assert all("proficiency" in a["notes"] or "aligns" in a["notes"] for a in related)
            assert all(i["extensions"]["cqfEvidenceStatus"] == "illustrative"
                       for i in package["CFItems"] if i["humanCodingScheme"].startswith("CRS-"))
        else:
            assert all("notes" not in a for a in related)
    cqf = _package(checked, "v1p1", new["CQF competency framework"])
    exact = [a for a in cqf["CFAssociations"] if a["associationType"] == "exactMatchOf"]
    assert exact and all(a["destinationNodeURI"]["targetType"] == "ext:ESCO" for a in exact)
    assert all(a["destinationNodeURI"]["uri"].startswith("http://data.europa.eu/esco/")
               for a in exact)


def _store_rows(store: GraphStore, query: str) -> list[dict]:
    return store.read(query)  # type: ignore[arg-type]


@pytest.mark.parametrize("version", VERSIONS)
def test_packages_read_back_equal_the_graph(checked: Checked, seeded_falkordb: GraphStore,
                                            version: str) -> None:
    """Round trip: what a CFPackage says is what the store holds (items by identifier and
    statement, every parent link, every ESCO match, every accepted course link)."""
    store = seeded_falkordb
    docs = _documents(checked, version)

    def by_type(package: dict, kind: str) -> set[tuple[str, str]]:
        return {(a["originNodeURI"]["identifier"], a["destinationNodeURI"]["identifier"])
                for a in package["CFAssociations"] if a["associationType"] == kind}

    def statements(package: dict) -> dict[str, tuple[str, str]]:
        return {i["identifier"]: (i["humanCodingScheme"], i["fullStatement"])
                for i in package["CFItems"]}

    cqf_doc = docs["CQF competency framework"]
    cqf = _package(checked, version, cqf_doc)
    groups = _store_rows(store, "MATCH (g:CompetencyGroup) RETURN g.code AS code, g.name AS name")
    comps = _store_rows(store, "MATCH (c:Competency) OPTIONAL MATCH (c)-[:IN_GROUP]->(g) "
                        "OPTIONAL MATCH (c)-[:BROADER]->(b) RETURN c.code AS code, "
                        "c.name AS name, c.uri AS uri, g.code AS grp, b.code AS broader")
    expected = {case_id("CompetencyGroup", g["code"]): (g["code"], g["name"]) for g in groups}
    expected |= {case_id("Competency", c["code"]): (c["code"], c["name"]) for c in comps}
    assert statements(cqf) == expected
    parents = {(case_id("CompetencyGroup", g["code"]), cqf_doc["identifier"]) for g in groups}
    parents |= {(case_id("Competency", c["code"]),
                 case_id("Competency", c["broader"]) if c["broader"]
                 else case_id("CompetencyGroup", c["grp"])) for c in comps}
    assert by_type(cqf, "isChildOf") == parents
    assert by_type(cqf, "exactMatchOf") == {(case_id("Competency", c["code"]),
                                             case_id("uri", c["uri"])) for c in comps if c["uri"]}
    assert len(cqf["CFAssociations"]) == len(parents) + sum(1 for c in comps if c["uri"])

    picard = _package(checked, version, docs["WCO PICARD Professional Standards"])
    standards = _store_rows(store, "MATCH (s:PicardStandard) OPTIONAL MATCH "
                            "(s)-[:PART_OF]->(t:PicardStandard) RETURN s.code AS code, "
                            "s.name AS name, t.code AS parent")
    assert statements(picard) == {case_id("PicardStandard", s["code"]): (s["code"], s["name"])
                                  for s in standards}
    picard_doc = docs["WCO PICARD Professional Standards"]["identifier"]
    assert by_type(picard, "isChildOf") == {
        (case_id("PicardStandard", s["code"]),
         case_id("PicardStandard", s["parent"]) if s["parent"] else picard_doc)
        for s in standards}

    for inst in _store_rows(store, "MATCH (i:Institution) RETURN i.code AS code, "
                            "i.name AS name"):
        doc = docs[f"{inst['name']}: course framework"]
        assert doc["identifier"] == case_id("CFDocument", "institution", inst["code"])
        package = _package(checked, version, doc)
        params = {"i": inst["code"]}
        # Programmes and courses by their full key: institution, (programme,) own code.
        programmes = store.read("MATCH (p:Programme) WHERE p.institution = $i "
                                "RETURN p.local_code AS code, p.name AS name", params)
        courses = store.read("MATCH (c:Course) WHERE c.institution = $i RETURN "
                             "c.local_code AS code, c.name AS name, c.programme AS programme",
                             params)
        want = {case_id("Programme", inst["code"], p["code"]): (p["code"], p["name"])
                for p in programmes}
        want |= {case_id("Course", inst["code"], c["programme"], c["code"]): (c["code"],
                                                                               c["name"])
                 for c in courses}
        assert statements(package) == want
        links = store.read("MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) WHERE "
                           "c.institution = $i AND r.review_status = 'accepted' RETURN "
                           "c.programme AS programme, c.local_code AS course, type(r) AS type, "
                           "t.code AS target", params)
        assert by_type(package, "isRelatedTo") == {
            (case_id("Course", inst["code"], link["programme"], link["course"]),
             case_id("Competency" if link["type"] == "DEVELOPS" else "PicardStandard",
                     link["target"])) for link in links}


@pytest.mark.parametrize("version", VERSIONS)
def test_documents_page_sort_filter_and_select_fields(checked: Checked, version: str) -> None:
    base = f"/ims/case/{version}/CFDocuments"
    everything = checked.get(base)
    titles = [d["title"] for d in everything.json()["CFDocuments"]]
    total = len(titles)
    assert everything.headers["X-Total-Count"] == str(total)

    page = checked.get(base, params={"limit": 2, "offset": 1})
    assert [d["title"] for d in page.json()["CFDocuments"]] == titles[1:3]
    assert page.headers["X-Total-Count"] == str(total)
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"',
                                                       page.headers["Link"]))
    assert set(links) == {"first", "prev", "next", "last"}
    assert "offset=3" in links["next"] and "offset=0" in links["prev"]
    assert f"offset={((total - 1) // 2) * 2}" in links["last"]
    assert [d["title"] for d in checked.get(links["next"]).json()["CFDocuments"]] == titles[3:5]

    ordered = checked.get(base, params={"sort": "title", "orderBy": "desc"})
    assert [d["title"] for d in ordered.json()["CFDocuments"]] == sorted(titles, reverse=True)

    courses = checked.get(base, params={"filter": "frameworkType='CourseCodes'"}
                          if version == "v1p1" else {"filter": "title~'COURSE FRAMEWORK'"})
    kept = [d["title"] for d in courses.json()["CFDocuments"]]
    assert kept == [t for t in titles if t.endswith("course framework")]
    assert courses.headers["X-Total-Count"] == str(len(kept))
    either = checked.get(base, params={
        "filter": "publisher='World Customs Organization' OR title='CQF competency framework'"})
    assert sorted(d["title"] for d in either.json()["CFDocuments"]) == [
        "CQF competency framework", "WCO PICARD Professional Standards"]
    both = checked.get(base, params={
        "filter": "publisher='World Customs Organization' AND title~'competency'"})
    assert both.status_code == 404 and minors(both) == ["unknownobject"]

    narrow = checked.get(base, params={"fields": "publisher"}).json()["CFDocuments"]
    required = {"identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI"}
    assert all(set(d) <= required | {"publisher"} and required <= set(d) for d in narrow)
    assert any("publisher" in d for d in narrow)


@pytest.mark.parametrize("version", VERSIONS)
def test_bad_listing_parameters_are_400_naming_every_one(checked: Checked, version: str) -> None:
    base = f"/ims/case/{version}/CFDocuments"
    bad = checked.get(base, params={"limit": "0", "offset": "x", "orderBy": "up",
                                    "sort": "colour", "fields": "title,nope",
                                    "filter": "colour='red'"})
    assert bad.status_code == 400
    named = {f["imsx_codeMinorFieldName"]: f["imsx_codeMinorFieldValue"]
             for f in bad.json()["imsx_codeMinor"]["imsx_codeMinorField"]}
    assert named == {"limit": "invalid_selection_field", "offset": "invalid_selection_field",
                     "orderBy": "invalid_selection_field", "sort": "invalid_sort_field",
                     "fields": "invalid_selection_field", "filter": "invalid_selection_field"}
    for broken in ("title=", "title='a' AND uri='b' OR creator='c'", "title='a' XOR uri='b'"):
        answer = checked.get(base, params={"filter": broken})
        assert answer.status_code == 400 and minors(answer) == ["invalid_selection_field"]
    if version == "v1p0":  # 1.1 fields that 1.0 does not define
        answer = checked.get(base, params={"sort": "frameworkType"})
        assert answer.status_code == 400 and minors(answer) == ["invalid_sort_field"]


@pytest.mark.parametrize(("version", "invalid"), [("v1p0", "invaliduuid"),
                                                   ("v1p1", "invalid_uuid")])
def test_errors_are_imsx_status_info_with_the_version_codes(checked: Checked, api: TestClient,
                                                            version: str, invalid: str) -> None:
    base = f"/ims/case/{version}"
    for path in ("CFDocuments", "CFPackages", "CFItems", "CFItemAssociations",
                 "CFAssociations", "CFItemTypes", "CFLicenses", *ABSENT):
        unknown = checked.get(f"{base}/{path}/{SOME_UUID}")
        assert unknown.status_code == 404 and minors(unknown) == ["unknownobject"]
        not_uuid = checked.get(f"{base}/{path}/not-a-uuid")
        assert not_uuid.status_code == 404 and minors(not_uuid) == [invalid]
    nowhere = checked.get(f"{base}/CFNothing")
    assert nowhere.status_code == 404 and minors(nowhere) == ["unknownobject"]
    # The rest of the API keeps RFC 9457 problem+json.
    other = api.get("/api/v1/competencies/NO-SUCH-CODE")
    assert other.status_code == 404
    assert other.headers["content-type"].startswith("application/problem+json")


def test_identifiers_are_stable_across_re_seeds(checked: Checked,
                                                request: pytest.FixtureRequest) -> None:
    other = fresh_store(request, "falkordb")
    try:
        seed(other, SEED_DATA_DIR)
        seed(other, SEED_DATA_DIR)
        with client_for(other) as again:
            for version in VERSIONS:
                first = _documents(checked, version)
                second = Checked(again, checked.schemas)
                assert {t: d["identifier"] for t, d in first.items()} == \
                    {t: d["identifier"] for t, d in _documents(second, version).items()}
                for doc in first.values():
                    mine = _package(checked, version, doc)
                    theirs = _package(second, version, doc)
                    assert mine == theirs
    finally:
        other.close()


# --- the cached read model follows writes ---------------------------------------------------

@pytest.fixture(scope="module")
def writable(request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, GraphStore, str]]:
    from app.services.access.keys import create_key

    store = fresh_store(request, "falkordb")
    seed(store, SEED_DATA_DIR)
    key = create_key(store, "admin")["key"]
    with client_for(store) as client:
        yield client, store, key
    store.close()


def test_a_course_write_shows_in_the_packages_at_once(
        writable: tuple[TestClient, GraphStore, str]) -> None:
    client, store, key = writable
    schemas = load()
    checked = Checked(client, schemas)
    doc = case_id("CFDocument", "institution", "EXU")
    course = case_id("Course", "EXU", "PROG-EXU-MSC", "CRS-EXU-CASE")
    before = {v: checked.get(f"/ims/case/{v}/CFPackages/{doc}").json() for v in VERSIONS}
    assert all(course not in {i["identifier"] for i in p["CFItems"]} for p in before.values())

    put = client.put("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/CRS-EXU-CASE",
                     headers={"X-API-Key": key},
                     json={"name": "CASE cache course (illustrative)",
                           "develops": [{"competency": "OPS-P02", "proficiency": "trained"}]})
    assert put.status_code in (200, 201), put.text
    for version in VERSIONS:
        after = checked.get(f"/ims/case/{version}/CFPackages/{doc}").json()
        items = {i["identifier"]: i for i in after["CFItems"]}
        assert items[course]["fullStatement"] == "CASE cache course (illustrative)"
        related = {a["destinationNodeURI"]["identifier"] for a in after["CFAssociations"]
                   if a["associationType"] == "isRelatedTo"
                   and a["originNodeURI"]["identifier"] == course}
        assert related == {case_id("Competency", "OPS-P02")}  # an admin's write is accepted
        assert checked.get(f"/ims/case/{version}/CFItems/{course}").status_code == 200

    gone = client.delete("/api/v1/institutions/EXU/programmes/PROG-EXU-MSC/courses/CRS-EXU-CASE",
                         headers={"X-API-Key": key})
    assert gone.status_code == 204
    for version in VERSIONS:
        assert checked.get(f"/ims/case/{version}/CFItems/{course}").status_code == 404
        again = checked.get(f"/ims/case/{version}/CFPackages/{doc}").json()
        assert again == before[version]


def test_another_process_write_moves_the_cache_signature(
        writable: tuple[TestClient, GraphStore, str]) -> None:
    """Another worker's write cannot call this process's invalidation; the cache's signature
    (checked on its background refresh) must see it."""
    from app.services.linked_data.case_build import case_signature

    _, store, _ = writable
    before = case_signature(store)
    store.write("CREATE (:Course {code: 'CRS-OTHER-PROC', institution: 'EXU', "
                "programme: 'PROG-EXU-MSC', name: 'x'})")
    try:
        assert case_signature(store) != before
    finally:
        store.write("MATCH (c:Course {code: 'CRS-OTHER-PROC'}) DETACH DELETE c")
    assert case_signature(store) == before


def test_a_package_beyond_the_query_rate_is_server_busy(seeded_falkordb: GraphStore,
                                                        checked: Checked) -> None:
    """CFPackage is declared a QUERY (a whole framework); past the limit the answer is CASE's
    own 429 ``server_busy`` with ``Retry-After``, while lookups are not limited. (The document
    listing is a QUERY too: the identifiers are read through the unlimited test client.)"""
    from app.main import create_app
    from app.runtime import Runtime
    from app.settings import Settings

    first_documents = {v: next(iter(_documents(checked, v).values())) for v in VERSIONS}
    settings = Settings(rate_limit_queries_per_minute=1, rate_limit_burst=1)
    app = create_app(settings, runtime=Runtime(seeded_falkordb, schema_applied=True))
    with TestClient(app, raise_server_exceptions=False) as client:
        checked = Checked(client, load())
        for version in VERSIONS:
            doc = first_documents[version]
            url = f"/ims/case/{version}/CFPackages/{doc['identifier']}"
            first = checked.get(url)
            busy = checked.get(url)
            if version == "v1p0":
                assert first.status_code == 200
            assert busy.status_code == 429 and minors(busy) == ["server_busy"]
            assert int(busy.headers["Retry-After"]) >= 1
            assert checked.get(f"/ims/case/{version}/CFDocuments/{doc['identifier']}") \
                .status_code == 200

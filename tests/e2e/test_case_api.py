"""CASE 1.0 read API: document shapes checked field by field against the CASE 1.0 spec, and
identifiers that survive a re-seed."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from app.paths import SEED_DATA_DIR
from app.seed.loader import seed
from tests.conftest import client_for, fresh_store

CASE = "/ims/case/v1p0"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ASSOCIATION_TYPES = {"isChildOf", "isPeerOf", "isPartOf", "exactMatchOf", "precedes",
                     "isRelatedTo", "replacedBy", "exemplar", "hasSkillLevel"}
# Required fields per CASE 1.0 (IMS CASE Service v1.0, information model), with JSON types.
REQUIRED = {
    "CFDocument": {"identifier": str, "uri": str, "creator": str, "title": str,
                   "lastChangeDateTime": str, "CFPackageURI": dict},
    "CFItem": {"identifier": str, "uri": str, "fullStatement": str, "lastChangeDateTime": str,
               "CFDocumentURI": dict},
    "CFAssociation": {"identifier": str, "uri": str, "associationType": str,
                      "originNodeURI": dict, "destinationNodeURI": dict,
                      "lastChangeDateTime": str},
    "LinkURI": {"title": str, "identifier": str, "uri": str},
}
OPTIONAL_STRINGS = ("description", "publisher", "language", "humanCodingScheme", "CFItemType",
                    "notes", "adoptionStatus")


def _check(kind: str, obj: dict) -> None:
    for name, typ in REQUIRED[kind].items():
        assert isinstance(obj.get(name), typ), f"{kind}.{name}: {obj.get(name)!r}"
    for name in OPTIONAL_STRINGS:
        assert name not in obj or isinstance(obj[name], str), f"{kind}.{name}"
    assert UUID.match(obj["identifier"]), obj["identifier"]
    if "lastChangeDateTime" in obj:
        datetime.fromisoformat(obj["lastChangeDateTime"])
    for name in ("CFPackageURI", "CFDocumentURI", "originNodeURI", "destinationNodeURI"):
        if name in obj:
            _check("LinkURI", obj[name])
    if kind == "CFAssociation":
        assert obj["associationType"] in ASSOCIATION_TYPES


def _documents(client: TestClient) -> dict[str, dict]:
    docs = client.get(f"{CASE}/CFDocuments").json()["CFDocuments"]
    return {d["humanCodingScheme"]: d for d in docs}


def test_documents_list_the_frameworks_and_each_institution(api: TestClient) -> None:
    docs = _documents(api)
    assert {"cqf-competencies", "picard-standards", "institution:EXU"} <= set(docs)
    for doc in docs.values():
        _check("CFDocument", doc)
        assert api.get(f"{CASE}/CFDocuments/{doc['identifier']}").json() == doc


def test_packages_items_and_associations_have_case_shapes(api: TestClient) -> None:
    docs = _documents(api)
    for key in ("cqf-competencies", "picard-standards", "institution:EXU"):
        package = api.get(f"{CASE}/CFPackages/{docs[key]['identifier']}").json()
        _check("CFDocument", package["CFDocument"])
        assert package["CFItems"] and package["CFAssociations"]
        for item in package["CFItems"]:
            _check("CFItem", item)
            assert item["CFDocumentURI"]["identifier"] == docs[key]["identifier"]
        for association in package["CFAssociations"]:
            _check("CFAssociation", association)
    exu = api.get(f"{CASE}/CFPackages/{docs['institution:EXU']['identifier']}").json()
    kinds = {a["associationType"] for a in exu["CFAssociations"]}
    assert {"isChildOf", "isRelatedTo"} <= kinds
    competencies = api.get(f"{CASE}/CFPackages/{docs['cqf-competencies']['identifier']}").json()
    assert "exactMatchOf" in {a["associationType"] for a in competencies["CFAssociations"]}


def test_items_and_associations_resolve_by_identifier(api: TestClient) -> None:
    docs = _documents(api)
    package = api.get(f"{CASE}/CFPackages/{docs['picard-standards']['identifier']}").json()
    item = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "PS2008-K01")
    assert api.get(f"{CASE}/CFItems/{item['identifier']}").json() == item
    child = next(a for a in package["CFAssociations"]
                 if a["originNodeURI"]["identifier"] == item["identifier"])
    assert api.get(f"{CASE}/CFAssociations/{child['identifier']}").json() == child
    tier = next(i for i in package["CFItems"] if i["humanCodingScheme"] == "STRATEGIC")
    assert child["destinationNodeURI"]["identifier"] == tier["identifier"]


@pytest.mark.parametrize("path", ["CFDocuments", "CFPackages", "CFItems", "CFAssociations"])
def test_unknown_identifiers_are_404_and_non_uuids_422(api: TestClient, path: str) -> None:
    assert api.get(f"{CASE}/{path}/00000000-0000-0000-0000-000000000000").status_code == 404
    assert api.get(f"{CASE}/{path}/not-a-uuid").status_code == 422


def test_identifiers_are_stable_across_re_seeds(api: TestClient,
                                                request: pytest.FixtureRequest) -> None:
    other = fresh_store(request, "falkordb")
    try:
        seed(other, SEED_DATA_DIR)
        seed(other, SEED_DATA_DIR)
        with client_for(other) as again:
            first, second = _documents(api), _documents(again)
            assert {k: d["identifier"] for k, d in first.items()} == \
                {k: d["identifier"] for k, d in second.items()}
            ident = first["cqf-competencies"]["identifier"]
            items = lambda c: sorted(i["identifier"] for i in  # noqa: E731
                                     c.get(f"{CASE}/CFPackages/{ident}").json()["CFItems"])
            assert items(api) == items(again)
    finally:
        other.close()

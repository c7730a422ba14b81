"""The two CASE wire forms of one model: what CASE 1.1 adds (``isTranslationOf``, ``ext:``
association types, ``targetType``, association notes) is sent by 1.1 and left out of 1.0,
and both answers satisfy their own 1EdTech schemas (skipped, reason printed, without
``../shared/reference/case``)."""

from __future__ import annotations

import pytest

from app.domain.case import (
    Association,
    AssociationType,
    CaseError,
    CaseGraph,
    Document,
    Item,
    ItemType,
    License,
    Minor,
    NodeRef,
    Package,
    case_id,
)
from app.domain.case.listing import parse
from app.domain.case.model import Evidence
from app.domain.case.v1p0 import CaseV1p0
from app.domain.case.v1p1 import CaseV1p1
from tests.support.case_schemas import load

WHEN = "2024-05-01T00:00:00+00:00"


def _graph() -> CaseGraph:
    doc_id = case_id("CFDocument", "test")
    kind = ItemType(case_id("CFItemType", "Competency"), "Competency", "A competency.", "1",
                    "Competency", WHEN)
    licence = License(case_id("CFLicense", "test"), "Licence", "d", "text", WHEN)
    doc = Document(doc_id, "test", "Test framework", "tests", "d", "Competencies", WHEN,
                   licence)
    en = Item(case_id("Competency", "A"), doc_id, "Inspect cargo", "A", kind, WHEN,
              Evidence("illustrative", "Illustrative test data", "CQF Graph project"))
    fr = Item(case_id("Competency", "A-fr"), doc_id, "Inspecter la cargaison", "A-fr", kind,
              WHEN, Evidence("illustrative"), language="fr")

    def ref(item: Item) -> NodeRef:
        return NodeRef(item.identifier, item.full_statement, path=f"CFItems/{item.identifier}")

    def link(kind: AssociationType | str, origin: Item, to: NodeRef) -> Association:
        return Association(case_id("CFAssociation", str(kind), origin.identifier,
                                   to.identifier), doc_id, kind, ref(origin), to, WHEN,
                           notes="a note")

    top = NodeRef(doc_id, doc.title, path=f"CFDocuments/{doc_id}")
    associations = (link(AssociationType.IS_CHILD_OF, en, top),
                    link(AssociationType.IS_CHILD_OF, fr, top),
                    link(AssociationType.IS_TRANSLATION_OF, fr, ref(en)),
                    link("ext:teaches", en, NodeRef("x-1", "Outside", uri="https://example.org/x",
                                                    target_type="ext:example")))
    return CaseGraph([Package(doc, (en, fr), associations, (kind,))])


def test_each_version_sends_exactly_the_association_types_it_defines() -> None:
    graph = _graph()
    package = graph.packages[0]
    old = CaseV1p0("http://cqf.test").package(package)
    new = CaseV1p1("http://cqf.test").package(package)
    assert [a["associationType"] for a in old["CFAssociations"]] == ["isChildOf", "isChildOf"]
    assert [a["associationType"] for a in new["CFAssociations"]] == [
        "isChildOf", "isChildOf", "isTranslationOf", "ext:teaches"]
    assert all("notes" not in a and "targetType" not in a["originNodeURI"]
               for a in old["CFAssociations"])
    assert new["CFAssociations"][3]["destinationNodeURI"] == {
        "title": "Outside", "identifier": "x-1", "uri": "https://example.org/x",
        "targetType": "ext:example"}
    fr = graph.items[case_id("Competency", "A-fr")]
    assert CaseV1p0("http://cqf.test").item_associations(graph, fr)["CFAssociations"] == \
        [old["CFAssociations"][1]]
    schemas = load()
    schemas.validate("v1p0", "CFPackage.Type", old)
    schemas.validate_package_schema(old)
    schemas.validate("v1p1", "CFPackageDType", new)


@pytest.mark.parametrize(("wire", "spelled"), [(CaseV1p0, "invaliduuid"),
                                                (CaseV1p1, "invalid_uuid")])
def test_error_codes_are_spelled_per_version(wire: type, spelled: str) -> None:
    error = CaseError(404, "'x' is not a UUID", [("sourcedId", Minor.INVALID_UUID)])
    body = wire("http://cqf.test").status_info(error)
    assert body["imsx_codeMinor"]["imsx_codeMinorField"] == [
        {"imsx_codeMinorFieldName": "sourcedId", "imsx_codeMinorFieldValue": spelled}]
    load().validate(wire.path[-4:], "imsx_StatusInfo.Type" if wire is CaseV1p0
                    else "imsx_StatusInfoDType", body)


def test_listing_filters_sorts_and_pages_in_that_order() -> None:
    records = [{"identifier": str(i), "title": t, "publisher": p}
               for i, (t, p) in enumerate([("b", "WCO"), ("a", "EU"), ("c", "WCO"),
                                           ("d", None)])]
    fields = frozenset({"identifier", "title", "publisher"})
    query = parse({"filter": "publisher='WCO' OR title='d'", "sort": "title",
                   "orderBy": "desc", "limit": "2", "offset": "1"}, fields, fields)
    page, total = query.apply(records, frozenset({"identifier"}))
    assert total == 3 and [r["title"] for r in page] == ["c", "b"]
    by_publisher = parse({"sort": "publisher"}, fields, fields).apply(records, frozenset())[0]
    assert [r["title"] for r in by_publisher] == ["a", "b", "c", "d"]  # missing values last

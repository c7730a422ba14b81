"""CASE 1.1 (``/ims/case/v1p1``): the shared wire form plus what 1.1 adds: ``caseVersion``
and ``frameworkType`` on documents, ``extensions`` (here: the evidence status and source of
each item, as structured data), association ``notes``, ``targetType`` on association ends,
the ``isTranslationOf`` and ``ext:`` association types; error codes ``invalid_uuid`` and
``unauthorised_request``."""

from __future__ import annotations

from app.domain.case.errors import Minor
from app.domain.case.model import Association, AssociationType, Document, Item, NodeRef
from app.domain.case.wire import CaseWire, Json


class CaseV1p1(CaseWire):
    version = "1.1"
    path = "/ims/case/v1p1"
    association_types = frozenset(t.value for t in AssociationType)
    minor = {Minor.UNKNOWN_OBJECT: "unknownobject", Minor.INVALID_UUID: "invalid_uuid",
             Minor.INVALID_SELECTION_FIELD: "invalid_selection_field",
             Minor.INVALID_SORT_FIELD: "invalid_sort_field",
             Minor.UNAUTHORISED_REQUEST: "unauthorised_request", Minor.FORBIDDEN: "forbidden",
             Minor.SERVER_BUSY: "server_busy",
             Minor.INTERNAL_SERVER_ERROR: "internal_server_error"}
    document_fields = CaseWire.document_required | frozenset({
        "frameworkType", "caseVersion", "officialSourceURL", "publisher", "description",
        "subject", "subjectURI", "language", "version", "adoptionStatus", "statusStartDate",
        "statusEndDate", "licenseURI", "notes", "extensions"})

    def speaks(self, association: Association) -> bool:
        return str(association.type) in self.association_types or \
            str(association.type).startswith("ext:")

    def node(self, ref: NodeRef) -> Json:
        return {**super().node(ref), "targetType": ref.target_type}

    def document_head(self, doc: Document) -> Json:
        return {"frameworkType": doc.framework_type, "caseVersion": "1.1"}

    def item_tail(self, item: Item) -> Json:
        evidence = item.evidence
        source = {k: v for k, v in (("document", evidence.source_document),
                                    ("publisher", evidence.publisher), ("year", evidence.year),
                                    ("url", evidence.url)) if v}
        return {"extensions": {"cqfEvidenceStatus": evidence.status or "not recorded",
                               **({"cqfSource": source} if source else {})}}

    def association_tail(self, association: Association) -> Json:
        return {"notes": association.notes} if association.notes else {}

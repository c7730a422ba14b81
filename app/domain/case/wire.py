"""What the CASE 1.0 and 1.1 wire forms share; ``v1p0`` and ``v1p1`` are thin subclasses
that add or drop what their specification adds or lacks (read from the published
definitions: CASE 1.0 OpenAPI 2.0 + CFPackage JSON Schema, CASE 1.1 OpenAPI 3.0).

Objects are built field by field in the order the specifications list them, and a field is
left out, never sent as ``null``, when the model has no value for it (both versions close
every object with ``additionalProperties: false``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from app.domain.case.errors import CaseError, Minor
from app.domain.case.model import (
    Association,
    AssociationType,
    CaseGraph,
    Document,
    Item,
    ItemType,
    License,
    NodeRef,
    Package,
)

Json = dict[str, Any]


class CaseWire:
    version: ClassVar[str]
    path: ClassVar[str]
    association_types: ClassVar[frozenset[str]]
    minor: ClassVar[dict[Minor, str]]
    # CFDocument's properties (what sort, filter and fields may name) and required ones.
    document_fields: ClassVar[frozenset[str]]
    document_required: ClassVar[frozenset[str]] = frozenset(
        {"identifier", "uri", "creator", "title", "lastChangeDateTime", "CFPackageURI"})

    def __init__(self, root: str) -> None:
        self.base = root.rstrip("/") + self.path

    # --- links -------------------------------------------------------------------------
    def url(self, what: str, identifier: str) -> str:
        return f"{self.base}/{what}/{identifier}"

    def link(self, what: str, identifier: str, title: str) -> Json:
        return {"title": title, "identifier": identifier, "uri": self.url(what, identifier)}

    def node(self, ref: NodeRef) -> Json:
        uri = f"{self.base}/{ref.path}" if ref.path else ref.uri
        return {"title": ref.title, "identifier": ref.identifier, "uri": uri}

    # --- hooks a version overrides -----------------------------------------------------
    def document_head(self, doc: Document) -> Json:
        return {}

    def item_tail(self, item: Item) -> Json:
        return {}

    def association_tail(self, association: Association) -> Json:
        return {}

    def speaks(self, association: Association) -> bool:
        """Whether this version defines the association's type (1.0 has no ``ext:`` types
        and no ``isTranslationOf``; such associations are left out of a 1.0 answer)."""
        return str(association.type) in self.association_types

    # --- objects -----------------------------------------------------------------------
    def document(self, doc: Document, *, in_package: bool = False) -> Json:
        out: Json = {"identifier": doc.identifier, "uri": self.url("CFDocuments", doc.identifier),
                     **self.document_head(doc),
                     "creator": doc.creator, "title": doc.title,
                     "lastChangeDateTime": doc.last_change}
        if doc.official_source_url:
            out["officialSourceURL"] = doc.official_source_url
        if doc.publisher:
            out["publisher"] = doc.publisher
        out |= {"description": doc.description, "language": doc.language,
                "adoptionStatus": doc.adoption_status,
                "licenseURI": self.link("CFLicenses", doc.license.identifier,
                                        doc.license.title)}
        if not in_package:
            out["CFPackageURI"] = self.link("CFPackages", doc.identifier, doc.title)
        return out

    def item(self, item: Item, doc: Document, *, in_package: bool = False) -> Json:
        kind = item.item_type
        out: Json = {"identifier": item.identifier, "fullStatement": item.full_statement,
                     "CFItemType": kind.title, "uri": self.url("CFItems", item.identifier),
                     "humanCodingScheme": item.human_coding, "notes": item.notes(),
                     "language": item.language}
        if item.education_level:
            out["educationLevel"] = list(item.education_level)
        out |= {"CFItemTypeURI": self.link("CFItemTypes", kind.identifier, kind.title),
                "lastChangeDateTime": item.last_change, **self.item_tail(item)}
        if not in_package:
            out["CFDocumentURI"] = self.link("CFDocuments", doc.identifier, doc.title)
        return out

    def association(self, association: Association, doc: Document, *,
                    in_package: bool = False) -> Json:
        out: Json = {"identifier": association.identifier,
                     "associationType": str(association.type)}
        if association.sequence_number is not None:
            out["sequenceNumber"] = association.sequence_number
        out |= {"uri": self.url("CFAssociations", association.identifier),
                "originNodeURI": self.node(association.origin),
                "destinationNodeURI": self.node(association.destination),
                "lastChangeDateTime": association.last_change,
                **self.association_tail(association)}
        if not in_package:
            out["CFDocumentURI"] = self.link("CFDocuments", doc.identifier, doc.title)
        return out

    def item_type(self, kind: ItemType) -> Json:
        return {"identifier": kind.identifier, "uri": self.url("CFItemTypes", kind.identifier),
                "title": kind.title, "description": kind.description,
                "hierarchyCode": kind.hierarchy_code, "typeCode": kind.type_code,
                "lastChangeDateTime": kind.last_change}

    def license(self, licence: License) -> Json:
        return {"identifier": licence.identifier,
                "uri": self.url("CFLicenses", licence.identifier), "title": licence.title,
                "description": licence.description, "licenseText": licence.text,
                "lastChangeDateTime": licence.last_change}

    # --- answers -----------------------------------------------------------------------
    def documents(self, docs: list[Document]) -> list[Json]:
        return [self.document(d) for d in docs]

    def package(self, package: Package) -> Json:
        doc = package.document
        return {
            "CFDocument": self.document(doc, in_package=True),
            "CFItems": [self.item(i, doc, in_package=True) for i in package.items],
            "CFAssociations": [self.association(a, doc, in_package=True)
                               for a in package.associations if self.speaks(a)],
            "CFDefinitions": {
                # The graph has no CASE concepts, subjects, association groupings or rubrics:
                # these lists are empty rather than invented.
                "CFConcepts": [], "CFSubjects": [],
                "CFLicenses": [self.license(doc.license)],
                "CFItemTypes": [self.item_type(t) for t in package.item_types],
                "CFAssociationGroupings": [],
            },
            "CFRubrics": [],
        }

    def item_associations(self, graph: CaseGraph, item: Item) -> Json | None:
        doc = graph.documents[item.document]
        associations = [self.association(a, graph.documents[a.document], in_package=True)
                        for a in graph.associations_of.get(item.identifier, ())
                        if self.speaks(a)]
        if not associations:
            return None
        return {"CFItem": self.item(item, doc), "CFAssociations": associations}

    def status_info(self, error: CaseError, description: str | None = None) -> Json:
        """The error's payload; ``description`` is its description in the reader's language
        (``error.said(gettext)``), English when not given."""
        problems = error.problems or [("request", Minor.INTERNAL_SERVER_ERROR)]
        return {"imsx_codeMajor": "failure", "imsx_severity": "error",
                "imsx_description": error.said() if description is None else description,
                "imsx_codeMinor": {"imsx_codeMinorField": [
                    {"imsx_codeMinorFieldName": name, "imsx_codeMinorFieldValue": self.minor[kind]}
                    for name, kind in problems]}}


V1P0_TYPES = frozenset(t.value for t in AssociationType) - {"isTranslationOf"}

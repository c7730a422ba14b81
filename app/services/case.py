"""A 1EdTech CASE 1.0 view of the graph: CFDocuments, CFPackages, CFItems, CFAssociations.

Three kinds of document: the CQF competency framework (competency groups and competencies),
the PICARD Professional Standards, and one course framework per institution (programmes and
courses, related to the competencies they develop and the standards they align with; only
accepted mappings). Identifiers are UUIDv5 of a fixed namespace and the entity's kind and
code, so they are the same across restarts and re-seeds.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from app.domain.errors import NotFound
from app.domain.identity import programme_key
from app.graph.cypher import case as q
from app.graph.port import GraphStore

# Fixed forever: changing it would change every published CASE identifier.
NAMESPACE = uuid.UUID("3d4f6c2e-8b1a-5e7f-9c0d-1a2b3c4d5e6f")
PREFIX = "/ims/case/v1p0"
CREATOR = "CQF Graph (Customs Qualifications Framework knowledge graph)"
DEFAULT_CHANGE = "2025-01-01T00:00:00+00:00"
CQF_DOC, PICARD_DOC = "cqf-competencies", "picard-standards"


def case_id(kind: str, code: str) -> str:
    """The CASE identifier of an entity, from its full key: for a programme or course that
    is the scoped ``INSTITUTION/PROGRAMME[/COURSE]`` code (``app.domain.identity``), so two
    institutions' ``P1`` get two identifiers."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{code}"))


def _changed(row: dict[str, Any]) -> str:
    if row.get("date"):
        return f"{str(row['date'])[:10]}T00:00:00+00:00"
    if row.get("source_year"):
        return f"{int(row['source_year']):04d}-01-01T00:00:00+00:00"
    return DEFAULT_CHANGE


@dataclass
class Package:
    document: dict[str, Any]
    items: list[dict[str, Any]] = field(default_factory=list)
    associations: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"CFDocument": self.document, "CFItems": self.items,
                "CFAssociations": self.associations}


class CaseView:
    def __init__(self, store: GraphStore, base_url: str) -> None:
        self.store = store
        self.base = base_url.rstrip("/") + PREFIX

    def _link(self, what: str, identifier: str, title: str) -> dict[str, str]:
        return {"title": title, "identifier": identifier,
                "uri": f"{self.base}/{what}/{identifier}"}

    def _document(self, key: str, title: str, description: str, changed: str,
                  publisher: str | None = None) -> dict[str, Any]:
        ident = case_id("CFDocument", key)
        doc = {"identifier": ident, "uri": f"{self.base}/CFDocuments/{ident}",
               "creator": CREATOR, "title": title, "lastChangeDateTime": changed,
               "description": description, "language": "en", "adoptionStatus": "Draft",
               "humanCodingScheme": key,
               "CFPackageURI": self._link("CFPackages", ident, title)}
        if publisher:
            doc["publisher"] = publisher
        return doc

    def _item(self, pkg: Package, kind: str, row: dict[str, Any], item_type: str,
              extra: dict[str, Any] | None = None) -> dict[str, Any]:
        ident = case_id(kind, row["code"])
        doc = pkg.document
        item = {"identifier": ident, "uri": f"{self.base}/CFItems/{ident}",
                "fullStatement": row.get("name") or row["code"],
                "humanCodingScheme": row["code"], "CFItemType": item_type,
                "language": "en", "lastChangeDateTime": _changed(row),
                "CFDocumentURI": self._link("CFDocuments", doc["identifier"], doc["title"]),
                **({"notes": row["description"]} if row.get("description") else {}),
                **(extra or {})}
        pkg.items.append(item)
        return item

    def _associate(self, pkg: Package, kind: str, origin: dict[str, Any],
                   destination: dict[str, str], changed: str) -> None:
        ident = case_id("CFAssociation",
                        f"{kind}:{origin['identifier']}:{destination['identifier']}")
        doc = pkg.document
        pkg.associations.append({
            "identifier": ident, "uri": f"{self.base}/CFAssociations/{ident}",
            "associationType": kind,
            "originNodeURI": self._link("CFItems", origin["identifier"],
                                        origin["fullStatement"]),
            "destinationNodeURI": destination, "lastChangeDateTime": changed,
            "CFDocumentURI": self._link("CFDocuments", doc["identifier"], doc["title"]),
        })

    def _child_of(self, pkg: Package, item: dict[str, Any], parent: dict[str, Any] | None,
                  parent_kind: str = "CFItems") -> None:
        target = parent or pkg.document
        kind = parent_kind if parent else "CFDocuments"
        title = target.get("fullStatement") or target.get("title") or ""
        self._associate(pkg, "isChildOf", item,
                        self._link(kind, target["identifier"], title),
                        item["lastChangeDateTime"])

    def cqf_document(self) -> dict[str, Any]:
        return self._document(
            CQF_DOC, "CQF competency framework",
            "Competencies of the Customs Qualifications Framework knowledge graph "
            "(CustCompEU groups, operational competencies and ESCO concepts), each with its "
            "evidence status in the CQF Graph API.", DEFAULT_CHANGE)

    def picard_document(self) -> dict[str, Any]:
        return self._document(
            PICARD_DOC, "WCO PICARD Professional Standards",
            "Tiers, knowledge areas and themes of the PICARD Professional Standards as held in "
            "the CQF Graph (partial: see each item's notes).", DEFAULT_CHANGE,
            "World Customs Organization")

    def institution_document(self, institution: dict[str, Any]) -> dict[str, Any]:
        name = institution["name"] or institution["code"]
        return self._document(
            f"institution:{institution['code']}", f"{name}: course framework",
            f"Programmes and courses of {name} mapped onto the CQF competencies and PICARD "
            "standards (accepted mappings only).", _changed(institution), institution["name"])

    def competency_package(self) -> Package:
        pkg = Package(self.cqf_document())
        groups = {r["code"]: self._item(pkg, "CompetencyGroup", r, "Competency group")
                  for r in self.store.read(q.COMPETENCY_GROUPS)}
        for group in groups.values():
            self._child_of(pkg, group, None)
        rows = self.store.read(q.COMPETENCIES)
        items = {r["code"]: self._item(pkg, "Competency", r, "Competency") for r in rows}
        for r in rows:
            item = items[r["code"]]
            parent = items.get(r["broader"]) or groups.get(r["group"])
            self._child_of(pkg, item, parent)
            if r.get("uri"):
                self._associate(pkg, "exactMatchOf", item,
                                {"title": r["name"] or r["code"],
                                 "identifier": case_id("uri", r["uri"]), "uri": r["uri"]},
                                item["lastChangeDateTime"])
        return pkg

    def picard_package(self) -> Package:
        pkg = Package(self.picard_document())
        rows = self.store.read(q.STANDARDS)
        items = {r["code"]: self._item(pkg, "PicardStandard", r, (r["kind"] or "element")
                                       .replace("_", " ").capitalize()) for r in rows}
        for r in rows:
            self._child_of(pkg, items[r["code"]], items.get(r["parent"]))
        return pkg

    def institution_package(self, institution: dict[str, Any]) -> Package:
        code = institution["code"]
        pkg = Package(self.institution_document(institution))
        params = {"institution": code}
        programmes = {r["code"]: self._item(pkg, "Programme", r, "Programme")
                      for r in self.store.read(q.PROGRAMMES_OF, params)}
        for item in programmes.values():
            self._child_of(pkg, item, None)
        courses = {}
        for r in self.store.read(q.COURSES_OF, params):
            courses[r["code"]] = self._item(pkg, "Course", r, "Course")
            parent = programme_key(institution["code"], r["programme"] or "")
            self._child_of(pkg, courses[r["code"]], programmes.get(parent))
        for link in self.store.read(q.ACCEPTED_LINKS_OF, params):
            kind = "Competency" if link["type"] == "DEVELOPS" else "PicardStandard"
            target = case_id(kind, link["target"])
            self._associate(pkg, "isRelatedTo", courses[link["course"]],
                            self._link("CFItems", target, link["target"]), _changed(link))
        return pkg

    def _packages(self) -> list[Package]:
        return [self.competency_package(), self.picard_package()] + [
            self.institution_package(i) for i in self.store.read(q.INSTITUTIONS)]

    def _package_for(self, identifier: str) -> Package:
        if identifier == case_id("CFDocument", CQF_DOC):
            return self.competency_package()
        if identifier == case_id("CFDocument", PICARD_DOC):
            return self.picard_package()
        for inst in self.store.read(q.INSTITUTIONS):
            if identifier == case_id("CFDocument", f"institution:{inst['code']}"):
                return self.institution_package(inst)
        raise NotFound("CFDocument", identifier)

    def documents(self) -> dict[str, Any]:
        docs = [self.cqf_document(), self.picard_document()]
        docs += [self.institution_document(i) for i in self.store.read(q.INSTITUTIONS)]
        return {"CFDocuments": docs}

    def document(self, identifier: str) -> dict[str, Any]:
        for doc in self.documents()["CFDocuments"]:
            if doc["identifier"] == identifier:
                return doc
        raise NotFound("CFDocument", identifier)

    def package(self, identifier: str) -> dict[str, Any]:
        return self._package_for(identifier).as_json()

    def item(self, identifier: str) -> dict[str, Any]:
        for pkg in self._packages():
            for item in pkg.items:
                if item["identifier"] == identifier:
                    return item
        raise NotFound("CFItem", identifier)

    def association(self, identifier: str) -> dict[str, Any]:
        for pkg in self._packages():
            for assoc in pkg.associations:
                if assoc["identifier"] == identifier:
                    return assoc
        raise NotFound("CFAssociation", identifier)

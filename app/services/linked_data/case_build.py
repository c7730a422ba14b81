"""Builds the one CASE model (``app.domain.case``) from the graph: the CQF competency
framework, the PICARD standards, and one course framework per institution (programmes and
courses, related to the competencies they develop and the standards they align with; only
accepted course links).

Item types come from the kinds of items the graph holds; each document's licence is the
service's data licence plus an evidence notice computed from the document's own items
(how many are verified, unverified, illustrative; which publishers are cited). The graph has
no CASE concepts, subjects, association groupings or rubrics, so none are made up.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from app.domain.case import (
    Association,
    AssociationType,
    CaseGraph,
    Document,
    Item,
    ItemType,
    License,
    NodeRef,
    Package,
    case_id,
)
from app.domain.case.model import Evidence
from app.domain.identity import local_code
from app.domain.vocab import ReviewStatus
from app.graph.cypher.linked_data import case as q
from app.graph.port import GraphStore
from app.graph.refresh_cache import counts

CREATOR = "CQF Graph (Customs Qualifications Framework knowledge graph)"
DEFAULT_CHANGE = "2025-01-01T00:00:00+00:00"
DATA_LICENCE = "https://www.apache.org/licenses/LICENSE-2.0"  # as the releases state
CQF_DOC, PICARD_DOC = "cqf-competencies", "picard-standards"
ESCO = "http://data.europa.eu/esco/"

# type code -> (title, broader type code, description). Kinds the graph holds that are not
# listed here still get a type (titled from the kind), at the top of the hierarchy.
KINDS: dict[str, tuple[str, str | None, str]] = {
    "CompetencyGroup": ("Competency group", None,
                        "A group of the CQF competency framework: a CustCompEU competency "
                        "group, or the group of ESCO skill/knowledge concepts."),
    "Competency": ("Competency", "CompetencyGroup",
                   "A competency of the CQF competency framework (CustCompEU competencies, "
                   "illustrative placeholders, ESCO concepts); its notes give its evidence "
                   "status and source."),
    "PicardTier": ("PICARD tier", None,
                   "A tier of the WCO PICARD Professional Standards (operational or strategic "
                   "customs manager)."),
    "PicardKnowledgeArea": ("PICARD knowledge area", "PicardTier",
                            "A knowledge area of the 2008 PICARD Professional Standards, "
                            "under its tier."),
    "PicardTheme": ("PICARD theme", None, "A theme of the 2019 PICARD Professional Standards."),
    "PicardProposedTheme": ("PICARD proposed theme", None,
                            "A topic proposed for a future revision of the PICARD Professional "
                            "Standards (not adopted)."),
    "Programme": ("Programme", None, "A study programme of an institution."),
    "Course": ("Course", "Programme", "A course of an institution's programme."),
}


def changed(row: dict[str, Any]) -> str:
    """When the fact last changed, as far as the graph knows: its date, else its source's
    year, else a fixed default (so identical data always gives identical answers)."""
    if row.get("date"):
        return f"{str(row['date'])[:10]}T00:00:00+00:00"
    if row.get("source_year"):
        return f"{int(row['source_year']):04d}-01-01T00:00:00+00:00"
    return DEFAULT_CHANGE


def evidence(row: dict[str, Any]) -> Evidence:
    year = row.get("source_year")
    return Evidence(row.get("status"), row.get("source_document"), row.get("source_publisher"),
                    int(year) if year else None, row.get("source_url"))


def programme_id(institution: str, programme: str) -> str:
    """A programme's full key is (institution, its own code)."""
    return case_id("Programme", institution, programme)


def course_id(institution: str, programme: str, course: str) -> str:
    """A course's full key is (institution, programme's own code, its own code)."""
    return case_id("Course", institution, programme, course)


def _own(row: dict[str, Any]) -> str:
    """The institution's own code of a programme or course row (the graph's ``code`` is
    the scoped key; data written before scoping has only that)."""
    return str(row.get("local_code") or local_code(str(row["code"])))


def picard_kind(kind: str | None) -> str:
    return "Picard" + "".join(p.capitalize() for p in (kind or "element").split("_"))


@dataclass
class _Draft:
    """An item before its type is final (a type's date is its newest item's)."""

    kind: str
    identifier: str
    row: dict[str, Any]
    education_level: tuple[str, ...] = ()


@dataclass
class _Frame:
    """One document's items and associations while it is being built."""

    identifier: str
    title: str
    drafts: list[_Draft] = field(default_factory=list)
    links: list[tuple[AssociationType, str, NodeRef, str, str | None]] = field(
        default_factory=list)  # (type, origin id, destination, last change, notes)
    parents: dict[str, str | None] = field(default_factory=dict)  # item -> parent item

    def add(self, kind: str, identifier: str, row: dict[str, Any],
            parent: str | None, education_level: tuple[str, ...] = ()) -> None:
        self.drafts.append(_Draft(kind, identifier, row, education_level))
        self.parents[identifier] = parent


def _type_catalogue(kinds: set[str]) -> dict[str, tuple[str, str | None, str, str]]:
    """type code -> (title, broader, description, hierarchy code), numbered in a fixed
    order so the codes do not depend on which kinds a given graph holds."""
    catalogue = {k: v for k, v in KINDS.items()}
    for kind in sorted(kinds - set(KINDS)):
        title = kind.removeprefix("Picard")
        catalogue[kind] = (f"PICARD {title.lower()}" if kind.startswith("Picard") else title,
                           None, f"An element of kind '{title}' as held in the graph.")
    out: dict[str, tuple[str, str | None, str, str]] = {}
    roots = [k for k, v in catalogue.items() if v[1] is None]
    for i, root in enumerate(roots, 1):
        out[root] = (*catalogue[root], str(i))
        children = [k for k, v in catalogue.items() if v[1] == root]
        for j, child in enumerate(children, 1):
            out[child] = (*catalogue[child], f"{i}.{j}")
    return out


class CaseBuilder:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def build(self, reuse: CaseGraph | None = None) -> CaseGraph:
        """The whole model; with ``reuse``: its competency framework and PICARD packages
        kept as they are (the catalogue did not change), the institutions' read again."""
        kept = [reuse.package_of[case_id("CFDocument", key)]
                for key in (CQF_DOC, PICARD_DOC)] if reuse is not None else []
        frames: list[tuple[_Frame, dict[str, Any]]] = [] if kept else [
            (self._competencies(), {"key": CQF_DOC, "title": "CQF competency framework",
                                    "framework_type": "Competencies",
                                    "description": "Competencies of the Customs Qualifications "
                                    "Framework knowledge graph (CustCompEU groups, operational "
                                    "competencies and ESCO concepts), each with its evidence "
                                    "status and source."}),
            (self._standards(), {"key": PICARD_DOC, "title": "WCO PICARD Professional Standards",
                                 "framework_type": "ProfessionalStandards",
                                 "publisher": "World Customs Organization",
                                 "description": "Tiers, knowledge areas and themes of the "
                                 "PICARD Professional Standards as held in the CQF Graph "
                                 "(partial: see each item's notes)."}),
        ]
        frames += self._institutions()
        kinds = {d.kind for frame, _ in frames for d in frame.drafts}
        kinds |= {i.item_type.type_code for p in kept for i in p.items}
        catalogue = _type_catalogue(kinds)
        newest: dict[str, str] = {}
        for frame, _ in frames:
            for d in frame.drafts:
                newest[d.kind] = max(newest.get(d.kind, ""), changed(d.row))
        for package in kept:
            for item in package.items:
                kind = item.item_type.type_code
                newest[kind] = max(newest.get(kind, ""), item.last_change)
        types = {k: ItemType(case_id("CFItemType", k), title, description, code, k,
                             newest.get(k, DEFAULT_CHANGE),
                             case_id("CFItemType", broader) if broader else None)
                 for k, (title, broader, description, code) in catalogue.items()}
        return CaseGraph(kept + [self._package(frame, meta, types) for frame, meta in frames])

    # --- the three kinds of document ----------------------------------------------------
    def _competencies(self) -> _Frame:
        frame = _Frame(case_id("CFDocument", CQF_DOC), "CQF competency framework")
        groups = {}
        for r in self.store.read(q.COMPETENCY_GROUPS):
            groups[r["code"]] = case_id("CompetencyGroup", r["code"])
            frame.add("CompetencyGroup", groups[r["code"]], r, None)
        rows = self.store.read(q.COMPETENCIES)
        ids = {r["code"]: case_id("Competency", r["code"]) for r in rows}
        for r in rows:
            parent = ids.get(r["broader"]) or groups.get(r["group"])
            frame.add("Competency", ids[r["code"]], r, parent)
            if r.get("uri"):
                uri = str(r["uri"])
                target = NodeRef(case_id("uri", uri), r["name"] or r["code"], uri=uri,
                                 target_type="ext:ESCO" if uri.startswith(ESCO) else "ext:uri")
                frame.links.append((AssociationType.EXACT_MATCH_OF, ids[r["code"]], target,
                                    changed(r), None))
        return frame

    def _standards(self) -> _Frame:
        frame = _Frame(case_id("CFDocument", PICARD_DOC), "WCO PICARD Professional Standards")
        rows = self.store.read(q.STANDARDS)
        ids = {r["code"]: case_id("PicardStandard", r["code"]) for r in rows}
        for r in rows:
            frame.add(picard_kind(r["kind"]), ids[r["code"]], r, ids.get(r["parent"]))
        return frame

    def _institutions(self) -> list[tuple[_Frame, dict[str, Any]]]:
        programmes: dict[str, list[dict[str, Any]]] = {}
        for r in self.store.read(q.PROGRAMMES):
            programmes.setdefault(r["institution"], []).append(r)
        courses: dict[str, list[dict[str, Any]]] = {}
        for r in self.store.read(q.COURSES):
            courses.setdefault(r["institution"], []).append(r)
        links: dict[str, list[dict[str, Any]]] = {}
        for r in self.store.read(q.ACCEPTED_LINKS, {"accepted": ReviewStatus.ACCEPTED}):
            links.setdefault(r["institution"], []).append(r)
        out = []
        for inst in self.store.read(q.INSTITUTIONS):
            code = inst["code"]
            name = inst["name"] or code
            frame = _Frame(case_id("CFDocument", "institution", code),
                           f"{name}: course framework")
            prog_ids = {}  # the programme's own code -> identifier
            for r in programmes.get(code, []):
                own = _own(r)
                prog_ids[own] = programme_id(code, own)
                level = (str(r["level"]),) if r.get("level") else ()
                frame.add("Programme", prog_ids[own], {**r, "code": own}, None, level)
            for r in courses.get(code, []):
                own = _own(r)
                frame.add("Course", course_id(code, r["programme"], own), {**r, "code": own},
                          prog_ids.get(r["programme"]))
            for link in links.get(code, []):
                develops = link["type"] == "DEVELOPS"
                kind = "Competency" if develops else "PicardStandard"
                target = NodeRef(case_id(kind, link["target"]),
                                 link["target_name"] or link["target"],
                                 path=f"CFItems/{case_id(kind, link['target'])}")
                how = (f"develops this competency at proficiency '{link['proficiency']}'"
                       if develops else "aligns with this PICARD standard")
                own = link["course_local"] or local_code(link["course"])
                note = f"Accepted course mapping: course {own} {how}. " + \
                    evidence(link).sentence()
                frame.links.append((AssociationType.IS_RELATED_TO,
                                    course_id(code, link["programme"], own), target,
                                    changed(link), note))
            out.append((frame, {"key": f"institution:{code}", "title": frame.title,
                                "framework_type": "CourseCodes", "publisher": inst["name"],
                                "description": f"Programmes and courses of {name} mapped onto "
                                "the CQF competencies and PICARD standards (accepted mappings "
                                "only).", "row": inst}))
        return out

    # --- from frame to package ----------------------------------------------------------
    def _package(self, frame: _Frame, meta: dict[str, Any],
                 types: dict[str, ItemType]) -> Package:
        doc_ref = NodeRef(frame.identifier, frame.title, path=f"CFDocuments/{frame.identifier}")
        items = tuple(Item(d.identifier, frame.identifier, d.row.get("name") or d.row["code"],
                           d.row["code"], types[d.kind], changed(d.row), evidence(d.row),
                           d.row.get("description") or None, education_level=d.education_level)
                      for d in frame.drafts)
        by_id = {i.identifier: i for i in items}
        associations: list[Association] = []
        siblings: Counter[str] = Counter()
        for item in items:  # isChildOf, numbered among siblings in code order
            parent_id = frame.parents[item.identifier]
            parent = by_id.get(parent_id) if parent_id else None
            destination = (NodeRef(parent.identifier, parent.full_statement,
                                   path=f"CFItems/{parent.identifier}") if parent else doc_ref)
            siblings[destination.identifier] += 1
            associations.append(self._association(
                frame, AssociationType.IS_CHILD_OF, item, destination, item.last_change,
                siblings[destination.identifier], None))
        for kind, origin_id, destination, when, note in frame.links:
            if origin_id not in by_id:  # a link of a course this document does not hold
                continue
            associations.append(self._association(frame, kind, by_id[origin_id], destination,
                                                  when, None, note))
        dates = [i.last_change for i in items] + [a.last_change for a in associations]
        last = max(dates, default=changed(meta.get("row", {})))
        document = Document(frame.identifier, meta["key"], meta["title"], CREATOR,
                            meta["description"], meta["framework_type"], last,
                            self._licence(meta["key"], meta["title"], items, last),
                            publisher=meta.get("publisher"))
        used = {i.item_type.type_code: i.item_type for i in items}
        return Package(document, items, tuple(associations),
                       tuple(sorted(used.values(), key=lambda t: t.hierarchy_code)))

    @staticmethod
    def _association(frame: _Frame, kind: AssociationType, origin: Item, destination: NodeRef,
                     when: str, sequence: int | None, note: str | None) -> Association:
        ident = case_id("CFAssociation", kind.value, origin.identifier, destination.identifier)
        return Association(ident, frame.identifier, kind,
                           NodeRef(origin.identifier, origin.full_statement,
                                   path=f"CFItems/{origin.identifier}"),
                           destination, when, sequence, note)

    @staticmethod
    def _licence(key: str, title: str, items: tuple[Item, ...], last: str) -> License:
        statuses = Counter(i.evidence.status or "not recorded" for i in items)
        publishers = sorted({i.evidence.publisher for i in items if i.evidence.publisher})
        counts = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
        text = (f"The CQF Graph project publishes this framework under the Apache License 2.0 "
                f"({DATA_LICENCE}). Content taken from third parties keeps its publishers' "
                "terms; each item's notes name its source"
                + (f" (publishers cited here: {'; '.join(publishers)})" if publishers else "")
                + f". Evidence status of the {len(items)} item{'' if len(items) == 1 else 's'}: "
                f"{counts or 'none'}. "
                "Verified: checked against the cited source; unverified: reference knowledge "
                "not re-read against the primary document; illustrative: invented for seeding "
                "or demonstration, not an official statement of any body.")
        return License(case_id("CFLicense", key), f"Licence and evidence notice: {title}",
                       "The licence of this framework's data and the evidence status of its "
                       "items, computed from the graph.", text, last)


def load_case_graph(store: GraphStore) -> CaseGraph:
    return CaseBuilder(store).build()


def rebuild_institutions(store: GraphStore, graph: CaseGraph) -> CaseGraph:
    """After writes to institutions' data only: ``graph`` with the competency framework and
    PICARD packages kept, every institution's package built again."""
    return CaseBuilder(store).build(reuse=graph)


def case_signature(store: GraphStore) -> tuple[tuple[str, int], ...]:
    """Named counts (see ``q.SIGNATURE``)."""
    names = tuple(name for name, _ in q.SIGNATURE)
    return tuple(zip(names, counts(store, tuple(query for _, query in q.SIGNATURE)),
                     strict=True))

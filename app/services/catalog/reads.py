"""Read use cases of the catalogue: lists with totals, details with relationships, search."""

from __future__ import annotations

import builtins
from typing import Any, LiteralString

from app.domain import parts, search
from app.domain.errors import FieldProblem, InvalidInput, NotFound
from app.domain.text import N_
from app.domain.vocab import NodeLabel, ReviewStatus
from app.graph.cypher.catalog import reads as q
from app.graph.port import GraphStore
from app.services.catalog.codes import CodeResolver, parse_level_code
from app.services.catalog.entities import entity, reference

__all__ = ["CatalogService", "detail_parts", "parse_level_code"]

EQF = "EQF"  # the pivot framework national levels are referenced to
SEARCH_TERM = search.WORD
MAX_SEARCH_TERMS = 8


def _references(kind: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Related entities in code order, each once (a two-hop path may reach one twice)."""
    unique = {tuple(sorted(row.items())): dict(row) for row in rows}
    ordered = sorted(unique.items(), key=lambda item: (item[1]["code"], str(item[0])))
    return [reference(kind, row) for _, row in ordered]


# What each detail page reads (``q.RELATIONS`` and the extra lists beside them), as parts of
# the graph (``app.domain.parts``): its kept answer is computed again only after a write to
# one of them. Courses reach the pages of a competency (the courses developing it, and the
# PICARD standards through them), a PICARD standard, a programme and an institution; a level
# lists its mappings and the programmes at it, which no course write changes.
_REFERENCE = (parts.CATALOGUE, parts.PROFILES, parts.LEVELS)
_DETAIL_PARTS: dict[NodeLabel, tuple[str, ...]] = {
    NodeLabel.COMPETENCY: (*_REFERENCE, parts.COURSES),
    NodeLabel.PICARD_STANDARD: (*_REFERENCE, parts.COURSES),
    NodeLabel.PROGRAMME: (*_REFERENCE, parts.COURSES),
    NodeLabel.INSTITUTION: (*_REFERENCE, parts.COURSES),
    NodeLabel.LEVEL: (*_REFERENCE, parts.MAPPINGS, parts.PROGRAMMES),
}


def detail_parts(label: NodeLabel) -> tuple[str, ...]:
    return _DETAIL_PARTS.get(label, _REFERENCE)


# List filters whose value is another entity's code: matched like any typed code.
FILTER_LABELS: dict[str, NodeLabel] = {
    "group": NodeLabel.COMPETENCY_GROUP, "administration": NodeLabel.ADMINISTRATION,
    "domain": NodeLabel.FUNCTIONAL_DOMAIN, "generic_role": NodeLabel.GENERIC_ROLE,
    "framework": NodeLabel.FRAMEWORK,
}


class CatalogService:
    def __init__(self, store: GraphStore) -> None:
        self.store = store
        self.codes = CodeResolver(store)

    def _read_code(self, query: LiteralString, label: NodeLabel, code: str) -> list[dict[str, Any]]:
        """Rows of ``query`` for the node with this code as typed: exact first, then the
        canonical code (any case, either level notation); NotFound names the code as typed."""
        rows = self.store.read(query, {"code": code})
        if not rows:
            canonical = self.codes.find(label, code)
            if canonical is not None and canonical != code:
                rows = self.store.read(query, {"code": canonical})
        if not rows:
            raise NotFound(label.value, code)
        return rows

    def list(self, label: NodeLabel, *, limit: int, offset: int, status: str | None = None,
             text: str | None = None, filters: dict[str, Any] | None = None) -> dict[str, Any]:
        given = {k: v for k, v in (filters or {}).items() if v is not None}
        for name, value in given.items():
            if name in FILTER_LABELS:
                given[name] = self.codes.find(FILTER_LABELS[name], value) or value
        params = {"status": status, "q": text.lower() if text else None, **given}
        names = tuple(sorted(given))
        total = self.store.read(q.count_nodes(label, names), params)[0]["total"]
        rows = self.store.read(q.list_nodes(label, names),
                               {**params, "limit": limit, "offset": offset})
        items = [entity(label.value, row["node"]) for row in rows]
        next_offset = offset + len(items) if offset + len(items) < total else None
        return {"items": items, "total": total, "limit": limit, "offset": offset,
                "next_offset": next_offset}

    def frameworks(self, *, limit: int, offset: int, status: str | None = None,
                   text: str | None = None, kind: str | None = None,
                   country: str | None = None,
                   referencing_status: str | None = None) -> dict[str, Any]:
        """Frameworks, filterable by country and EQF referencing status, each with how it
        stands towards the EQF: status, year, and how many of its levels have an accepted
        EQF mapping (counted live, so it always agrees with the mappings)."""
        page = self.list(NodeLabel.FRAMEWORK, limit=limit, offset=offset, status=status,
                         text=text, filters={"kind": kind,
                                             "country": country.upper() if country else None,
                                             "referencing_status": referencing_status})
        codes = [item["code"] for item in page["items"]]
        counts = {r["code"]: r for r in self.store.read(q.FRAMEWORK_LEVEL_COUNTS, {
            "codes": codes, "pivot": EQF, "accepted": ReviewStatus.ACCEPTED})} if codes else {}
        for item in page["items"]:
            found = counts.get(item["code"], {})
            attributes = item["attributes"]
            item["referencing"] = {
                "status": attributes.get("referencing_status"),
                "year": attributes.get("referencing_year"),
                "levels": found.get("levels", 0),
                "levels_mapped_to_eqf": None if item["code"] == EQF else found.get("mapped", 0),
            }
        return page

    def _props(self, label: NodeLabel, code: str) -> dict[str, Any]:
        return self._read_code(q.get_node(label), label, code)[0]["node"]

    def get(self, label: NodeLabel, code: str) -> dict[str, Any]:
        row = self._read_code(q.detail(label), label, code)[0]
        code = row["node"]["code"]
        detail = entity(label.value, row["node"])
        related: dict[str, list[dict[str, Any]]] = {}
        for relation in q.RELATIONS.get(label, ()):
            related[relation.name] = _references(relation.other.value, row[relation.name])
        if label is NodeLabel.COMPETENCY:
            related["picard_standards"] = _references("PicardStandard", row["picard_standards"])
        if label is NodeLabel.LEVEL:
            mappings = [self._mapping(m) for m in row["mappings_out"] + row["mappings_in"]]
            related["mappings"] = sorted(mappings, key=lambda m: m["code"])
        detail["related"] = related
        return detail

    @staticmethod
    def _mapping(row: dict[str, Any]) -> dict[str, Any]:
        mapping = {f"r_{k}": v for k, v in row["mapping"].items()}
        return reference("Mapping", {"code": row["mapping"].get("id"), **mapping,
                                     "r_from_level": row["from_level"],
                                     "r_to_level": row["to_level"]})

    def level(self, framework: str, level: str) -> dict[str, Any]:
        canonical = self._props(NodeLabel.FRAMEWORK, framework)["code"]
        return self.get(NodeLabel.LEVEL, f"{canonical}:{level}")

    def framework_levels(self, framework: str, *, limit: int, offset: int) -> dict[str, Any]:
        canonical = self._props(NodeLabel.FRAMEWORK, framework)["code"]
        return self.list(NodeLabel.LEVEL, limit=limit, offset=offset,
                         filters={"framework": canonical})

    def search(self, text: str, kinds: builtins.list[NodeLabel] | None,
               limit: int) -> dict[str, Any]:
        terms = SEARCH_TERM.findall(text or "")[:MAX_SEARCH_TERMS]
        if not terms:
            raise InvalidInput([FieldProblem(
                "q", N_("give at least one word to search for"), text)])
        labels = [k.value for k in (kinds or list(NodeLabel))]
        lowered = [t.lower() for t in terms]
        candidates = self.store.fulltext(lowered, labels, search.CANDIDATES)
        items = [{"kind": h.kind, "code": h.code, "name": h.name, "score": h.score}
                 for h in search.rank(lowered, candidates, limit)]
        return {"query": text, "terms": terms, "items": items, "total": len(items)}

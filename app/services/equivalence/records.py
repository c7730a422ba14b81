"""Mapping records as data: listing, one mapping with provenance, and the quality report."""

from __future__ import annotations

from typing import Any

from app.domain import equivalence as eq
from app.domain.errors import NotFound
from app.domain.vocab import EvidenceStatus, NodeLabel
from app.graph.cypher.equivalence import mappings as q
from app.graph.port import GraphStore
from app.services.catalog.codes import CodeResolver
from app.services.catalog.entities import source_of
from app.services.equivalence.answers import edge_from_row, evidence_of, load_mapping_graph

_OWN = ("id", "match_type", "confidence", "method", "review_status", "status", "asserted_by",
        "date", "historical", "note", "review_reason", "reviewed_by", "reviewed_at", "owner")


def mapping_view(row: dict[str, Any]) -> dict[str, Any]:
    m = row["mapping"]
    view = {key: m.get(key) for key in _OWN}
    view.update(from_level=row["from_level"], to_level=row["to_level"],
                from_framework=row["from_framework"], to_framework=row["to_framework"],
                source=source_of(m), evidence=evidence_of(m),
                illustrative=m.get("status") == EvidenceStatus.ILLUSTRATIVE)
    return view


class MappingService:
    def __init__(self, store: GraphStore) -> None:
        self.store = store

    def list(self, *, limit: int, offset: int, **filters: str | None) -> dict[str, Any]:
        params = {"from_framework": None, "to_framework": None, "framework": None,
                  "review_status": None, "method": None, "level": None, **filters}
        codes = CodeResolver(self.store)
        for name in ("from_framework", "to_framework", "framework"):
            if params[name]:
                params[name] = codes.find(NodeLabel.FRAMEWORK, params[name]) or params[name]
        if params["level"]:
            params["level"] = codes.find(NodeLabel.LEVEL, params["level"]) or params["level"]
        total = self.store.read(q.COUNT_MAPPINGS, params)[0]["total"]
        rows = self.store.read(q.LIST_MAPPINGS, {**params, "limit": limit, "offset": offset})
        items = [mapping_view(r) for r in rows]
        next_offset = offset + len(items) if offset + len(items) < total else None
        return {"items": items, "total": total, "limit": limit, "offset": offset,
                "next_offset": next_offset}

    def get(self, mapping_id: str) -> dict[str, Any]:
        rows = self.store.read(q.MAPPING_BY_ID, {"id": mapping_id})
        if not rows:
            raise NotFound("Mapping", mapping_id)
        return mapping_view(rows[0])

    def edge(self, mapping_id: str) -> eq.MappingEdge:
        rows = self.store.read(q.MAPPING_BY_ID, {"id": mapping_id})
        if not rows:
            raise NotFound("Mapping", mapping_id)
        return edge_from_row(rows[0])

    def quality(self, include_proposed: bool) -> dict[str, Any]:
        graph = load_mapping_graph(self.store)
        levels = [eq.LevelRef(c, lv["framework"], lv["ordinal"]) for c, lv in graph.levels.items()]
        report = eq.check_mapping_quality(graph.index, levels, include_proposed=include_proposed)
        return {
            "include_proposed": include_proposed,
            "defect_count": report.defect_count,
            "unmapped_levels": [{"level": u.code, "framework": u.framework}
                                for u in report.unmapped],
            "contradictory_exact_matches": [
                {"level": c.level, "first": c.first, "second": c.second, "reason": c.reason,
                 "mappings": list(c.edges)} for c in report.contradictory_exact],
            "own_framework_cycles": [
                {"framework": c.framework, "level": c.level, "equivalent_to": c.other,
                 "match_type": c.match_type.value, "confidence": round(c.confidence, 4),
                 "ordinal_gap": c.ordinal_gap, "severity": c.severity,
                 "mappings": [s.edge.id for s in c.path]} for c in report.cycles],
            "fan_out": [{"level": f.level, "framework": f.framework, "targets": list(f.targets),
                         "mappings": list(f.edges)} for f in report.fan_out],
        }

"""Browse and search: full-text hits, lists by kind, and entity pages with their
relationships and neighbourhood. Plain dicts for the templates; no HTTP here."""

from __future__ import annotations

from typing import Any

from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.graph.port import GraphStore
from app.services.catalog.reads import CatalogService
from app.web import attributes
from app.web.pages import localise

SEARCH_LIMIT = 50
BROWSE_LIMIT = 200


def search(store: GraphStore, text: str, kind: NodeLabel | None) -> dict[str, Any]:
    answer = CatalogService(store).search(text, [kind] if kind else None, SEARCH_LIMIT)
    localise(store, answer["items"])
    return answer


def browse(store: GraphStore, kind: NodeLabel) -> dict[str, Any]:
    page = CatalogService(store).list(kind, limit=BROWSE_LIMIT, offset=0)
    for item in page["items"]:
        item.setdefault("kind", kind.value)
    return {"items": page["items"], "total": page["total"]}


def entity(store: GraphStore, label: NodeLabel, code: str, lang: str = "en") -> dict[str, Any]:
    """The entity with every relationship; level mappings also name the level at the other
    end (``other``) so they can be drawn and linked like any neighbour."""
    detail = CatalogService(store).get(label, code)
    code = detail["code"]  # canonical, whatever case or notation the URL used
    refs: list[dict[str, Any]] = []
    for items in detail["related"].values():
        for ref in items:
            if ref["kind"] == "Mapping":
                attrs = ref["attributes"]
                other = attrs.get("to_level") if attrs.get("from_level") == code \
                    else attrs.get("from_level")
                ref["other"] = {"kind": "Level", "code": other}
                refs.append(ref["other"])
            else:
                refs.append(ref)
    detail["attribute_rows"] = attributes.rows(detail["kind"], detail["attributes"], lang)
    localise(store, refs + attributes.references(detail["attribute_rows"]))
    return detail


def neighbours(detail: dict[str, Any]) -> list[dict[str, Any]]:
    """(relation name, reference) pairs in display order, one per distinct neighbour."""
    seen: set[tuple[str, str]] = set()
    out = []
    for name, items in detail["related"].items():
        for ref in items:
            target = ref.get("other") or ref
            key = (target["kind"], target["code"])
            if target["code"] and key not in seen:
                seen.add(key)
                out.append({"relation": name, **target})
    return out


KINDS: tuple[NodeLabel, ...] = CATALOGUE_LABELS

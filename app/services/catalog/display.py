"""Display facts for references: the French label (``name_fr``) and the evidence status of
many entities at once, one indexed query per label. Used by the web explorer to localise
labels (falling back to English) and to flag illustrative data wherever it is listed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.graph.cypher.catalog.display import display_facts
from app.graph.port import GraphStore

_KNOWN = {label.value for label in CATALOGUE_LABELS}


def facts_for(store: GraphStore, refs: Iterable[tuple[str, str]]) -> dict[tuple[str, str],
                                                                           dict[str, Any]]:
    """``{(kind, code): {"name": ..., "name_fr": ..., "status": ...}}`` for ``(kind, code)``
    pairs; kinds that are not catalogue labels are ignored."""
    by_label: dict[str, set[str]] = defaultdict(set)
    for kind, code in refs:
        if kind in _KNOWN and code:
            by_label[kind].add(code)
    facts: dict[tuple[str, str], dict[str, Any]] = {}
    for kind, codes in sorted(by_label.items()):
        for row in store.read(display_facts(NodeLabel(kind)), {"codes": sorted(codes)}):
            facts[(kind, row["code"])] = {"name": row["name"], "name_fr": row["name_fr"],
                                          "status": row["status"]}
    return facts

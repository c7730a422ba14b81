"""Bringing stored data up to the current model (``cqf db migrate``, and every start-up):
each step is idempotent, so running it again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import structlog

from app.domain.vocab import FOLDED_LABELS, NodeLabel
from app.graph import parts
from app.graph.cypher.operations import migrations as q
from app.graph.port import GraphStore

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class DuplicateCode:
    """Nodes of one label whose codes differ only in letter case: ``nodes`` holds each
    stored code with the number of relationships hanging on it."""

    label: NodeLabel
    key: str
    nodes: list[dict[str, Any]]

    def advice(self) -> str:
        """How to resolve it: keep the code most hangs on, move the rest onto it."""
        keep = max(self.nodes, key=lambda n: (n["links"], n["code"]))["code"]
        others = ", ".join(n["code"] for n in self.nodes if n["code"] != keep)
        return (f"{self.label.value} codes {', '.join(n['code'] for n in self.nodes)} differ "
                f"only in letter case: keep {keep}, move what refers to {others} onto it, "
                f"delete {others}, then run `cqf db migrate` again")


def migrate_data(store: GraphStore) -> dict[str, int]:
    """Run every data migration; returns how many nodes each one changed."""
    changed: dict[str, int] = {}
    for name, statement in q.SCOPE_OWNED_CODES:
        rows = store.write(statement)
        changed[name] = int(rows[0]["changed"]) if rows else 0
    changed["codes folded for case-insensitive uniqueness"] = fold_codes(store)
    if any(changed.values()):
        parts.stamp(store)
        log.info("data.migrated", **{k.replace(" ", "_"): v for k, v in changed.items()})
    return changed


def fold_codes(store: GraphStore) -> int:
    """Give every node of the folded labels its ``code_key`` (those sharing one excepted)."""
    total = 0
    for label in FOLDED_LABELS:
        if store.read(q.unfolded(label))[0]["n"]:
            rows = store.write(q.fold_codes(label))
            total += int(rows[0]["changed"]) if rows else 0
    return total


def duplicate_codes(store: GraphStore) -> list[DuplicateCode]:
    """Codes already in the graph that name two things in different letter case."""
    found: list[DuplicateCode] = []
    for label in FOLDED_LABELS:
        found += [DuplicateCode(label, r["key"], list(r["nodes"]))
                  for r in store.read(q.duplicate_codes(label))]
    for dup in found:
        log.warning("data.duplicate_codes", label=dup.label.value, codes=[
            n["code"] for n in dup.nodes])
    return found

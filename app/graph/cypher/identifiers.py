"""Labels, relationship types and property names as query text.

They cannot be Cypher parameters, so they are spliced into queries; each comes from a closed
whitelist checked here, never from input. Pyright cannot see that a whitelisted ``str`` is
literal text, so this is the one place a name becomes ``LiteralString`` (hence the casts):
every query handed to the store is then provably literal."""

from __future__ import annotations

from collections.abc import Collection
from typing import LiteralString, cast

from app.domain.vocab import RELATIONSHIP_TYPES, NodeLabel


def label_text(label: NodeLabel) -> LiteralString:
    return cast(LiteralString, NodeLabel(label).value)


def rel_text(rel_type: str) -> LiteralString:
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"unknown relationship type {rel_type}")
    return cast(LiteralString, rel_type)


def prop_text(name: str, allowed: Collection[str]) -> LiteralString:
    if name not in allowed:
        raise ValueError(f"unknown property {name}; expected one of {sorted(allowed)}")
    return cast(LiteralString, name)

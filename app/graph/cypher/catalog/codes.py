"""Finding the stored (canonical) code of what a user typed: the exact code first, through the
``code`` index, then a case-folded comparison over the label. Labels come from the whitelist;
every value is a parameter."""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text


def exact(label: NodeLabel) -> LiteralString:
    """Which of ``$codes`` are stored exactly as written."""
    return (f"UNWIND $codes AS code MATCH (n:{label_text(label)} {{code: code}}) "
            "RETURN n.code AS code")


def folded(label: NodeLabel) -> LiteralString:
    """Stored codes whose lower-case form is one of ``$keys`` (already lower-cased)."""
    return (f"MATCH (n:{label_text(label)}) WHERE toLower(n.code) IN $keys "
            "RETURN n.code AS code ORDER BY code")


def folded_local(label: NodeLabel) -> LiteralString:
    """Programmes and courses whose own (unscoped) code, lower-cased, is one of ``$keys``:
    how an address written before codes were scoped still finds its entity."""
    return (f"MATCH (n:{label_text(label)}) WHERE toLower(n.local_code) IN $keys "
            "RETURN n.code AS code, toLower(n.local_code) AS local ORDER BY code")

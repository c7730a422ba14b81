"""Display facts (English and French label, evidence status) for a batch of codes of one
label, used to name, localise and flag the references listed on pages that only carry a
code."""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text


def display_facts(label: NodeLabel) -> LiteralString:
    """``$codes`` -> code, name, name_fr, status; the label comes from the whitelist enum."""
    return (
        f"MATCH (n:{label_text(label)}) WHERE n.code IN $codes "
        "RETURN n.code AS code, n.name AS name, n.name_fr AS name_fr, n.status AS status"
    )

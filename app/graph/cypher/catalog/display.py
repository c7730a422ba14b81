"""Display facts (English and French label, evidence status) for a batch of codes of one
label, used to name, localise and flag the references listed on pages that only carry a
code."""

from __future__ import annotations

from app.graph.labels import NodeLabel


def display_facts(label: NodeLabel) -> str:
    """``$codes`` -> code, name, name_fr, status; the label comes from the whitelist enum."""
    return (
        f"MATCH (n:{NodeLabel(label).value}) WHERE n.code IN $codes "
        "RETURN n.code AS code, n.name AS name, n.name_fr AS name_fr, n.status AS status"
    )

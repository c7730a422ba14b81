"""Shapes stored property maps into the public entity form.

Every entity answer says how far it can be trusted: its evidence ``status``, its source, and
an explicit ``illustrative`` flag with a notice, so example data is never read as official.
"""

from __future__ import annotations

from typing import Any

from app.domain.vocab import EvidenceStatus

ILLUSTRATIVE_NOTICE = (
    "Illustrative example data written for this service; not an official WCO, EU or national "
    "statement."
)
_CORE = ("code", "name", "name_fr", "description", "description_fr", "status")
_SOURCE = ("source_document", "source_publisher", "source_year", "source_url")


def source_of(props: dict[str, Any]) -> dict[str, Any]:
    return {
        "document": props.get("source_document"),
        "publisher": props.get("source_publisher"),
        "year": props.get("source_year"),
        "url": props.get("source_url"),
    }


def provenance(props: dict[str, Any]) -> dict[str, Any]:
    illustrative = props.get("status") == EvidenceStatus.ILLUSTRATIVE
    return {
        "status": props.get("status"),
        "illustrative": illustrative,
        "notice": ILLUSTRATIVE_NOTICE if illustrative else None,
        "source": source_of(props),
    }


# The store's own bookkeeping, never an attribute of the thing: the folded code that keeps
# codes unique in any letter case (graph_schema).
_BOOKKEEPING = ("code_key",)


def entity(kind: str, props: dict[str, Any]) -> dict[str, Any]:
    shaped = {key: props.get(key) for key in _CORE}
    shaped["kind"] = kind
    shaped.update(provenance(props))
    shaped["attributes"] = {
        key: value for key, value in sorted(props.items())
        if key not in _CORE + _SOURCE + _BOOKKEEPING
    }
    return shaped


def reference(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    """A related entity as listed on another's detail. Keys prefixed ``r_`` are the
    relationship's own properties: its evidence status and source become ``attributes.status``
    and ``source``."""
    link = {k[2:]: v for k, v in row.items() if k.startswith("r_") and v is not None}
    ref = {"kind": kind, "code": row["code"], "name": row.get("name"),
           "status": row.get("status"),
           "illustrative": row.get("status") == EvidenceStatus.ILLUSTRATIVE,
           "attributes": {k: v for k, v in link.items() if k not in _SOURCE},
           "source": source_of(link) if any(k in link for k in _SOURCE) else None}
    return ref

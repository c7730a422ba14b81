"""The CASE 1.0 and 1.1 answer schemas of the OpenAPI document, derived from the 1EdTech
definitions (``scripts/derive_case_schemas.py`` wrote ``case_definitions/case.json`` from
CASE 1.0's OpenAPI 2.0 document and CASE 1.1's OpenAPI 3.0 document; the file names the
SHA-256 of each). Every schema keeps its published name under a version prefix
(``CASE-v1p1.CFItemDType``)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

DEFINITIONS = Path(__file__).resolve().parent / "case_definitions" / "case.json"


@lru_cache(maxsize=1)
def _derived() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(DEFINITIONS.read_text(encoding="utf-8"))
    return found


def components() -> dict[str, Any]:
    """Every derived schema, by its prefixed name (for ``components.schemas``)."""
    out: dict[str, Any] = {}
    for version in _derived()["versions"].values():
        out |= version["schemas"]
    return out


def answer_schema(version: str, path: str) -> dict[str, str]:
    """A ``$ref`` to the schema CASE ``version`` (``v1p0``, ``v1p1``) answers ``path`` (as
    the definitions write it: ``/CFItems/{sourcedId}``) with, for a 200."""
    name = _derived()["versions"][version]["answers"][path]
    return {"$ref": f"#/components/schemas/{name}"}


def derived_from() -> dict[str, str]:
    """Definition file -> SHA-256 of the 1EdTech document the schemas come from."""
    return dict(_derived()["derived_from"])

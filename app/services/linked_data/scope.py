"""What an export covers, on its own so that ``cqf export --help`` names the choices without
importing the export (RDF libraries, the store)."""

from __future__ import annotations

from enum import StrEnum


class Scope(StrEnum):
    ONTOLOGY = "ontology"
    DATA = "data"
    ALL = "all"

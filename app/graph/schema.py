"""Reads the per-backend schema files in ``graph_schema/``.

Keeping DDL as files (not strings in code) lets operators read and apply the same statements
by hand; both adapters load them through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import LiteralString, cast

from app.paths import GRAPH_SCHEMA_DIR


def _strip_comments(text: str) -> str:
    lines = [ln for ln in text.splitlines() if not ln.lstrip().startswith(("//", "#"))]
    return "\n".join(lines)


def cypher_statements(backend_dir: str, root: Path = GRAPH_SCHEMA_DIR) -> list[LiteralString]:
    """All ``;``-terminated statements of ``<root>/<backend_dir>/*.cypher`` in file order.
    They are the repository's own DDL files, never input: as trusted as a literal in code
    (the one place file text becomes a query, hence the cast)."""
    statements: list[LiteralString] = []
    for path in sorted((root / backend_dir).glob("*.cypher")):
        body = _strip_comments(path.read_text(encoding="utf-8"))
        for text in body.split(";"):
            if text.strip():
                statements.append(cast(LiteralString, text.strip()))
    return statements


def unique_constraints(root: Path = GRAPH_SCHEMA_DIR) -> list[tuple[str, str]]:
    """(label, property) pairs from ``falkordb/*.constraints``."""
    pairs: list[tuple[str, str]] = []
    for path in sorted((root / "falkordb").glob("*.constraints")):
        for line in _strip_comments(path.read_text(encoding="utf-8")).splitlines():
            if line.strip():
                label, prop = line.split()
                pairs.append((label, prop))
    return pairs

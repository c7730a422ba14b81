"""The state tokens of the parts of the graph (``app.domain.parts``), as stored: one
``ServiceMeta`` node per part, code ``part:<name>``. Audited writes set them in their own
statement (``app.graph.cypher.audited``); the writes outside it (seed, migrations, the base
IRI) stamp them here."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import UTC, datetime

from app.domain import parts as p
from app.graph.cypher.operations import graph_state as q
from app.graph.port import GraphStore

PREFIX = "part:"


def read_tokens(store: GraphStore) -> dict[str, str]:
    """Every part's current token (a part never written has none: it is absent)."""
    return {str(row["part"])[len(PREFIX):]: str(row["token"])
            for row in store.read(q.PART_TOKENS, {"prefix": PREFIX})}


def stamp(store: GraphStore, parts: Iterable[str] = (p.META,)) -> None:
    """A write that bypassed the audited path changed ``parts`` (by default: everything)."""
    token = f"{datetime.now(UTC).isoformat(timespec='microseconds')}-{secrets.token_hex(4)}"
    store.write(q.STAMP_PARTS, {"parts": [PREFIX + part for part in parts], "token": token})


def token(declared: tuple[str, ...], tokens: dict[str, str]) -> str:
    """One short token for the parts an answer rests on: it changes when one of them does."""
    return hashlib.sha256(repr(p.tokens_for(declared, tokens)).encode()).hexdigest()[:16]

"""CASE identifiers: UUIDv5 of one fixed namespace and the entity's full key.

Every CASE identifier the service publishes comes from ``case_id`` and nothing else, so an
identifier depends only on what identifies the entity in the graph (never on load order, a
restart or a re-seed). Give the *full* key: a programme is ``(institution, code)``, a course
``(institution, programme, code)``, so codes scoped by institution need no change here.
"""

from __future__ import annotations

import uuid

# Fixed forever: changing it would change every published CASE identifier.
NAMESPACE = uuid.UUID("3d4f6c2e-8b1a-5e7f-9c0d-1a2b3c4d5e6f")


def case_id(kind: str, *key: str) -> str:
    """The identifier of the ``kind`` entity with this full key (lower-case UUIDv5)."""
    if not key or any(not part for part in key):
        raise ValueError(f"a {kind} identifier needs every part of its key: {key!r}")
    return str(uuid.uuid5(NAMESPACE, ":".join((kind, *key))))

"""Data migrations run by ``cqf db migrate`` and at start-up, after the schema. Each is
idempotent: it touches only nodes not yet migrated, and returns how many it changed.
The same text runs on FalkorDB and Neo4j."""

from __future__ import annotations

from typing import LiteralString

# Programme and course codes became scoped by their owner (``app.domain.identity``): the old
# code moves to ``local_code`` and ``code`` becomes INSTITUTION/PROGRAMME[/COURSE].
# Programmes first: a course's ``programme`` stays the programme's own code.
SCOPE_OWNED_CODES: tuple[tuple[str, LiteralString], ...] = (
    ("programme codes scoped by institution",
     "MATCH (p:Programme) WHERE p.local_code IS NULL AND p.institution IS NOT NULL "
     "SET p.local_code = p.code, p.code = p.institution + '/' + p.code "
     "RETURN count(p) AS changed"),
    ("course codes scoped by institution and programme",
     "MATCH (c:Course) WHERE c.local_code IS NULL AND c.institution IS NOT NULL "
     "AND c.programme IS NOT NULL "
     "SET c.local_code = c.code, c.code = c.institution + '/' + c.programme + '/' + c.code "
     "RETURN count(c) AS changed"),
)

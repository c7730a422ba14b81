"""Queries behind portability and gap analysis: job profiles' requirements and the courses
that develop competencies."""

from __future__ import annotations

from typing import LiteralString

from app.graph.cypher.sections import Section

# One row per profile, with its requirements collected: the service builds its index once.
PROFILE_REQUIREMENTS = (
    "MATCH (p:JobProfile) "
    "OPTIONAL MATCH (p)-[r:REQUIRES]->(c:Competency) "
    "WITH p, collect(CASE WHEN c IS NULL THEN NULL ELSE [c.code, r.proficiency] END) AS reqs "
    "OPTIONAL MATCH (p)-[:AT_LEVEL]->(l:Level) "
    "OPTIONAL MATCH (p)-[:IN_FAMILY]->(f:JobFamily) "
    "RETURN p.code AS code, p.name AS name, p.status AS status, "
    "p.administration AS administration, l.code AS level, l.framework AS level_framework, "
    "collect(DISTINCT f.code) AS families, reqs ORDER BY code"
)

COMPETENCY_NAMES = "MATCH (c:Competency) RETURN c.code AS code, c.name AS name"

# The candidate index: one statement on Neo4j (``app.graph.sections``).
CANDIDATES: tuple[Section, ...] = (
    Section("profiles", PROFILE_REQUIREMENTS, ("code", "name", "status", "administration",
                                               "level", "level_framework", "families",
                                               "reqs")),
    Section("names", COMPETENCY_NAMES, ("code", "name")),
)

KNOWN_COMPETENCIES = (
    "UNWIND $codes AS code MATCH (c:Competency {code: code}) "
    "RETURN c.code AS code, c.name AS name"
)

KNOWN_ADMINISTRATION = "MATCH (a:Administration {code: $code}) RETURN a.code AS code"
KNOWN_FAMILY = "MATCH (f:JobFamily {code: $code}) RETURN f.code AS code"

# Accepted and proposed course mappings at once: the service caches both views.
COURSE_OFFERS = (
    "MATCH (course:Course)-[d:DEVELOPS]->(c:Competency) "
    "WHERE d.review_status IN $statuses "
    "OPTIONAL MATCH (course)-[:PART_OF]->(p:Programme) "
    "RETURN course.code AS code, course.name AS name, course.institution AS institution, "
    "p.code AS programme, course.ects AS ects, course.status AS status, "
    "collect([c.code, d.proficiency, d.review_status]) AS develops ORDER BY code"
)

# Cheap change checks for the cached read models (see app.graph.refresh_cache): counts of what
# they are built from, beside the state tokens of their parts (``app.domain.parts``), which
# every API write moves (so an edit that keeps the counts, e.g. a proficiency changed through
# another worker, is seen; a write to another part is not a change).
CANDIDATES_SIGNATURE: tuple[LiteralString, ...] = (  # one count each: see mappings.py
    "MATCH (p:JobProfile) RETURN count(p) AS n",
    "MATCH ()-[r:REQUIRES]->() RETURN count(r) AS n",
)

OFFERS_SIGNATURE: tuple[LiteralString, ...] = (
    "MATCH (c:Course) RETURN count(c) AS n",
    "MATCH ()-[d:DEVELOPS]->() RETURN count(d) AS n",
)

"""Reads behind the CASE view: the competency framework, the PICARD standards, every
institution's programmes and courses, the accepted course links that become CFAssociations,
and a cheap signature that changes when any of it (or the audit trail) does."""

from __future__ import annotations

from typing import LiteralString

_NODE = (
    "n.code AS code, n.name AS name, n.description AS description, n.status AS status, "
    "n.source_document AS source_document, n.source_publisher AS source_publisher, "
    "n.source_year AS source_year, n.source_url AS source_url, n.date AS date"
)

COMPETENCY_GROUPS: LiteralString = f"MATCH (n:CompetencyGroup) RETURN {_NODE} ORDER BY code"
COMPETENCIES: LiteralString = (
    "MATCH (n:Competency) OPTIONAL MATCH (n)-[:IN_GROUP]->(g:CompetencyGroup) "
    "OPTIONAL MATCH (n)-[:BROADER]->(b:Competency) "
    f"RETURN {_NODE}, n.uri AS uri, g.code AS group, b.code AS broader ORDER BY code"
)
STANDARDS: LiteralString = (
    "MATCH (n:PicardStandard) OPTIONAL MATCH (n)-[:PART_OF]->(t:PicardStandard) "
    f"RETURN {_NODE}, n.kind AS kind, n.version AS version, t.code AS parent ORDER BY code"
)
INSTITUTIONS: LiteralString = f"MATCH (n:Institution) RETURN {_NODE} ORDER BY code"
# Programmes and courses: ``code`` is the scoped key (app.domain.identity), ``local_code``
# the institution's own code; ``programme`` on a course is the programme's own code.
PROGRAMMES: LiteralString = (
    f"MATCH (n:Programme) RETURN {_NODE}, n.local_code AS local_code, "
    "n.institution AS institution, n.level AS level ORDER BY institution, code"
)
COURSES: LiteralString = (
    f"MATCH (n:Course) RETURN {_NODE}, n.local_code AS local_code, "
    "n.institution AS institution, n.programme AS programme ORDER BY code"
)
ACCEPTED_LINKS: LiteralString = (
    "MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) WHERE r.review_status = $accepted "
    "RETURN c.institution AS institution, c.programme AS programme, c.code AS course, "
    "c.local_code AS course_local, "
    "type(r) AS type, t.code AS target, t.name AS target_name, r.proficiency AS proficiency, "
    "r.status AS status, r.source_document AS source_document, r.date AS date, "
    "r.source_year AS source_year ORDER BY institution, programme, course, type, target"
)
# The CASE model's change check, beside the state tokens of the parts it rests on (which every
# API write moves: ``app.domain.parts``): one count per statement, each answered from the
# store's own counters. Counting only the accepted course links walked all of them (132 ms
# with 100k course mappings); a review outside the service, which moves no count, is seen
# within the cache's ``max_age`` like the other read models' (``app.graph.refresh_cache``).
SIGNATURE: tuple[tuple[str, LiteralString], ...] = (
    ("competencies", "MATCH (c:Competency) RETURN count(c) AS n"),
    ("groups", "MATCH (g:CompetencyGroup) RETURN count(g) AS n"),
    ("standards", "MATCH (s:PicardStandard) RETURN count(s) AS n"),
    ("institutions", "MATCH (i:Institution) RETURN count(i) AS n"),
    ("programmes", "MATCH (p:Programme) RETURN count(p) AS n"),
    ("courses", "MATCH (k:Course) RETURN count(k) AS n"),
    ("develops", "MATCH ()-[r:DEVELOPS]->() RETURN count(r) AS n"),
    ("aligns", "MATCH ()-[r:ALIGNS_WITH]->() RETURN count(r) AS n"),
)

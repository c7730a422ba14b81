"""Reads behind the CASE 1.0 view: the competency framework, the PICARD standards and each
institution's programmes and courses, with the links that become CFAssociations."""

from __future__ import annotations

from typing import LiteralString

_NODE = (
    "n.code AS code, n.name AS name, n.description AS description, n.status AS status, "
    "n.source_year AS source_year, n.date AS date"
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
PROGRAMMES_OF: LiteralString = (
    f"MATCH (n:Programme) WHERE n.institution = $institution RETURN {_NODE}, "
    "n.level AS level ORDER BY code"
)
COURSES_OF: LiteralString = (
    f"MATCH (n:Course) WHERE n.institution = $institution RETURN {_NODE}, "
    "n.programme AS programme ORDER BY code"
)
ACCEPTED_LINKS_OF: LiteralString = (
    "MATCH (c:Course)-[r:DEVELOPS|ALIGNS_WITH]->(t) WHERE c.institution = $institution "
    "AND r.review_status = 'accepted' "
    "RETURN c.code AS course, type(r) AS type, t.code AS target, r.proficiency AS proficiency, "
    "r.date AS date ORDER BY course, type, target"
)

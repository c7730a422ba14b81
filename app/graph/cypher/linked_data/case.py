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
# Label counts are cheap on both stores (beside the state tokens of the parts the CASE model
# rests on, which every API write moves: ``app.domain.parts``).
SIGNATURE: LiteralString = (
    "MATCH (c:Competency) WITH count(c) AS competencies "
    "MATCH (g:CompetencyGroup) WITH competencies, count(g) AS groups "
    "MATCH (s:PicardStandard) WITH competencies, groups, count(s) AS standards "
    "MATCH (i:Institution) WITH competencies, groups, standards, count(i) AS institutions "
    "MATCH (p:Programme) WITH competencies, groups, standards, institutions, "
    "count(p) AS programmes "
    "MATCH (k:Course) WITH competencies, groups, standards, institutions, programmes, "
    "count(k) AS courses "
    "OPTIONAL MATCH (:Course)-[r:DEVELOPS|ALIGNS_WITH]->() WHERE r.review_status = $accepted "
    "RETURN competencies, groups, standards, institutions, programmes, courses, "
    "count(r) AS links"
)

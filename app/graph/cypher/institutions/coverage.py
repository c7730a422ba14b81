"""PICARD coverage of a programme and reverse look-ups (competency/standard -> courses).
Only mappings whose ``review_status`` is in ``$statuses`` count."""

from __future__ import annotations

from typing import LiteralString

PROGRAMME_LEVEL: LiteralString = (
    "MATCH (p:Programme {code: $code}) WHERE p.institution = $institution "
    "OPTIONAL MATCH (p)-[:AT_LEVEL]->(l:Level) "
    "RETURN p.code AS code, p.name AS name, p.status AS status, l.code AS level, "
    "l.framework AS framework, l.level AS level_name, l.ordinal AS ordinal"
)

EQF_OF_LEVEL: LiteralString = (
    "MATCH (l:Level {code: $level})-[m:MAPS_TO]-(e:Level) WHERE e.framework = 'EQF' "
    "AND coalesce(m.review_status, $accepted) = $accepted "
    "RETURN e.code AS code, e.ordinal AS ordinal, m.match_type AS match_type, m.id AS id, "
    "startNode(m) = l AS outgoing ORDER BY code"
)

STANDARDS: LiteralString = (
    "MATCH (s:PicardStandard) WHERE s.kind IN $kinds "
    "RETURN s.code AS code, s.name AS name, s.kind AS kind, s.version AS version, "
    "s.tier AS tier, s.status AS status ORDER BY code"
)

PROGRAMME_ALIGNMENTS: LiteralString = (
    "MATCH (c:Course)-[:PART_OF]->(:Programme {code: $code}) "
    "MATCH (c)-[a:ALIGNS_WITH]->(s:PicardStandard) WHERE a.review_status IN $statuses "
    "RETURN c.code AS course, c.name AS course_name, s.code AS standard, "
    "a.review_status AS review_status ORDER BY course, standard"
)

COURSE_TOP_PROFICIENCY: LiteralString = (
    "MATCH (c:Course)-[:PART_OF]->(:Programme {code: $code}) "
    "MATCH (c)-[d:DEVELOPS]->(:Competency) WHERE d.review_status IN $statuses "
    "MATCH (pl:ProficiencyLevel {code: d.proficiency}) "
    "RETURN c.code AS course, max(pl.rank) AS rank"
)

PROFICIENCY_NAMES: LiteralString = (
    "MATCH (p:ProficiencyLevel) RETURN p.rank AS rank, p.code AS code"
)

COURSES_DEVELOPING: LiteralString = (
    "MATCH (c:Course)-[d:DEVELOPS]->(:Competency {code: $code}) "
    "WHERE d.review_status IN $statuses "
    "RETURN c.code AS code, c.name AS name, c.institution AS institution, "
    "c.programme AS programme, d.proficiency AS proficiency, d.evidence AS evidence, "
    "d.assessment AS assessment, d.review_status AS review_status, d.status AS status "
    "ORDER BY institution, code"
)

COURSES_ALIGNED: LiteralString = (
    "MATCH (c:Course)-[a:ALIGNS_WITH]->(:PicardStandard {code: $code}) "
    "WHERE a.review_status IN $statuses "
    "RETURN c.code AS code, c.name AS name, c.institution AS institution, "
    "c.programme AS programme, a.review_status AS review_status, a.status AS status "
    "ORDER BY institution, code"
)

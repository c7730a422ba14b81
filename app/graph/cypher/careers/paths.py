"""Queries behind the CQF table, career paths, career plans and succession.

One text for both backends; every value is a ``$parameter``; rows carry named fields only.
The services load these once into a cached read model (``app.services.careers.read_model``).
"""

from __future__ import annotations

# Every job profile with its requirements (code, proficiency, group, evidence status), its
# tasks, level and families: one row per profile.
PROFILES = (
    "MATCH (p:JobProfile) "
    "OPTIONAL MATCH (p)-[r:REQUIRES]->(c:Competency) "
    "WITH p, collect(CASE WHEN c IS NULL THEN NULL "
    "ELSE [c.code, r.proficiency, c.group, r.status] END) AS reqs "
    "OPTIONAL MATCH (p)-[:PERFORMS]->(t:ProfessionalTask) "
    "WITH p, reqs, collect(DISTINCT t.code) AS tasks "
    "OPTIONAL MATCH (p)-[:AT_LEVEL]->(l:Level) "
    "OPTIONAL MATCH (p)-[:IN_FAMILY]->(f:JobFamily) "
    "RETURN p.code AS code, p.name AS name, p.name_fr AS name_fr, p.status AS status, "
    "p.administration AS administration, p.generic_role AS generic_role, "
    "l.code AS level, collect(DISTINCT f.code) AS families, reqs, tasks ORDER BY code"
)

COMPETENCIES = (
    "MATCH (c:Competency) RETURN c.code AS code, c.name AS name, c.name_fr AS name_fr, "
    "c.group AS group, c.status AS status ORDER BY code"
)

# Named entities the answers label: tasks, generic roles, competency groups, families,
# levels and PICARD tiers (one query per label keeps each an index-free label scan).
_FIELDS = (
    "n.code AS code, n.name AS name, n.name_fr AS name_fr, n.status AS status, "
    "n.kind AS kind, n.ordinal AS ordinal, n.scale AS scale, n.framework AS framework"
)
LABELLED = (
    "MATCH (n:ProfessionalTask) RETURN 'ProfessionalTask' AS label, " + _FIELDS,
    "MATCH (n:GenericRole) RETURN 'GenericRole' AS label, " + _FIELDS,
    "MATCH (n:CompetencyGroup) RETURN 'CompetencyGroup' AS label, " + _FIELDS,
    "MATCH (n:JobFamily) RETURN 'JobFamily' AS label, " + _FIELDS,
    "MATCH (n:Level) RETURN 'Level' AS label, " + _FIELDS,
    "MATCH (n:PicardStandard) RETURN 'PicardStandard' AS label, " + _FIELDS,
    "MATCH (n:Administration) RETURN 'Administration' AS label, " + _FIELDS,
    "MATCH (n:Framework) RETURN 'Framework' AS label, " + _FIELDS,
)

_OFFER = (
    "OPTIONAL MATCH (course)-[:PART_OF]->(p:Programme) "
    "RETURN course.code AS code, course.name AS name, course.institution AS institution, "
    "p.code AS programme, course.ects AS ects, course.status AS status, "
    "collect([c.code, d.proficiency]) AS develops ORDER BY code"
)
ACCEPTED_COURSES = (
    "MATCH (course:Course)-[d:DEVELOPS]->(c:Competency) "
    "WHERE d.review_status IN $review_statuses " + _OFFER
)
# The same for some institutions only (after a write to their courses).
ACCEPTED_COURSES_OF = (
    "MATCH (course:Course)-[d:DEVELOPS]->(c:Competency) "
    "WHERE course.institution IN $institutions AND d.review_status IN $review_statuses "
    + _OFFER
)

# Cheap change check for the cached read model (see app.graph.refresh_cache).
SIGNATURE = (
    "MATCH (p:JobProfile) WITH count(p) AS profiles "
    "OPTIONAL MATCH ()-[r:REQUIRES]->() WITH profiles, count(r) AS requirements "
    "OPTIONAL MATCH ()-[t:PERFORMS]->() WITH profiles, requirements, count(t) AS tasks "
    "OPTIONAL MATCH ()-[d:DEVELOPS]->() WITH profiles, requirements, tasks, count(d) AS develops "
    "OPTIONAL MATCH (l:Level) "
    "RETURN profiles, requirements, tasks, develops, count(l) AS levels"
)

"""Queries behind the CQF table, career paths, career plans and succession.

One text for both backends; every value is a ``$parameter``; rows carry named fields only.
The services load these once into a cached read model (``app.services.careers.read_model``).
"""

from __future__ import annotations

from typing import LiteralString

from app.graph.cypher.sections import Section

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
# levels and PICARD tiers (one label scan per label, joined by UNION ALL: one statement).
_FIELDS: LiteralString = (
    "n.code AS code, n.name AS name, n.name_fr AS name_fr, n.status AS status, "
    "n.kind AS kind, n.ordinal AS ordinal, n.scale AS scale, n.framework AS framework"
)
_LABELLED_COLUMNS: tuple[LiteralString, ...] = (
    "label", "code", "name", "name_fr", "status", "kind", "ordinal", "scale", "framework")
_LABELS: tuple[LiteralString, ...] = (
    "ProfessionalTask", "GenericRole", "CompetencyGroup", "JobFamily", "Level",
    "PicardStandard", "Administration", "Framework")
LABELLED: LiteralString = " UNION ALL ".join([
    f"MATCH (n:{label}) RETURN '{label}' AS label, {_FIELDS}" for label in _LABELS])
# The same on Neo4j, which scans the union of the labels at once (``UnionNodeByLabelsScan``)
# and plans it in a fraction of the union's time; FalkorDB would scan every node for it.
_LABEL_LIST: LiteralString = ", ".join([f"'{label}'" for label in _LABELS])
LABELLED_NEO4J: LiteralString = (
    "MATCH (n) WHERE " + " OR ".join([f"n:{label}" for label in _LABELS])
    + f" RETURN [l IN labels(n) WHERE l IN [{_LABEL_LIST}]][0] AS label, {_FIELDS}")

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

# The careers read model in two statements on Neo4j (``app.graph.sections``): what hangs
# on relationships (profiles, course offers; these read ``$review_statuses``), and the named
# entities. Two, not one: a statement is planned whole, and a first load on a busy server
# must stay well within the store's statement timeout.
MODEL_RELATIONS: tuple[Section, ...] = (
    Section("profiles", PROFILES, ("code", "name", "name_fr", "status", "administration",
                                   "generic_role", "level", "families", "reqs", "tasks")),
    Section("offers", ACCEPTED_COURSES, ("code", "name", "institution", "programme", "ects",
                                         "status", "develops")),
)
MODEL_NAMES: tuple[Section, ...] = (
    Section("competencies", COMPETENCIES, ("code", "name", "name_fr", "group", "status")),
    Section("labelled", LABELLED, _LABELLED_COLUMNS, LABELLED_NEO4J),
)

# Cheap change check for the cached read model (see app.graph.refresh_cache), beside the part
# tokens: one count per statement, each answered from the store's own counters (0.3 ms at the
# ESCO-sized graph with 100k course mappings), where one statement chaining them with
# OPTIONAL MATCH walked every edge (385 ms there, on every refresh and after every write of
# every worker, holding the embedded store's graph against writes). Each returns ``n``.
SIGNATURE: tuple[LiteralString, ...] = (
    "MATCH (p:JobProfile) RETURN count(p) AS n",
    "MATCH ()-[r:REQUIRES]->() RETURN count(r) AS n",
    "MATCH ()-[t:PERFORMS]->() RETURN count(t) AS n",
    "MATCH ()-[d:DEVELOPS]->() RETURN count(d) AS n",
    "MATCH (l:Level) RETURN count(l) AS n",
)

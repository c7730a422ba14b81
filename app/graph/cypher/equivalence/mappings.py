"""Queries over level-to-level mappings (``MAPS_TO``) and the levels they join."""

from __future__ import annotations

from typing import LiteralString

from app.graph.cypher.sections import Section

MAPPING_FIELDS = (
    "properties(m) AS mapping, a.code AS from_level, b.code AS to_level, "
    "a.framework AS from_framework, b.framework AS to_framework"
)

ALL_MAPPINGS = f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) RETURN {MAPPING_FIELDS}"

ALL_LEVELS = (
    "MATCH (l:Level) RETURN l.code AS code, l.name AS name, l.framework AS framework, "
    "l.ordinal AS ordinal, l.status AS status"
)

# How each framework stands towards the EQF, to explain an empty answer.
FRAMEWORK_REFERENCING = (
    "MATCH (f:Framework) RETURN f.code AS code, f.referencing_status AS referencing_status, "
    "f.referencing_year AS referencing_year"
)

# The whole mapping graph: one statement on Neo4j (``app.graph.sections``).
GRAPH: tuple[Section, ...] = (
    Section("mappings", ALL_MAPPINGS,
            ("mapping", "from_level", "to_level", "from_framework", "to_framework")),
    Section("levels", ALL_LEVELS, ("code", "name", "framework", "ordinal", "status")),
    Section("referencing", FRAMEWORK_REFERENCING,
            ("code", "referencing_status", "referencing_year")),
)

# Cheap change check for the cached mapping graph (see app.graph.refresh_cache and
# CANDIDATES_SIGNATURE in portability.py): counts, beside the state tokens of the parts it is
# built from (levels, mappings; ``app.domain.parts``), which every API write moves.
# One statement per count: each is answered from the store's own counters (0.1-0.2 ms at the
# ESCO-sized graph), where one statement chaining them with OPTIONAL MATCH walked every edge
# (114 ms, every refresh of every worker). Each returns ``n``.
MAPPINGS_SIGNATURE: tuple[LiteralString, ...] = (
    "MATCH (l:Level) RETURN count(l) AS n",
    "MATCH ()-[m:MAPS_TO]->() RETURN count(m) AS n",
)

# What changed since (issue 26): the audit entries of the writes of some kinds (``$kinds``)
# whose code sorts at or after ``$since`` (an entry's code begins with its ISO time, so codes
# sort by time), through the index on ``AuditEntry.code``. A level-mapping write leaves one
# (same statement as the write), so it is the change journal of the mapping graph.
CHANGES_SINCE = (
    "MATCH (a:AuditEntry) WHERE a.code >= $since AND a.target_kind IN $kinds "
    "RETURN a.code AS code, a.target_kind AS kind, a.target_code AS target"
)

# The current state of some mappings (``$ids``; through the index on ``MAPS_TO.id``): an id
# not returned was retracted.
MAPPINGS_BY_IDS = (
    f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id IN $ids RETURN {MAPPING_FIELDS}"
)

LEVEL_EXISTS = "MATCH (l:Level {code: $code}) RETURN l.code AS code"
FRAMEWORK_UNLEVELLED = (
    "MATCH (f:Framework {code: $code}) "
    "RETURN f.unlevelled AS unlevelled, f.unlevelled_fr AS unlevelled_fr"
)
FRAMEWORK_EXISTS = "MATCH (f:Framework {code: $code}) RETURN f.code AS code, f.kind AS kind"

PROGRAMME_LEVEL = (
    "MATCH (p:Programme {code: $code}) OPTIONAL MATCH (p)-[:AT_LEVEL]->(l:Level) "
    "RETURN p.code AS code, p.name AS name, p.status AS status, l.code AS level"
)

_FILTER = (
    "WHERE ($from_framework IS NULL OR a.framework = $from_framework) "
    "AND ($to_framework IS NULL OR b.framework = $to_framework) "
    "AND ($framework IS NULL OR a.framework = $framework OR b.framework = $framework) "
    "AND ($review_status IS NULL OR m.review_status = $review_status) "
    "AND ($method IS NULL OR m.method = $method) "
    "AND ($level IS NULL OR a.code = $level OR b.code = $level)"
)

LIST_MAPPINGS = (
    f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) {_FILTER} RETURN {MAPPING_FIELDS} "
    "ORDER BY m.id SKIP $offset LIMIT $limit"
)
COUNT_MAPPINGS = f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) {_FILTER} RETURN count(m) AS total"

MAPPING_BY_ID = (
    f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id = $id RETURN {MAPPING_FIELDS}"
)

CREATE_MAPPING = (
    "MATCH (a:Level {code: $from_level}) MATCH (b:Level {code: $to_level}) "
    "CREATE (a)-[m:MAPS_TO]->(b) SET m += $props "
    f"RETURN {MAPPING_FIELDS}"
)

UPDATE_MAPPING = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id = $id SET m += $props "
    f"RETURN {MAPPING_FIELDS}"
)

DELETE_MAPPING = "MATCH (:Level)-[m:MAPS_TO]->(:Level) WHERE m.id = $id DELETE m"

# The administration whose grade scale a framework is (none for public frameworks).
SCALE_OWNERS = (
    "UNWIND $frameworks AS code MATCH (f:Framework {code: code}) "
    "OPTIONAL MATCH (a:Administration)-[:USES_SCALE]->(f) "
    "RETURN f.code AS framework, f.kind AS kind, a.code AS administration"
)

UPSERT_ADMINISTRATION = (
    "MERGE (a:Administration {code: $code}) SET a += $props, a.code_key = toLower($code) "
    "RETURN properties(a) AS node"
)

ADMINISTRATION = "MATCH (a:Administration {code: $code}) RETURN properties(a) AS node"

# One statement: the scale framework, its link to the administration, every level, and the
# removal of the levels no longer listed ($drop; an aggregate joins the parts, as in
# app/graph/cypher/institutions/courses.py).
UPSERT_SCALE = (
    "MATCH (a:Administration {code: $administration}) "
    "MERGE (f:Framework {code: $framework}) SET f += $framework_props, "
    "f.code_key = toLower($framework) "
    "MERGE (a)-[:USES_SCALE]->(f) "
    "SET a.scale = $framework "
    "WITH f UNWIND $levels AS level "
    "MERGE (l:Level {code: level.code}) SET l += level, l.code_key = toLower(level.code) "
    "MERGE (l)-[:IN_FRAMEWORK]->(f) "
    "WITH count(*) AS _ "
    "UNWIND $drop AS code MATCH (old:Level {code: code}) DETACH DELETE old "
    "WITH count(*) AS _ RETURN 1 AS done"
)

SCALE_LEVELS = (
    "MATCH (l:Level)-[:IN_FRAMEWORK]->(f:Framework {code: $framework}) "
    "OPTIONAL MATCH (l)-[m:MAPS_TO]-() "
    "RETURN l.code AS code, count(m) AS mappings ORDER BY code"
)


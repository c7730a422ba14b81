"""Queries over level-to-level mappings (``MAPS_TO``) and the levels they join."""

from __future__ import annotations

MAPPING_FIELDS = (
    "properties(m) AS mapping, a.code AS from_level, b.code AS to_level, "
    "a.framework AS from_framework, b.framework AS to_framework"
)

ALL_MAPPINGS = f"MATCH (a:Level)-[m:MAPS_TO]->(b:Level) RETURN {MAPPING_FIELDS}"

ALL_LEVELS = (
    "MATCH (l:Level) RETURN l.code AS code, l.name AS name, l.framework AS framework, "
    "l.ordinal AS ordinal, l.status AS status"
)

LEVEL_EXISTS = "MATCH (l:Level {code: $code}) RETURN l.code AS code"
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

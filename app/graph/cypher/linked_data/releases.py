"""Read queries of versioned releases: what a release must not lose against the previous one."""

from __future__ import annotations

# Level mappings per (from framework, to framework): a release refuses to shrink them silently.
MAPPING_COUNTS = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) "
    "RETURN a.framework AS from_framework, b.framework AS to_framework, count(m) AS total "
    "ORDER BY from_framework, to_framework"
)

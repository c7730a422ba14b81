"""Read queries of the linked-data export and of single-entity documents.

Bulk reads page by key (``code > $after`` on the indexed code, ``id > $after`` for mappings),
so each page costs the same however deep into the graph it is. Relationships are paged by
their source node: one page = the outgoing edges of up to ``$limit`` source nodes (a source
node without edges comes back once with null target, so the caller still advances).
Labels and types come only from the whitelists; every value is a parameter.
"""

from __future__ import annotations

from app.graph.labels import RELATIONSHIP_TYPES, NodeLabel

# Which property ties a node to a framework, for ``framework=`` filtered exports.
FRAMEWORK_KEY: dict[NodeLabel, str] = {NodeLabel.FRAMEWORK: "code", NodeLabel.LEVEL: "framework"}


def _framework_clause(label: NodeLabel, alias: str) -> str:
    key = FRAMEWORK_KEY.get(label)
    return f" AND ($framework IS NULL OR {alias}.{key} = $framework)" if key else ""


def node_page(label: NodeLabel) -> str:
    return (
        f"MATCH (n:{label.value}) WHERE n.code > $after{_framework_clause(label, 'n')} "
        "RETURN properties(n) AS props ORDER BY n.code LIMIT $limit"
    )


def relationship_page(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> str:
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"unknown relationship type {rel_type}")
    return (
        f"MATCH (a:{from_label.value}) WHERE a.code > $after"
        f"{_framework_clause(from_label, 'a')} WITH a ORDER BY a.code LIMIT $limit "
        f"OPTIONAL MATCH (a)-[r:{rel_type}]->(b:{to_label.value}) "
        "RETURN a.code AS from_code, b.code AS to_code, "
        "CASE WHEN r IS NULL THEN NULL ELSE properties(r) END AS props "
        "ORDER BY from_code, to_code"
    )


def count_nodes(label: NodeLabel) -> str:
    return (f"MATCH (n:{label.value}) WHERE true{_framework_clause(label, 'n')} "
            "RETURN count(n) AS total")


def count_relationships(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> str:
    if rel_type not in RELATIONSHIP_TYPES:
        raise ValueError(f"unknown relationship type {rel_type}")
    return (f"MATCH (a:{from_label.value})-[r:{rel_type}]->(:{to_label.value}) "
            f"WHERE true{_framework_clause(from_label, 'a')} RETURN count(r) AS total")


COUNT_MAPPINGS = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) "
    "WHERE $framework IS NULL OR a.framework = $framework OR b.framework = $framework "
    "RETURN count(m) AS total"
)

MAPPING_PAGE = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id > $after "
    "AND ($framework IS NULL OR a.framework = $framework OR b.framework = $framework) "
    "RETURN a.code AS from_code, b.code AS to_code, a.name AS from_name, b.name AS to_name, "
    "properties(m) AS props ORDER BY m.id LIMIT $limit"
)

# --- single-entity documents -------------------------------------------------------------

def node_props(label: NodeLabel) -> str:
    return f"MATCH (n:{label.value} {{code: $code}}) RETURN properties(n) AS props"


def outgoing(label: NodeLabel) -> str:
    return (
        f"MATCH (a:{label.value} {{code: $code}})-[r]->(b) WHERE type(r) <> 'MAPS_TO' "
        "RETURN type(r) AS type, labels(b)[0] AS other_label, b.code AS other_code, "
        "properties(r) AS props ORDER BY type, other_code"
    )


def incoming(label: NodeLabel) -> str:
    return (
        f"MATCH (b)-[r]->(a:{label.value} {{code: $code}}) WHERE type(r) <> 'MAPS_TO' "
        "RETURN type(r) AS type, labels(b)[0] AS other_label, b.code AS other_code "
        "ORDER BY type, other_code"
    )


# Two index-anchored halves: an OR over both ends would scan every mapping.
LEVEL_MAPPINGS = (
    "MATCH (a:Level {code: $code})-[m:MAPS_TO]->(b:Level) "
    "RETURN a.code AS from_code, b.code AS to_code, properties(m) AS props, m.id AS id "
    "UNION MATCH (a:Level)-[m:MAPS_TO]->(b:Level {code: $code}) "
    "RETURN a.code AS from_code, b.code AS to_code, properties(m) AS props, m.id AS id"
)
MAPPING_BY_ID = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id = $id "
    "RETURN a.code AS from_code, b.code AS to_code, properties(m) AS props"
)
FRAMEWORK_EXISTS = "MATCH (f:Framework {code: $code}) RETURN f.code AS code"

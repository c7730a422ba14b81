"""Read queries of the linked-data export and of single-entity documents.

Bulk reads page by key (``code > $after`` on the indexed code, ``id > $after`` for mappings),
so each page costs the same however deep into the graph it is. Relationships are paged by
their source node: one page = the outgoing edges of up to ``$limit`` source nodes (a source
node without edges comes back once with null target, so the caller still advances).
Labels and types come only from the whitelists; every value is a parameter.
"""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text, rel_text

# Which property ties a node to a framework, for ``framework=`` filtered exports.
FRAMEWORK_KEY: dict[NodeLabel, LiteralString] = {NodeLabel.FRAMEWORK: "code",
                                                  NodeLabel.LEVEL: "framework"}


def _framework_clause(label: NodeLabel, alias: LiteralString) -> LiteralString:
    key = FRAMEWORK_KEY.get(label)
    return f" AND ($framework IS NULL OR {alias}.{key} = $framework)" if key else ""


def node_page(label: NodeLabel) -> LiteralString:
    return (
        f"MATCH (n:{label_text(label)}) WHERE n.code > $after{_framework_clause(label, 'n')} "
        "RETURN properties(n) AS props ORDER BY n.code LIMIT $limit"
    )


def relationship_page(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> LiteralString:
    return (
        f"MATCH (a:{label_text(from_label)}) WHERE a.code > $after"
        f"{_framework_clause(from_label, 'a')} WITH a ORDER BY a.code LIMIT $limit "
        f"OPTIONAL MATCH (a)-[r:{rel_text(rel_type)}]->(b:{label_text(to_label)}) "
        "RETURN a.code AS from_code, b.code AS to_code, "
        "CASE WHEN r IS NULL THEN NULL ELSE properties(r) END AS props "
        "ORDER BY from_code, to_code"
    )


def count_nodes(label: NodeLabel) -> LiteralString:
    return (f"MATCH (n:{label_text(label)}) WHERE true{_framework_clause(label, 'n')} "
            "RETURN count(n) AS total")


def count_relationships(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> LiteralString:
    return (f"MATCH (a:{label_text(from_label)})-[r:{rel_text(rel_type)}]->"
            f"(:{label_text(to_label)}) "
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

def node_props(label: NodeLabel) -> LiteralString:
    return f"MATCH (n:{label_text(label)} {{code: $code}}) RETURN properties(n) AS props"


def outgoing(label: NodeLabel) -> LiteralString:
    return (
        f"MATCH (a:{label_text(label)} {{code: $code}})-[r]->(b) WHERE type(r) <> 'MAPS_TO' "
        "RETURN type(r) AS type, labels(b)[0] AS other_label, b.code AS other_code, "
        "properties(r) AS props ORDER BY type, other_code"
    )


def incoming(label: NodeLabel) -> LiteralString:
    return (
        f"MATCH (b)-[r]->(a:{label_text(label)} {{code: $code}}) WHERE type(r) <> 'MAPS_TO' "
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

# Competencies with no broader competency: the top concepts of their scheme.
TOP_COMPETENCY_PAGE = (
    "MATCH (c:Competency) WHERE c.code > $after "
    "OPTIONAL MATCH (c)-[b:BROADER]->(:Competency) WITH c, count(b) AS broader "
    "WHERE broader = 0 RETURN c.code AS code, c.group AS group ORDER BY c.code LIMIT $limit"
)
TOP_COMPETENCIES = (
    "MATCH (c:Competency) OPTIONAL MATCH (c)-[b:BROADER]->(:Competency) "
    "WITH c, count(b) AS broader WHERE broader = 0 "
    "RETURN c.code AS code, c.group AS group ORDER BY c.code"
)
PROFICIENCY_CODES = "MATCH (p:ProficiencyLevel) RETURN p.code AS code ORDER BY p.rank, p.code"


def codes_of(label: NodeLabel) -> LiteralString:
    """Every code of one kind (``label`` from the whitelist): a flat scheme's members."""
    return f"MATCH (n:{label_text(label)}) RETURN n.code AS code ORDER BY n.code"


MAPPING_IDS = "MATCH (:Level)-[m:MAPS_TO]->(:Level) RETURN m.id AS id ORDER BY m.id"


def statement(rel_type: str, from_label: NodeLabel, to_label: NodeLabel) -> LiteralString:
    """One qualified statement's properties (``rel_type`` from the whitelist)."""
    return (f"MATCH (a:{label_text(from_label)} {{code: $from}})-[r:{rel_text(rel_type)}]->"
            f"(b:{label_text(to_label)} {{code: $to}}) RETURN properties(r) AS props")


# --- sources: who cites each (document, publisher, year, url) ------------------------------

_SOURCE_COLUMNS = ("x.source_document AS document, x.source_publisher AS publisher, "
                   "x.source_year AS year, x.source_url AS url")


def node_sources(label: NodeLabel) -> LiteralString:
    return (f"MATCH (x:{label_text(label)}) WHERE x.source_document IS NOT NULL "
            f"RETURN x.code AS code, {_SOURCE_COLUMNS}")


def relationship_sources(rel_type: str, from_label: NodeLabel,
                         to_label: NodeLabel) -> LiteralString:
    return (f"MATCH (a:{label_text(from_label)})-[x:{rel_text(rel_type)}]->"
            f"(b:{label_text(to_label)}) "
            f"WHERE x.source_document IS NOT NULL "
            f"RETURN a.code AS from_code, b.code AS to_code, {_SOURCE_COLUMNS}")


MAPPING_SOURCES = (
    "MATCH (:Level)-[x:MAPS_TO]->(:Level) WHERE x.source_document IS NOT NULL "
    f"RETURN x.id AS id, {_SOURCE_COLUMNS}"
)

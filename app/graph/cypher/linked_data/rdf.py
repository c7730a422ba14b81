"""Read queries of the linked-data export and of single-entity documents.

Bulk reads page by key ranges: a first query returns the *bounds* (every ``$step``-th code
in code order, of the nodes, or of the source node of each edge), then each page reads one
range ``$lo <= code < $hi`` through the index on ``code``, so a page costs what it returns
however deep into the graph it is (paging by ``code > $after ORDER BY code LIMIT n`` sorted
every later node for each page: quadratic, most of a large export's time on FalkorDB).
Relationships are paged by their source node, so a page holds about ``$step`` edges and a
source's edges are never split between pages. Level mappings page by ``id``, read without
its index (the planner's index plan probes the edge index once per Level node).

FalkorDB's range index drops a ``<`` bound on a string parameter (FalkorDB/FalkorDB#2239:
it returns rows past the bound), so every upper bound is checked a second time on an
expression the index cannot serve (``code + ''``); Neo4j answers both alike.
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


_BOUNDS: LiteralString = (
    "WITH code ORDER BY code WITH collect(code) AS codes "
    "RETURN [i IN range(0, size(codes) - 1, $step) | codes[i]] AS bounds"
)


def _range(alias: LiteralString, last: bool) -> LiteralString:
    """``$lo <= alias.code < $hi`` (no upper bound on the last page)."""
    upper: LiteralString = "" if last else (f" AND {alias}.code < $hi "
                                            f"AND {alias}.code + '' < $hi")
    return f"{alias}.code >= $lo{upper}"


def node_bounds(label: NodeLabel) -> LiteralString:
    """The first code of each page of ``$step`` nodes, in code order."""
    return (f"MATCH (n:{label_text(label)}) WHERE true{_framework_clause(label, 'n')} "
            f"WITH n.code AS code {_BOUNDS}")


def node_page(label: NodeLabel, last: bool = False) -> LiteralString:
    return (
        f"MATCH (n:{label_text(label)}) WHERE {_range('n', last)}"
        f"{_framework_clause(label, 'n')} RETURN properties(n) AS props ORDER BY n.code"
    )


def relationship_bounds(rel_type: str, from_label: NodeLabel,
                        to_label: NodeLabel) -> LiteralString:
    """The source code starting each page of about ``$step`` edges (a source's edges stay on
    one page; no bounds when no such edge exists)."""
    return (f"MATCH (a:{label_text(from_label)})-[:{rel_text(rel_type)}]->"
            f"(:{label_text(to_label)}) WHERE true{_framework_clause(from_label, 'a')} "
            f"WITH a.code AS code {_BOUNDS}")


def relationship_page(rel_type: str, from_label: NodeLabel, to_label: NodeLabel,
                      last: bool = False) -> LiteralString:
    return (
        f"MATCH (a:{label_text(from_label)}) WHERE {_range('a', last)}"
        f"{_framework_clause(from_label, 'a')} "
        f"MATCH (a)-[r:{rel_text(rel_type)}]->(b:{label_text(to_label)}) "
        "RETURN a.code AS from_code, b.code AS to_code, properties(r) AS props "
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

# ``m.id + ''``: the index on m.id would be probed once per Level node (measured 2.5 s a page
# on 950 levels); a scan of the mappings is one pass.
MAPPING_PAGE = (
    "MATCH (a:Level)-[m:MAPS_TO]->(b:Level) WHERE m.id + '' > $after "
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

def top_competency_page(last: bool = False) -> LiteralString:
    """Competencies with no broader competency (the top concepts of their scheme), in one
    range of ``node_bounds(Competency)``."""
    return (
        f"MATCH (c:Competency) WHERE {_range('c', last)} "
        "OPTIONAL MATCH (c)-[b:BROADER]->(:Competency) WITH c, count(b) AS broader "
        "WHERE broader = 0 RETURN c.code AS code, c.group AS group ORDER BY c.code"
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

"""Read queries of the catalogue (frameworks, levels, competencies, profiles, ...).

Labels, relationship types and filter properties come only from the whitelists in
``app.domain.vocab`` and ``RELATIONS`` below; every value is a ``$parameter``. The same text
runs on FalkorDB and Neo4j: queries return ``properties(n)`` maps and named scalars, never
nodes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text, rel_text

# Properties a list endpoint may filter on by exact value, per label.
FILTERABLE: dict[NodeLabel, tuple[LiteralString, ...]] = {
    NodeLabel.FRAMEWORK: ("kind", "country", "referencing_status"),
    NodeLabel.COMPETENCY: ("group",),
    NodeLabel.JOB_PROFILE: ("administration", "domain", "generic_role"),
    NodeLabel.PICARD_STANDARD: ("kind", "version", "tier"),
    NodeLabel.OCCUPATION: ("kind",),
}

# Ordering inside lists: levels by their ordinal, everything else by code.
_ORDER: dict[NodeLabel, LiteralString] = {NodeLabel.LEVEL: "n.framework, n.ordinal, n.code"}

_TEXT_MATCH: LiteralString = (
    "($q IS NULL OR toLower(n.name) CONTAINS $q OR toLower(coalesce(n.description, '')) "
    "CONTAINS $q OR toLower(n.code) CONTAINS $q)"
)


def _where(label: NodeLabel, filters: tuple[str, ...]) -> LiteralString:
    own: tuple[LiteralString, ...] = ("framework",) if label is NodeLabel.LEVEL else ()
    allowed: tuple[LiteralString, ...] = FILTERABLE.get(label, ()) + own
    unknown = set(filters) - set(allowed)
    if unknown:
        raise ValueError(f"not filterable on {label}: {sorted(unknown)}")
    clauses: list[LiteralString] = ["($status IS NULL OR n.status = $status)", _TEXT_MATCH]
    clauses.extend(f"n.{prop} = ${prop}" for prop in allowed if filters.count(prop))
    return " AND ".join(clauses)


def list_nodes(label: NodeLabel, filters: tuple[str, ...] = ()) -> LiteralString:
    order = _ORDER.get(label, "n.code")
    return (
        f"MATCH (n:{label_text(label)}) WHERE {_where(label, filters)} "
        f"RETURN properties(n) AS node ORDER BY {order} SKIP $offset LIMIT $limit"
    )


def count_nodes(label: NodeLabel, filters: tuple[str, ...] = ()) -> LiteralString:
    return (f"MATCH (n:{label_text(label)}) WHERE {_where(label, filters)} "
            "RETURN count(n) AS total")


def get_node(label: NodeLabel) -> LiteralString:
    return f"MATCH (n:{label_text(label)} {{code: $code}}) RETURN properties(n) AS node"


_DIGITS: tuple[LiteralString, ...] = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")


def _numbered(prefix: LiteralString, i: int) -> LiteralString:
    """``r0``, ``m12``, ...: a variable name numbered in literal text."""
    return prefix + "".join(_DIGITS[int(d)] for d in str(i))


@dataclass(frozen=True)
class Relation:
    """One relationship shown on an entity's detail: ``name`` is the key in the response.
    Relationship properties come back prefixed ``r_`` so they never clash with the node's."""

    name: LiteralString
    rel_type: str
    outgoing: bool
    other: NodeLabel
    rel_props: tuple[LiteralString, ...] = ()

    def comprehension(self, i: int) -> LiteralString:
        """A pattern comprehension listing the related entities of ``n`` as maps. Its
        variables are numbered: FalkorDB scopes them across the whole statement."""
        left, right = ("-", "->") if self.outgoing else ("<-", "-")
        r, m = _numbered("r", i), _numbered("m", i)
        props = "".join(f", r_{p}: {r}.{p}" for p in self.rel_props)
        return (
            f"[(n){left}[{r}:{rel_text(self.rel_type)}]{right}({m}:{label_text(self.other)}) | "
            f"{{code: {m}.code, name: {m}.name, status: {m}.status{props}}}] AS {self.name}"
        )


_SOURCE = ("status", "source_document", "source_publisher", "source_year")
L = NodeLabel

RELATIONS: dict[NodeLabel, tuple[Relation, ...]] = {
    L.FRAMEWORK: (
        Relation("administrations", "USES_SCALE", False, L.ADMINISTRATION),
    ),
    L.LEVEL: (
        Relation("framework", "IN_FRAMEWORK", True, L.FRAMEWORK),
        Relation("job_profiles", "AT_LEVEL", False, L.JOB_PROFILE),
        Relation("programmes", "AT_LEVEL", False, L.PROGRAMME),
    ),
    L.COMPETENCY: (
        Relation("group", "IN_GROUP", True, L.COMPETENCY_GROUP),
        Relation("broader", "BROADER", True, L.COMPETENCY),
        Relation("narrower", "BROADER", False, L.COMPETENCY),
        Relation("required_by", "REQUIRES", False, L.JOB_PROFILE, ("proficiency",) + _SOURCE),
        Relation("drawn_on_by", "DRAWS_ON", False, L.PROFESSIONAL_TASK, _SOURCE),
        Relation("developed_by", "DEVELOPS", False, L.COURSE, ("proficiency", "review_status")),
    ),
    L.COMPETENCY_GROUP: (Relation("competencies", "IN_GROUP", False, L.COMPETENCY),),
    L.JOB_FAMILY: (
        Relation("job_profiles", "IN_FAMILY", False, L.JOB_PROFILE),
        Relation("tasks", "IN_FAMILY", False, L.PROFESSIONAL_TASK),
        Relation("occupations", "RELATED_OCCUPATION", True, L.OCCUPATION, _SOURCE),
    ),
    L.JOB_PROFILE: (
        Relation("family", "IN_FAMILY", True, L.JOB_FAMILY),
        Relation("level", "AT_LEVEL", True, L.LEVEL),
        Relation("domain", "IN_DOMAIN", True, L.FUNCTIONAL_DOMAIN),
        Relation("generic_role", "HAS_ROLE", True, L.GENERIC_ROLE),
        Relation("administration", "IN_ADMINISTRATION", True, L.ADMINISTRATION),
        Relation("requires", "REQUIRES", True, L.COMPETENCY, ("proficiency",) + _SOURCE),
        Relation("tasks", "PERFORMS", True, L.PROFESSIONAL_TASK, _SOURCE),
    ),
    L.PROFESSIONAL_TASK: (
        Relation("families", "IN_FAMILY", True, L.JOB_FAMILY),
        Relation("draws_on", "DRAWS_ON", True, L.COMPETENCY, _SOURCE),
        Relation("performed_by", "PERFORMS", False, L.JOB_PROFILE, _SOURCE),
    ),
    L.PICARD_STANDARD: (
        Relation("part_of", "PART_OF", True, L.PICARD_STANDARD),
        Relation("parts", "PART_OF", False, L.PICARD_STANDARD),
        Relation("aligned_courses", "ALIGNS_WITH", False, L.COURSE, ("review_status",)),
        Relation("recognised_programmes", "RECOGNISED_AGAINST", False, L.PROGRAMME,
                 ("date",) + _SOURCE),
    ),
    L.OCCUPATION: (
        Relation("isco_group", "IN_ISCO_GROUP", True, L.OCCUPATION),
        Relation("narrower", "IN_ISCO_GROUP", False, L.OCCUPATION),
        Relation("job_families", "RELATED_OCCUPATION", False, L.JOB_FAMILY),
    ),
    L.INSTITUTION: (Relation("programmes", "OFFERED_BY", False, L.PROGRAMME),),
    L.PROGRAMME: (
        Relation("institution", "OFFERED_BY", True, L.INSTITUTION),
        Relation("level", "AT_LEVEL", True, L.LEVEL),
        Relation("courses", "PART_OF", False, L.COURSE),
        Relation("recognised_against", "RECOGNISED_AGAINST", True, L.PICARD_STANDARD,
                 ("date",) + _SOURCE),
    ),
    L.ADMINISTRATION: (
        Relation("scale", "USES_SCALE", True, L.FRAMEWORK),
        Relation("job_profiles", "IN_ADMINISTRATION", False, L.JOB_PROFILE),
    ),
}

# Extra lists on a detail, beyond direct relationships.
_EXTRA: dict[NodeLabel, tuple[LiteralString, ...]] = {
    # Competency -> PICARD standards, through the courses that develop it and align with them.
    L.COMPETENCY: (
        "[(n)<-[:DEVELOPS]-(:Course)-[:ALIGNS_WITH]->(std:PicardStandard) | "
        "{code: std.code, name: std.name, status: std.status}] AS picard_standards",
    ),
    L.LEVEL: (
        "[(n)-[out:MAPS_TO]->(target:Level) | {mapping: properties(out), from_level: n.code, "
        "to_level: target.code}] AS mappings_out",
        "[(n)<-[inc:MAPS_TO]-(origin:Level) | {mapping: properties(inc), "
        "from_level: origin.code, to_level: n.code}] AS mappings_in",
    ),
}


def detail(label: NodeLabel) -> LiteralString:
    """One statement for an entity and everything its detail page lists: anchored on the
    ``code`` index, each relationship read as a pattern comprehension."""
    relations = RELATIONS.get(label, ())
    lists: list[LiteralString] = [r.comprehension(i) for i, r in enumerate(relations)]
    lists.extend(_EXTRA.get(label, ()))
    columns = "".join([f", {column}" for column in lists])
    return f"MATCH (n:{label_text(label)} {{code: $code}}) RETURN properties(n) AS node{columns}"


# Per framework: how many levels it has, and how many of them have an accepted mapping (either
# direction) to a level of the pivot framework (the EQF).
FRAMEWORK_LEVEL_COUNTS = (
    "UNWIND $codes AS code MATCH (l:Level) WHERE l.framework = code "
    "OPTIONAL MATCH (l)-[m:MAPS_TO]-(e:Level) "
    "WITH code, l, sum(CASE WHEN e.framework = $pivot AND m.review_status = $accepted "
    "THEN 1 ELSE 0 END) AS links "
    "RETURN code, count(l) AS levels, sum(CASE WHEN links > 0 THEN 1 ELSE 0 END) AS mapped"
)

NODE_COUNTS = "MATCH (n) RETURN labels(n)[0] AS label, count(n) AS total ORDER BY label"
REL_COUNTS = "MATCH ()-[r]->() RETURN type(r) AS type, count(r) AS total ORDER BY type"
# Service metadata (the fixed base IRI, locks) does not make a graph "not empty" for seeding.
ANY_NODE = ("MATCH (n) WHERE NOT n:ServiceMeta AND NOT n:ServiceLock "
            "RETURN n.code AS code LIMIT 1")

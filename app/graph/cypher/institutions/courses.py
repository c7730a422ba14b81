"""Institutions, programmes, courses and their mappings (DEVELOPS, ALIGNS_WITH).

A mapping upload is applied as ONE statement: course upserts, added/changed mappings and
removed mappings are chained ``UNWIND`` parts joined by ``WITH count(*) AS _`` (an aggregate
always yields one row, so an empty part does not stop the next). One statement is atomic on
FalkorDB (which has no multi-statement transactions) and on Neo4j.
"""

from __future__ import annotations

from typing import LiteralString

from app.domain.vocab import NodeLabel
from app.graph.cypher.identifiers import label_text, rel_text

INSTITUTION: LiteralString = "MATCH (i:Institution {code: $code}) RETURN properties(i) AS node"

UPSERT_INSTITUTION: LiteralString = (
    "MERGE (i:Institution {code: $code}) SET i += $props, i.code_key = toLower($code) "
    "RETURN properties(i) AS node"
)

PROGRAMME: LiteralString = "MATCH (p:Programme {code: $code}) RETURN properties(p) AS node"

PROGRAMMES_OF: LiteralString = (
    "MATCH (p:Programme) WHERE p.institution = $institution "
    "RETURN coalesce(p.local_code, p.code) AS code ORDER BY code"
)

UPSERT_PROGRAMME: LiteralString = (
    "MATCH (i:Institution {code: $institution}) "
    "MERGE (p:Programme {code: $code}) SET p += $props, p.code_key = toLower($code) "
    "MERGE (p)-[:OFFERED_BY]->(i) "
    "WITH p OPTIONAL MATCH (p)-[old:AT_LEVEL]->(:Level) DELETE old "
    "WITH DISTINCT p OPTIONAL MATCH (l:Level {code: $level}) "
    "FOREACH (_ IN CASE WHEN l IS NULL THEN [] ELSE [1] END | MERGE (p)-[:AT_LEVEL]->(l)) "
    "RETURN p.code AS code"
)

COURSES_OF_PROGRAMME: LiteralString = (
    "MATCH (c:Course)-[:PART_OF]->(p:Programme {code: $code}) RETURN c.code AS code"
)

DELETE_PROGRAMME: LiteralString = "MATCH (p:Programme {code: $code}) DETACH DELETE p"

COURSE: LiteralString = "MATCH (c:Course {code: $code}) RETURN properties(c) AS node"

DELETE_COURSE: LiteralString = "MATCH (c:Course {code: $code}) DETACH DELETE c"

COURSE_OWNERS: LiteralString = (
    "UNWIND $codes AS code MATCH (c:Course {code: code}) "
    "RETURN c.code AS code, c.institution AS institution, c.programme AS programme, "
    "c.name AS name, c.local_code AS local_code, c.review_status AS review_status, "
    "c.status AS status, c.reviewed_by AS reviewed_by, c.reviewed_at AS reviewed_at, "
    "c.review_reason AS review_reason"
)

def known_codes(label: NodeLabel) -> LiteralString:
    """Which of ``$codes`` exist under ``label`` (a whitelisted label)."""
    return (f"UNWIND $codes AS code MATCH (n:{label_text(label)} {{code: code}}) "
            "RETURN n.code AS code")


_CURRENT_RETURN = (
    "RETURN c.code AS course, t.code AS target, r.proficiency AS proficiency, "
    "r.evidence AS evidence, r.assessment AS assessment, r.review_status AS review_status, "
    "r.reviewed_by AS reviewed_by, r.reviewed_at AS reviewed_at, r.review_reason AS review_reason, "
    "r.status AS status"
)

CURRENT_DEVELOPS: LiteralString = (
    "MATCH (c:Course)-[r:DEVELOPS]->(t:Competency) WHERE c.institution = $institution "
    "AND ($courses IS NULL OR c.code IN $courses) " + _CURRENT_RETURN
)

CURRENT_ALIGNS: LiteralString = (
    "MATCH (c:Course)-[r:ALIGNS_WITH]->(t:PicardStandard) WHERE c.institution = $institution "
    "AND ($courses IS NULL OR c.code IN $courses) " + _CURRENT_RETURN
)

APPLY_MAPPINGS: LiteralString = (
    "UNWIND $courses AS c "
    "MATCH (p:Programme {code: c.programme}) "
    "MERGE (n:Course {code: c.code}) SET n += c.props, n.code_key = toLower(c.code) "
    "MERGE (n)-[:PART_OF]->(p) "
    "WITH n, c OPTIONAL MATCH (n)-[old:PART_OF]->(q:Programme) WHERE q.code <> c.programme "
    "DELETE old "
    "WITH count(*) AS _ "
    "UNWIND $develops AS row "
    "MATCH (n:Course {code: row.course}) MATCH (t:Competency {code: row.target}) "
    "MERGE (n)-[r:DEVELOPS]->(t) SET r += row.props "
    "WITH count(*) AS _ "
    "UNWIND $aligns AS row "
    "MATCH (n:Course {code: row.course}) MATCH (t:PicardStandard {code: row.target}) "
    "MERGE (n)-[r:ALIGNS_WITH]->(t) SET r += row.props "
    "WITH count(*) AS _ "
    "UNWIND $remove_develops AS row "
    "MATCH (:Course {code: row.course})-[r:DEVELOPS]->(:Competency {code: row.target}) "
    "DELETE r "
    "WITH count(*) AS _ "
    "UNWIND $remove_aligns AS row "
    "MATCH (:Course {code: row.course})-[r:ALIGNS_WITH]->(:PicardStandard {code: row.target}) "
    "DELETE r "
    "WITH count(*) AS _ RETURN 1 AS done"
)

# Reviews -------------------------------------------------------------------------------

_MAPPING_FIELDS = (
    "c.code AS course, c.institution AS institution, t.code AS target, t.name AS target_name, "
    "r.proficiency AS proficiency, r.evidence AS evidence, r.assessment AS assessment, "
    "r.review_status AS review_status, r.review_reason AS review_reason, "
    "r.reviewed_by AS reviewed_by, r.reviewed_at AS reviewed_at, r.status AS status, "
    "r.asserted_by AS asserted_by"
)

_REVIEW_FILTER = (
    "WHERE ($institution IS NULL OR c.institution = $institution) "
    "AND ($review_status IS NULL OR r.review_status = $review_status) "
)


def list_mappings(rel_type: str) -> LiteralString:
    target = _TARGETS[rel_type]
    return (f"MATCH (c:Course)-[r:{rel_text(rel_type)}]->(t:{target}) " + _REVIEW_FILTER
            + f"RETURN {_MAPPING_FIELDS} ORDER BY course, target")


def review_mapping(rel_type: str) -> LiteralString:
    target = _TARGETS[rel_type]
    return (
        f"MATCH (c:Course {{code: $course}})-[r:{rel_text(rel_type)}]->"
        f"(t:{target} {{code: $target}}) "
        "WITH c, r, t, properties(r) AS before SET r += $props "
        f"RETURN before, {_MAPPING_FIELDS}"
    )


def review_mapping_before(rel_type: str) -> LiteralString:
    target = _TARGETS[rel_type]
    return (f"MATCH (c:Course {{code: $course}})-[r:{rel_text(rel_type)}]->"
            f"(t:{target} {{code: $target}}) "
            "RETURN properties(r) AS before, c.institution AS institution")


_TARGETS: dict[str, LiteralString] = {"DEVELOPS": label_text(NodeLabel.COMPETENCY),
                                      "ALIGNS_WITH": label_text(NodeLabel.PICARD_STANDARD)}


def review_node_before(label: NodeLabel) -> LiteralString:
    if label not in (NodeLabel.PROGRAMME, NodeLabel.COURSE):
        raise ValueError(f"{label} is not reviewable")
    return (f"MATCH (n:{label_text(label)} {{code: $code}}) WHERE n.institution = $institution "
            "AND ($programme IS NULL OR n.programme = $programme) "
            "RETURN properties(n) AS before")


def review_node(label: NodeLabel) -> LiteralString:
    """Set the review state of a Programme or Course (whitelisted label)."""
    if label not in (NodeLabel.PROGRAMME, NodeLabel.COURSE):
        raise ValueError(f"{label} is not reviewable")
    return (
        f"MATCH (n:{label_text(label)} {{code: $code}}) WHERE n.institution = $institution "
        "AND ($programme IS NULL OR n.programme = $programme) "
        "WITH n, properties(n) AS before SET n += $props "
        "RETURN before, n.code AS code, n.review_status AS review_status, "
        "n.review_reason AS review_reason, n.status AS status"
    )

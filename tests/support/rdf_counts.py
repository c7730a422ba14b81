"""How many triples the export of a graph must hold, counted from the graph itself: one
whole read per label, relationship type and property (no paging, no writers)."""

from __future__ import annotations

import re
from typing import Any

from app.domain.vocab import CATALOGUE_LABELS
from app.graph.port import GraphStore
from app.rdf import schemes, triples
from app.rdf.ontology import level_alignments
from app.rdf.terms import is_web_iri

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_SRC = ("source_document", "source_publisher", "source_year", "source_url")


def _values(value: Any, kind: str) -> int:
    values = value if isinstance(value, list) else [value]
    values = [v for v in values if v is not None and v != ""]
    if kind == "iri":
        values = [v for v in values if is_web_iri(str(v))]
    if kind == "date":
        values = [v for v in values if _DATE.match(str(v))]
    return len(set(map(str, values)))


def _fields(props: dict[str, Any], table: Any) -> int:
    return sum(_values(props.get(key), kind) for key, _, kind in table)


def _source(props: dict[str, Any], sources: set[tuple[Any, ...]]) -> int:
    if not props.get("source_document"):
        return 0
    sources.add(tuple(props.get(k) for k in _SRC))
    return 1


# SKOS schemes: each minted scheme has type, notation, English name and definition, publisher
# (ESCO's also rdfs:seeAlso); a competency or proficiency level is in one scheme; a level,
# a proficiency level and a competency without a broader one are top concepts (both ways);
# every other concept kind is in the flat scheme of its kind, as a top concept (both ways).
SCHEME_TRIPLES = len(schemes.SCHEMES) * 5 + 1
IN_SCHEME = {"Competency": 1, "ProficiencyLevel": 1 + 2,
             **{label.value: 1 + 2 for label in schemes.FLAT_SCHEMES}}


def expected_data_triples(store: GraphStore) -> int:
    total, sources = SCHEME_TRIPLES, set()  # type: ignore[var-annotated]
    total += 2 * store.read("MATCH (c:Competency) WHERE NOT (c)-[:BROADER]->(:Competency) "
                            "RETURN count(c) AS n")[0]["n"]
    total += 2 * store.read("MATCH (:Level)-[r:IN_FRAMEWORK]->(:Framework) "
                            "RETURN count(r) AS n")[0]["n"]
    aligned = level_alignments()
    for label in CATALOGUE_LABELS:
        for row in store.read(f"MATCH (n:{label.value}) RETURN properties(n) AS p"):
            p = row["p"]
            total += 1 + (label in triples.SKOS_TYPE) + _source(p, sources)
            total += IN_SCHEME.get(label.value, 0)
            total += _fields(p, triples.COMMON + triples.PROPERTIES.get(label, ()))
            if label.value == "Level":
                total += len(aligned.get(p["code"], []))
    for rel_type, (_, ends, reified) in triples.RELATIONSHIPS.items():
        for a, b in ends:
            rows = store.read(f"MATCH (:{a.value})-[r:{rel_type}]->(:{b.value}) "
                              "RETURN properties(r) AS p")
            total += len(rows)
            if reified:
                for row in rows:
                    total += 4 + bool(row["p"].get("proficiency")) + _source(row["p"], sources)
                    total += _fields(row["p"], triples.QUALIFIERS)
    rows = store.read("MATCH (a:Level)-[m:MAPS_TO]->(b:Level) "
                      "RETURN a.code AS a, b.code AS b, properties(m) AS p")
    total += len({(r["a"], r["p"]["match_type"], r["b"]) for r in rows})
    for row in rows:
        total += 4 + _fields(row["p"], triples.MAPPING_FIELDS) + _source(row["p"], sources)
        reviewed = row["p"].get("reviewed_at") or row["p"].get("date")
        total += bool(row["p"].get("review_status") in triples.REVIEWED and reviewed)
        total += bool(row["p"].get("evidence_quote"))
    for src in sources:
        total += 1 + sum(1 for i, v in enumerate(src) if v not in (None, "") and
                         (i != 3 or is_web_iri(str(v))))
    return total

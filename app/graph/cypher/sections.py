"""Several reads in one statement: each read's rows collected under a name.

A read model is built from a few independent reads (profiles, competencies, labels, course
offers; mappings, levels, frameworks). On Neo4j each statement is a round trip over the
network, so the reads go as one statement there (issue 23.4):

    CALL { CALL { <read 1> } RETURN collect({code: code, ...}) AS profiles }
    CALL { CALL { <read 2> } RETURN collect({...}) AS competencies }
    RETURN profiles, competencies

Each outer ``CALL`` aggregates without a grouping key, so it yields exactly one row even when
its read finds nothing, and the rows keep their read's order (``ORDER BY`` inside). On the
embedded store the reads stay separate statements (a local round trip costs a fraction of a
millisecond, and FalkorDB plans aggregates inside ``CALL`` less well: see
``app/graph/cypher/operations/graph_state.py``); ``app.graph.sections`` chooses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import LiteralString


@dataclass(frozen=True)
class Section:
    """One read of a combined statement: its rows come back under ``name``, as maps of
    ``columns`` (every column its ``RETURN`` names). ``neo4j``: another text of the same
    read that Neo4j plans faster (the statement is planned whole, and planning is most of a
    first load's time on a busy server)."""

    name: LiteralString
    query: LiteralString
    columns: tuple[LiteralString, ...]
    neo4j: LiteralString | None = None


def one_statement(sections: tuple[Section, ...]) -> LiteralString:
    """The sections as one statement returning one row, a list of maps per section."""
    calls: list[LiteralString] = []
    for section in sections:
        fields = ", ".join([f"{column}: {column}" for column in section.columns])
        query = section.neo4j or section.query
        calls.append(f"CALL {{ CALL {{ {query} }} "
                     f"RETURN collect({{{fields}}}) AS {section.name} }} ")
    names = ", ".join([section.name for section in sections])
    return "".join(calls) + "RETURN " + names

"""One statement for a write and its audit entry: ``audited(query)`` extends a write query so
that the same statement creates the ``AuditEntry`` -- both exist or neither (one statement is
atomic on FalkorDB, which has no multi-statement transactions, and on Neo4j).

The same statement also sets the state token of every part of the graph the write touched
(``$audit_parts``, ``ServiceMeta`` nodes ``part:<name>``, see ``app.domain.parts``) to the
entry's code: kept answers resting on other parts stay valid, in every worker.

The entry is created once, and only when the write produced rows (a query with ``RETURN``
returns the same rows as before; one without ``RETURN`` counts the rows it touched):

    <write> WITH collect({a: x, b: y}) AS __rows WHERE size(__rows) > 0
    CREATE (:AuditEntry {...}) WITH __rows UNWIND __rows AS __row
    RETURN __row.a AS a, __row.b AS b

A ``RETURN`` with an aggregate already yields one row: it becomes a ``WITH`` of the same
items, then the entry, then the items again. The entry's values are ``$audit_*`` parameters.
"""

from __future__ import annotations

import re
from functools import cache
from typing import LiteralString, cast

# How long the audit trail is: every audited write adds one entry, so a read model's change
# signature (``app.graph.refresh_cache.counts``) counts it beside what the model is built from.
AUDIT_COUNT: LiteralString = "MATCH (a:AuditEntry) RETURN count(a) AS n"

AUDIT_FIELDS = ("code", "at", "key_id", "role", "action", "target_kind", "target_code",
                "owner", "before", "after")
_CREATE = ("CREATE (:AuditEntry {"
           + ", ".join(f"{f}: $audit_{f}" for f in AUDIT_FIELDS) + "}) "
           "FOREACH (__part IN $audit_parts | MERGE (__state:ServiceMeta {code: __part}) "
           "SET __state.value = $audit_code)")
_AGGREGATE = re.compile(r"\b(count|collect|sum|min|max|avg)\s*\(", re.IGNORECASE)
_ALIAS = re.compile(r"^(?P<expr>.+?)\s+AS\s+(?P<alias>[A-Za-z_][A-Za-z0-9_]*)$", re.S)
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _top_level(text: str, needle: str) -> list[int]:
    """Positions of ``needle`` outside brackets and string literals."""
    depth, quote = 0, ""
    found: list[int] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 2
                continue
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and text.startswith(needle, i):
            found.append(i)
        i += 1
    return found


def _items(clause: str) -> list[tuple[str, str]]:
    starts = [0] + [p + 1 for p in _top_level(clause, ",")]
    ends = [p for p in _top_level(clause, ",")] + [len(clause)]
    items: list[tuple[str, str]] = []
    for start, end in zip(starts, ends, strict=True):
        item = clause[start:end].strip()
        match = _ALIAS.match(item)
        if match:
            items.append((match["expr"].strip(), match["alias"]))
        elif _NAME.match(item):
            items.append((item, item))
        else:
            raise ValueError(f"an audited RETURN item needs an alias: {item!r}")
    return items


@cache
def audited(query: LiteralString) -> LiteralString:
    """``query`` with its audit entry created in the same statement. The result is spliced
    only from ``query`` itself and fixed text, so it is as literal as ``query`` (the type
    checker cannot follow the splicing, hence the one cast)."""
    return cast(LiteralString, _audited(query))


def _audited(query: str) -> str:
    returns = _top_level(query, " RETURN ")
    if not returns:
        return f"{query} WITH count(*) AS __changed WHERE __changed > 0 {_CREATE}"
    head, clause = query[: returns[-1]], query[returns[-1] + len(" RETURN "):]
    if re.search(r"\b(ORDER BY|SKIP|LIMIT)\b", clause, re.IGNORECASE):
        raise ValueError("an audited write may not order or page its RETURN")
    items = _items(clause)
    aliases = ", ".join(alias for _, alias in items)
    if _AGGREGATE.search(clause):
        projected = ", ".join(f"{expr} AS {alias}" for expr, alias in items)
        return f"{head} WITH {projected} {_CREATE} RETURN {aliases}"
    row = ", ".join(f"{alias}: {expr}" for expr, alias in items)
    back = ", ".join(f"__row.{alias} AS {alias}" for _, alias in items)
    return (f"{head} WITH collect({{{row}}}) AS __rows WHERE size(__rows) > 0 {_CREATE} "
            f"WITH __rows UNWIND __rows AS __row RETURN {back}")

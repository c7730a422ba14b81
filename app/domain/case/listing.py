"""``getAllCFDocuments``'s query parameters, as the 1EdTech REST binding uses them:

- ``limit`` (at least 1; CASE 1.0 gives 100 as the default) and ``offset`` (at least 0);
- ``sort`` names a CFDocument field, ``orderBy`` is ``asc`` or ``desc``;
- ``filter``: predicates ``field OP 'value'`` (OP one of ``= != > >= < <= ~``, ``~`` being
  a case-insensitive "contains"), joined by ``AND`` or by ``OR`` (not both in one filter);
- ``fields``: the CFDocument fields to send (comma-separated or repeated). The fields each
  version's schema *requires* are always sent, so every answer stays a valid CFDocument.

Filter, then sort, then page, then select fields; the total (``X-Total-Count``) counts what
the filter kept. Every bad parameter is reported at once: ``invalid_sort_field`` for a sort
field the version does not define, ``invalid_selection_field`` for everything else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from app.domain.case.errors import CaseError, Minor, Sentence
from app.domain.text import N_

MAX_INT32 = 2**31 - 1
DEFAULT_LIMIT = 100
_PREDICATE = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*(!=|>=|<=|=|>|<|~)\s*'([^']*)'\s*")
_LOGICAL = re.compile(r"(AND|OR)\b", re.IGNORECASE)
Record = dict[str, Any]


@dataclass(frozen=True)
class Predicate:
    field: str
    op: str
    value: str

    def holds(self, record: Record) -> bool:
        value: Any = record.get(self.field)
        values = (cast(list[Any], value) if isinstance(value, list) else [] if value is None
                  else [value])
        return any(_compare(str(v), self.op, self.value) for v in values
                   if not isinstance(v, dict))


def _compare(left: str, op: str, right: str) -> bool:
    if op == "~":
        return right.casefold() in left.casefold()
    return {"=": left == right, "!=": left != right, ">": left > right, ">=": left >= right,
            "<": left < right, "<=": left <= right}[op]


@dataclass(frozen=True)
class Filter:
    predicates: tuple[Predicate, ...]
    any_of: bool  # OR when true, AND otherwise

    def holds(self, record: Record) -> bool:
        test = any if self.any_of else all
        return test(p.holds(record) for p in self.predicates)


@dataclass(frozen=True)
class ListQuery:
    limit: int = DEFAULT_LIMIT
    offset: int = 0
    sort: str | None = None
    descending: bool = False
    filter: Filter | None = None
    fields: frozenset[str] | None = None

    def apply(self, records: Sequence[Record],
              required: frozenset[str]) -> tuple[list[Record], int]:
        """The page of records this query selects, and how many the filter kept."""
        kept = [r for r in records if self.filter is None or self.filter.holds(r)]
        if self.sort is not None:
            field = self.sort
            present = [r for r in kept if _sortable(r.get(field)) is not None]
            absent = [r for r in kept if _sortable(r.get(field)) is None]
            present.sort(key=lambda r: _sortable(r.get(field)) or "", reverse=self.descending)
            kept = present + absent  # records without the field come last either way
        elif self.descending:
            kept = kept[::-1]
        page = kept[self.offset:self.offset + self.limit]
        if self.fields is not None:
            keep = self.fields | required
            page = [{k: v for k, v in r.items() if k in keep} for r in page]
        return page, len(kept)


def _sortable(value: Any) -> str | None:
    first: Any = cast(list[Any], value)[0] if isinstance(value, list) and value else (
        None if isinstance(value, list) else value)
    shown: Any = cast(dict[str, Any], first).get("title") if isinstance(first, dict) else first
    return None if shown is None else str(shown)


def _integer(name: str, raw: str | None, default: int, least: int,
             problems: list[tuple[str, Minor]], reasons: list[Sentence]) -> int:
    if raw is None:
        return default
    if not re.fullmatch(r"\+?\d{1,10}", raw.strip()) or not least <= int(raw) <= MAX_INT32:
        problems.append((name, Minor.INVALID_SELECTION_FIELD))
        reasons.append((N_("%(name)s must be an integer from %(least)s to %(most)s"),
                        {"name": name, "least": least, "most": MAX_INT32}))
        return default
    return int(raw)


def parse_filter(text: str, known: Callable[[str], bool],
                 problems: list[tuple[str, Minor]], reasons: list[Sentence]) -> Filter | None:
    predicates: list[Predicate] = []
    logic: set[str] = set()
    rest = text
    while True:
        match = _PREDICATE.match(rest)
        if not match:
            problems.append(("filter", Minor.INVALID_SELECTION_FIELD))
            reasons.append((N_("filter must be predicates field OP 'value' joined by AND or OR"),
                            None))
            return None
        field, op, value = match.groups()
        if not known(field):
            problems.append(("filter", Minor.INVALID_SELECTION_FIELD))
            reasons.append((N_("filter names '%(field)s', which is not a filterable CFDocument "
                               "field"), {"field": field}))
        predicates.append(Predicate(field, op, value))
        rest = rest[match.end():]
        if not rest.strip():
            break
        joined = _LOGICAL.match(rest)
        if not joined:
            problems.append(("filter", Minor.INVALID_SELECTION_FIELD))
            reasons.append((N_("filter predicates must be joined by AND or OR"), None))
            return None
        logic.add(joined.group(1).upper())
        rest = rest[joined.end():]
    if len(logic) > 1:
        problems.append(("filter", Minor.INVALID_SELECTION_FIELD))
        reasons.append((N_("a filter may join its predicates with AND or with OR, not both"),
                        None))
        return None
    return Filter(tuple(predicates), logic == {"OR"})


def parse(params: dict[str, Any], fields: frozenset[str], scalar: frozenset[str]) -> ListQuery:
    """Read the parameters (``fields`` a list of raw values, the others strings or None)
    against the version's CFDocument ``fields``, of which ``scalar`` may be filtered and
    sorted on. Raises one ``CaseError`` (400) naming every bad parameter."""
    problems: list[tuple[str, Minor]] = []
    reasons: list[Sentence] = []
    limit = _integer("limit", params.get("limit"), DEFAULT_LIMIT, 1, problems, reasons)
    offset = _integer("offset", params.get("offset"), 0, 0, problems, reasons)
    sort = params.get("sort")
    if sort is not None and sort not in scalar:
        problems.append(("sort", Minor.INVALID_SORT_FIELD))
        reasons.append((N_("sort names '%(sort)s', which is not a sortable CFDocument field"),
                        {"sort": sort[:60]}))
    order = params.get("orderBy")
    if order is not None and order not in ("asc", "desc"):
        problems.append(("orderBy", Minor.INVALID_SELECTION_FIELD))
        reasons.append((N_("orderBy must be asc or desc"), None))
    text = params.get("filter")
    where = None
    if text is not None:
        where = parse_filter(text, scalar.__contains__, problems, reasons)
    selected = None
    raw_fields = params.get("fields")
    if raw_fields:
        names = {n.strip() for raw in raw_fields for n in raw.split(",") if n.strip()}
        unknown = sorted(names - fields)
        if unknown or not names:
            problems.append(("fields", Minor.INVALID_SELECTION_FIELD))
            reasons.append((N_("fields names no CFDocument field"), None) if not names else
                           (N_("fields names unknown CFDocument fields: %(names)s"),
                            {"names": ", ".join(u[:60] for u in unknown[:10])}))
        selected = frozenset(names & fields)
    if problems:
        (first, values), *also = reasons
        raise CaseError(400, first, problems, values, also)
    return ListQuery(limit, offset, sort, order == "desc", where, selected)

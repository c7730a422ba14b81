"""Course mappings asserted by an institution: parsing an upload, validating every row, and
the difference against what the graph holds. Pure: no store, no framework.

A mapping is one row ``(course, kind, target)``: ``develops`` (course -> competency, with a
proficiency, evidence and assessment) or ``aligns_with`` (course -> PICARD standard element).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from app.domain import json_input
from app.domain.errors import FieldProblem, InvalidInput
from app.domain.identity import course_key, local_code
from app.domain.text import N_

CSV_COLUMNS = ("programme", "course", "course_name", "kind", "target", "proficiency",
               "evidence", "assessment")
REQUIRED = ("programme", "course", "kind", "target")
KINDS = ("develops", "aligns_with")
# A code an institution owns or a row names (the one definition: the API's schema states it,
# ``app.api.params.OWN_CODE``), at most MAX_CODE characters.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$"
MAX_CODE = 100
CODE = re.compile(CODE_PATTERN)
MAX_TEXT = 2000
MAX_NAME = 300
# What a mapping asserts; a change in any of these re-opens its review.
CONTENT = ("proficiency", "evidence", "assessment")


@dataclass(frozen=True)
class MappingRow:
    """One clean row. ``programme`` and ``course`` are the institution's own codes;
    ``course_id`` is the course's scoped key (``app.domain.identity``)."""

    line: int
    programme: str
    course: str
    course_name: str | None
    kind: str
    target: str
    proficiency: str | None
    evidence: str | None
    assessment: str | None
    course_id: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.course_id, self.kind, self.target)

    def content(self) -> dict[str, str | None]:
        return {"proficiency": self.proficiency, "evidence": self.evidence,
                "assessment": self.assessment}


@dataclass(frozen=True)
class Reference:
    """What the graph knows that the rows are checked against. Codes are typed in any case:
    each map goes from the code's lower-case form to the stored (canonical) code."""

    institution: str
    programmes: Mapping[str, str]  # this institution's programmes' own codes
    competencies: Mapping[str, str]
    standards: Mapping[str, str]
    proficiencies: tuple[str, ...]  # in scale order (aware ... expert)
    # existing courses' keys, folded
    courses: Mapping[str, str] = field(default_factory=dict[str, str])

    def course_id(self, programme: str, course: str) -> str:
        """The stored key of the institution's course, or the key a new one gets."""
        typed = course_key(self.institution, programme, course)
        return self.courses.get(typed.lower(), typed)

    @staticmethod
    def folded(codes: Iterable[str]) -> dict[str, str]:
        return {c.lower(): c for c in sorted(codes, reverse=True)}


@dataclass
class Diff:
    added: list[MappingRow] = field(default_factory=list[MappingRow])
    changed: list[MappingRow] = field(default_factory=list[MappingRow])
    removed: list[tuple[str, str, str]] = field(default_factory=list[tuple[str, str, str]])
    unchanged: int = 0

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed),
                "removed": len(self.removed), "unchanged": self.unchanged}


class TooManyRows(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(f"{limit} rows")
        self.limit = limit


def _clean(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


UNREADABLE = N_("the upload could not be read")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput([FieldProblem("body", N_("the file is not UTF-8 (byte %(byte)s)"),
                                         params={"byte": exc.start})],
                           UNREADABLE) from exc


def parse_csv(data: bytes, max_rows: int) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a CSV upload as (line number, raw fields); comma or semicolon separated."""
    text = _decode(data)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS]
    if missing or unknown:
        problems = [FieldProblem("header", N_("missing column"), c, line=1, column=c)
                    for c in missing]
        problems += [FieldProblem("header", N_("unknown column"), c, line=1, column=c)
                     for c in unknown]
        raise InvalidInput(problems, N_("the header names the wrong columns"))
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, Any]]] = []
    line = 1
    try:
        for raw in reader:
            if len(rows) >= max_rows:
                raise TooManyRows(max_rows)
            start, line = line + 1, reader.line_num
            if not any((v or "").strip() for k, v in raw.items() if k is not None):
                continue
            rows.append((start, raw))
    except csv.Error as exc:  # a cell past the csv module's limit, or a stray NUL
        raise InvalidInput([_unreadable_row(str(exc), line + 1)], UNREADABLE) from exc
    return rows


def _unreadable_row(error: str, line: int) -> FieldProblem:
    if "field larger than field limit" in error:
        limit = csv.field_size_limit()
        return FieldProblem(f"line {line}", N_("a cell is longer than %(limit)s characters; "
                                               "cells hold at most %(most)s"),
                            line=line, params={"limit": f"{limit:,}", "most": f"{MAX_TEXT:,}"})
    return FieldProblem(f"line {line}", N_("the row cannot be read as CSV"), line=line)


def parse_json(data: bytes, max_rows: int) -> list[tuple[int, dict[str, Any]]]:
    """Rows of a JSON upload: a list of objects, or ``{"rows": [...]}``; numbered from 1."""
    try:
        doc = json_input.loads(_decode(data))
    except json_input.MalformedJson as exc:
        raise InvalidInput([FieldProblem(
            "body", N_("not valid JSON at line %(line)s, column %(column)s"), line=exc.line,
            params={"line": exc.line, "column": exc.column})], UNREADABLE) from exc
    parsed: object = doc
    items: object = (cast(dict[str, Any], parsed).get("rows") if isinstance(parsed, dict)
                     else parsed)
    if not isinstance(items, list):
        raise InvalidInput([FieldProblem("body", N_('expected a list of rows or {"rows": [...]}'))])
    listed = cast(list[Any], items)
    if len(listed) > max_rows:
        raise TooManyRows(max_rows)
    return [(n, item if isinstance(item, dict) else {"__not_an_object__": True})
            for n, item in enumerate(listed, start=1)]


def _check_row(line: int, raw: dict[str, Any], ref: Reference,
               problems: list[FieldProblem]) -> MappingRow | None:
    def bad(column: str, message: str, value: Any = None,
            params: dict[str, object] | None = None) -> None:
        problems.append(FieldProblem(f"line {line}, {column}", message, value, line, column,
                                     params))

    if raw.get("__not_an_object__"):
        bad("row", N_("expected an object with the mapping's fields"))
        return None
    unknown = [k for k in raw if k is not None and k not in CSV_COLUMNS]  # pyright: ignore[reportUnnecessaryComparison]  (csv.DictReader files surplus cells under None)
    for name in unknown:
        bad(str(name), N_("unknown field"))
    if None in raw:  # pyright: ignore[reportUnnecessaryContains]  (the surplus cells, above)
        bad("row", N_("more cells than the header has columns"))
    row = {c: _clean(raw.get(c)) for c in CSV_COLUMNS}
    before = len(problems)
    for column in REQUIRED:
        if row[column] is None:
            bad(column, N_("missing value"))
    for column in ("programme", "course", "target"):
        code = row[column]
        if code and (len(code) > MAX_CODE or not CODE.match(code)):
            bad(column, N_("not a valid code"), code)
    for column, limit in (("course_name", MAX_NAME), ("evidence", MAX_TEXT),
                          ("assessment", MAX_TEXT)):
        text = row[column]
        if text and len(text) > limit:
            bad(column, N_("longer than %(limit)s characters"), params={"limit": limit})
    kind = (row["kind"] or "").lower() or None
    if kind and kind not in KINDS:
        bad("kind", N_("expected one of %(kinds)s"), row["kind"], {"kinds": ", ".join(KINDS)})
    programme = ref.programmes.get((row["programme"] or "").lower())
    if row["programme"] and programme is None:
        bad("programme", N_("no programme with this code at institution %(institution)s"),
            row["programme"], {"institution": ref.institution})
    course_id = ref.course_id(programme or row["programme"] or "", row["course"] or "")
    course = local_code(course_id)
    target, proficiency = row["target"], row["proficiency"]
    if kind == "develops":
        target = ref.competencies.get((target or "").lower())
        if row["target"] and target is None:
            bad("target", N_("unknown competency code"), row["target"])
        if proficiency is None:
            bad("proficiency", N_("missing value: a develops row needs a proficiency"))
        elif proficiency.lower() not in ref.proficiencies:
            bad("proficiency", N_("proficiency out of scale (expected one of %(scale)s)"),
                proficiency, {"scale": ", ".join(ref.proficiencies)})
        else:
            proficiency = proficiency.lower()
    elif kind == "aligns_with":
        target = ref.standards.get((target or "").lower())
        if row["target"] and target is None:
            bad("target", N_("unknown PICARD standard code"), row["target"])
        if proficiency is not None:
            bad("proficiency", N_("an aligns_with row takes no proficiency"), proficiency)
    if len(problems) > before:
        return None
    # every missing or unknown value was reported above, so none is None here
    assert programme is not None and kind is not None and target is not None
    return MappingRow(line, programme, course, row["course_name"], kind,
                      target, proficiency, row["evidence"], row["assessment"], course_id)


def validate(rows: Iterable[tuple[int, dict[str, Any]]], ref: Reference) -> list[MappingRow]:
    """Every row checked; ``InvalidInput`` lists every bad row, else the clean rows."""
    rows = list(rows)
    problems: list[FieldProblem] = []
    clean: list[MappingRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    first_line: dict[str, int] = {}
    # A course named on any row (even a bad one) is not also reported nameless: each bad row
    # is reported once, for its own reason. (A course is its programme's: the same code under
    # two programmes is two courses.)
    named: set[str] = set()
    for _, raw in rows:
        programme, course = _clean(raw.get("programme")), _clean(raw.get("course"))
        if programme and course and _clean(raw.get("course_name")):
            programme = ref.programmes.get(programme.lower(), programme)
            named.add(ref.course_id(programme, course).lower())
    for line, raw in rows:
        row = _check_row(line, raw, ref, problems)
        if row is None:
            continue
        if row.key in seen:
            problems.append(FieldProblem(
                f"line {line}, row", N_("duplicate row: same course, kind and target as line "
                                        "%(first)s"), None, line, "row",
                {"first": seen[row.key]}))
            continue
        first_line.setdefault(row.course_id, line)
        seen[row.key] = line
        clean.append(row)
    existing = set(ref.courses.values())
    for course, line in first_line.items():
        if course not in existing and course.lower() not in named:
            problems.append(FieldProblem(f"line {line}, course_name",
                                         N_("missing value: a new course needs a name"), None,
                                         line, "course_name"))
    if problems:
        problems.sort(key=lambda p: (p.line or 0))
        raise InvalidInput(problems, N_("some rows are wrong (each is listed); nothing was "
                                        "written"))
    return clean


def diff(rows: list[MappingRow], current: Mapping[tuple[str, str, str], Mapping[str, Any]],
         scope: set[str] | None = None) -> Diff:
    """Compare the file with the stored mappings. ``current`` holds the stored mappings in
    scope; stored mappings the file no longer lists are removed (within ``scope`` courses
    when given, else all of ``current``)."""
    result = Diff()
    listed: set[tuple[str, str, str]] = set()
    for row in rows:
        listed.add(row.key)
        stored = current.get(row.key)
        if stored is None:
            result.added.append(row)
        elif any(stored.get(k) != v for k, v in row.content().items()):
            result.changed.append(row)
        else:
            result.unchanged += 1
    result.removed = sorted(k for k in current if k not in listed
                            and (scope is None or k[0] in scope))
    return result

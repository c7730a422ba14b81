"""A request the schema refuses, said in the user's terms: the field as they wrote it (``from``,
``min_coverage``, ``develops › item 1 › proficiency``), what it accepts and an example, never a
regular expression or a validator's phrase ("String should match pattern '^[A-Za-z]{2}$'").

What a field accepts is read from the OpenAPI document (the schema the route states: range,
pattern, enumeration, length), so the words and the document cannot disagree. A pattern is
named by the table below; a pattern missing from it is described generically (and the unit
test ``tests/unit/test_validation_words.py`` fails for any pattern of the document without
words). Every message is a msgid with placeholders, worded in the request's language by
``app.api.problems``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi.exceptions import RequestValidationError

from app.api import params
from app.domain.errors import FieldProblem, InvalidInput, item, where
from app.domain.portability.proficiency import PROFICIENCY_ACCEPTED, PROFICIENCY_CHOICES
from app.domain.text import N_

_PARTS = ("body", "query", "path", "header", "cookie")

# pattern -> (what it accepts, an example)
PATTERNS: dict[str, tuple[str, str]] = {
    params.NO_NUL: (N_("text without the NUL character"), "customs"),
    params.SOME_TEXT: (N_("text of at least one character, without the NUL character"), "EQF"),
    "^[A-Za-z]{2}$": (N_("a two-letter country code (ISO 3166-1), in any case"), "DK"),
    params.LEVEL_CODE: (N_("a level as FRAMEWORK:LEVEL or FRAMEWORK/LEVEL"), "EQF:6"),
    params.FRAMEWORK_CODE: (N_("a framework code: letters, digits, _ and -, starting with a "
                               "letter"), "IE-NFQ"),
    params.OWN_CODE: (N_("a code of letters, digits and . _ : -, starting with a letter or "
                         "a digit"), "BSC-CUSTOMS"),
    params.PADDED_CODE: (N_("a code of letters, digits and . _ : -, starting with a letter "
                            "or a digit"), "CRS-01"),
    params.any_case("develops"): (N_("develops, in any case"), "develops"),
    params.any_case("develops", "aligns_with"): (N_("develops or aligns_with, in any case"),
                                                 "aligns_with"),
    params.BLANK: (N_("nothing (or only blanks)"), ""),
    params.SEARCHABLE: (N_("text with at least one letter or digit, without the NUL "
                           "character"), "customs"),
    params.NOT_BLANK: (N_("text that is not blank"), "the descriptors match"),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$": (N_("a date as YYYY-MM-DD"), "2024-06-30"),
    params.WEB_URL: (N_("a web address starting with http:// or https://"),
                     "https://example.org/course"),
    r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$": (N_("a language tag such as fr or en-GB"), "fr"),
    params.LANGUAGE_TAG: (N_("a language tag such as fr or en-GB"), "fr"),
    r"^\d+\.\d+(\.\d+)?$": (N_("a release version such as 1.2 or 1.2.3"), "1.0"),
    params.LEVEL_OF_FRAMEWORK: (N_("a level code of letters, digits and . _ + -"), "6"),
    "^[0-9]+$": (N_("digits only"), "1"),
    # the CASE 1.1 schemas' own (answers, and the bodies they describe)
    r"(ext:)[a-zA-Z0-9\.\-_]+": (N_("an extension name starting with ext:"), "ext:alignsWith"),
    "[0-9a-f]{8}-[0-9a-f]{4}-[1-5]{1}[0-9a-f]{3}-[8-9a-b]{1}[0-9a-f]{3}-[0-9a-f]{12}": (
        N_("a UUID"), "3fa85f64-5717-4562-b3fc-2c963f66afa6"),
    r"^[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20]+$": (N_("a URI"), "https://example.org/item"),
}
# patterns too long to key: recognised by how they start
PATTERN_STARTS: tuple[tuple[str, tuple[str, str]], ...] = (
    (r"^( *[A-Za-z][A-Za-z0-9_-]* *[:/]", (N_("a level as FRAMEWORK:LEVEL or FRAMEWORK/LEVEL, "
                                              "or a programme as programme:CODE"), "DK-NQF:6")),
    (r"^\ufeff?[ \t]*(programme", (N_("a CSV file whose first line names its columns"),
                                   "programme,course,course_name,kind,target,proficiency")),
    ("^(admin|reviewer|", (N_("admin, reviewer, institution:CODE or administration:CODE"),
                           "institution:INCU-X")),
    (r"^(\s*(adoptionStatus", (N_("a CASE filter: FIELD OPERATOR 'value', joined by AND or "
                                  "OR"), "title~'customs'")),
    (r"^(\s*,)*\s*(CFPackageURI", (N_("CASE field names separated by commas"), "title")),
)
_CHOICES = re.compile(r"^\^\(?([A-Za-z_]+(?:\|[A-Za-z_]+)*)\)?\$$")


def pattern_words(pattern: str) -> tuple[str, dict[str, object], str] | None:
    """What a pattern accepts (msgid, its values) and an example, or None if unknown."""
    if pattern == params.PROFICIENCY:
        return PROFICIENCY_ACCEPTED, dict(PROFICIENCY_CHOICES), "trained"
    if pattern in PATTERNS:
        accepted, example = PATTERNS[pattern]
        return accepted, {}, example
    for start, (accepted, example) in PATTERN_STARTS:
        if pattern.startswith(start):
            return accepted, {}, example
    choices = _CHOICES.match(pattern)
    if choices:
        words = choices[1].split("|")
        return N_("one of %(choices)s"), {"choices": ", ".join(words)}, words[0]
    return None


def _resolve(spec: Mapping[str, Any], node: Mapping[str, Any] | None) -> Mapping[str, Any]:
    seen = 0
    while node is not None and "$ref" in node and seen < 20:
        node = spec["components"]["schemas"].get(str(node["$ref"]).rsplit("/", 1)[1])
        seen += 1
    node = node or {}
    options = [_resolve(spec, o) for o in node.get("anyOf", [])]
    real = [o for o in options if o.get("type") != "null"]
    if len(real) == 1:
        return {**real[0], **{k: v for k, v in node.items() if k != "anyOf"}}
    return node


def field_schema(spec: Mapping[str, Any], route: str | None, method: str,
                 loc: Sequence[Any]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """The schema of the field at ``loc`` and of the object holding it ({} when unknown)."""
    operation = spec.get("paths", {}).get(route or "", {}).get(method.lower(), {})
    if not loc or not operation:
        return {}, {}
    part, rest = loc[0], list(loc[1:])
    node: Mapping[str, Any] = {}
    parent: Mapping[str, Any] = {}
    if part == "body":
        content = (operation.get("requestBody") or {}).get("content", {})
        node = _resolve(spec, (content.get("application/json") or {}).get("schema"))
    elif rest:
        name = rest.pop(0)
        found = [p for p in operation.get("parameters", [])
                 if p.get("name") == name and p.get("in") == part]
        node = _resolve(spec, found[0].get("schema") if found else None)
    for key in rest:
        parent = node
        if isinstance(key, int):
            node = _resolve(spec, node.get("items"))
        else:
            extra = node.get("additionalProperties")
            node = _resolve(spec, node.get("properties", {}).get(key)
                            or (extra if isinstance(extra, dict) else None))
    return node, parent


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def accepted_of(schema: Mapping[str, Any]) -> tuple[str, dict[str, object], str] | None:
    """What a field accepts, in words (msgid and values), and an example."""
    kind = schema.get("type")
    if "enum" in schema:
        choices = [str(c) for c in schema["enum"]]
        return N_("one of %(choices)s"), {"choices": ", ".join(choices)}, choices[0]
    if kind == "boolean":
        return N_("true or false"), {}, "true"
    if kind in ("integer", "number"):
        return _range(schema, kind == "integer")
    if kind == "string" or "pattern" in schema:
        if "pattern" in schema:
            words = pattern_words(str(schema["pattern"]))
            if words is not None:
                return _with_length(schema, *words)
        return _with_length(schema, N_("text"), {}, str(schema.get("example", "text")))
    if kind == "array":
        return N_("a list"), {}, "[]"
    if kind == "object":
        return N_("an object"), {}, "{}"
    return None


def _range(schema: Mapping[str, Any], whole: bool) -> tuple[str, dict[str, object], str]:
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    default = schema.get("default")
    if low is not None and high is not None:
        words = N_("a whole number from %(low)s to %(high)s") if whole else \
            N_("a number from %(low)s to %(high)s")
        middle = (low + high) / 2
        example = default if isinstance(default, int | float) and default != low else (
            int(middle) if whole else middle)
        return words, {"low": _number(low), "high": _number(high)}, _number(example)
    if low is not None:
        words = N_("a whole number of at least %(low)s") if whole else \
            N_("a number of at least %(low)s")
        return words, {"low": _number(low)}, _number(default if default is not None else low)
    if high is not None:
        words = N_("a whole number of at most %(high)s") if whole else \
            N_("a number of at most %(high)s")
        return words, {"high": _number(high)}, _number(default if default is not None else high)
    return (N_("a whole number") if whole else N_("a number")), {}, "1"


def _with_length(schema: Mapping[str, Any], words: str, values: dict[str, object],
                 example: str) -> tuple[str, dict[str, object], str]:
    longest = schema.get("maxLength")
    if longest is None:
        return words, values, example
    # the words of the form, then the length: one msgid per shape, placeholders for the rest
    return (N_("%(form)s, at most %(longest)s characters"),
            {"form": (words, values), "longest": longest}, example)


def explain(error: Mapping[str, Any], spec: Mapping[str, Any], route: str | None,
            method: str) -> FieldProblem:
    """One pydantic error as a FieldProblem in the user's terms."""
    loc = tuple(error.get("loc", ()))
    location = _location(loc)
    kind = str(error.get("type", ""))
    schema, parent = field_schema(spec, route, method, loc)
    if kind == "extra_forbidden":
        fields = sorted(parent.get("properties", {})) if parent else []
        if not fields:
            fields = sorted(field_schema(spec, route, method, loc[:-1])[0].get("properties", {}))
        return FieldProblem(location, N_("not a field of this request; the fields are "
                                         "%(fields)s"), params={"fields": ", ".join(fields)})
    value = error.get("input") if kind != "missing" else None
    described = accepted_of(schema)
    if described is None:  # a rule the schema cannot state (a validator's own check)
        message = str(error.get("msg", "")).removeprefix("Value error, ")
        return FieldProblem(location, message, value if _plain(value) else None)
    accepted, values, example = described
    message = N_("required: %(accepted)s, e.g. %(example)s") if kind == "missing" else \
        N_("%(accepted)s, e.g. %(example)s")
    custom = _validator_message(error)
    if custom:
        message = N_("%(reason)s; accepted: %(accepted)s, e.g. %(example)s")
        values = {**values, "reason": (custom, {})}  # a msgid (N_) is worded too
    return FieldProblem(location, message, value if _plain(value) else None,
                        params={**values, "example": example}, accepted=accepted,
                        example=example)


def _validator_message(error: Mapping[str, Any]) -> str | None:
    """A date check's or a model validator's own sentence (``Value error, ...``)."""
    if error.get("type") != "value_error":
        return None
    return str(error.get("msg", "")).removeprefix("Value error, ") or None


def _plain(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _location(loc: tuple[Any, ...]) -> str:
    """``develops › item 1 › proficiency`` for ``("body", "develops", 0, "proficiency")``."""
    parts = list(loc[1:] if loc and loc[0] in _PARTS and len(loc) > 1 else loc)
    return where(*(item(p + 1) if isinstance(p, int) else p for p in parts))


def as_invalid_input(exc: RequestValidationError, spec: Mapping[str, Any] | None = None,
                     route: str | None = None, method: str = "GET") -> InvalidInput:
    """Every problem of the request, in one answer (pydantic reports them all at once)."""
    problems = [explain(e, spec or {}, route, method) for e in exc.errors()]
    return InvalidInput(problems, summary=N_("the request has invalid values"))

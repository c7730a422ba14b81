"""JSON as the service accepts it, from a request body or an upload.

JSON parsers are lenient where the graph and the answers cannot be: Python's reads ``NaN``,
``Infinity`` and ``1e999`` (an infinite float), keeps a lone surrogate (``"\\ud800"``, which no
store can encode) and recurses as deep as the document goes. Here each of these is refused,
naming where it is in the user's terms (``min_step_coverage``, ``rows › item 3 › course``),
every problem of the document in one answer:

- text that is not JSON: :class:`MalformedJson` (400), with its line and column;
- a number that is not finite, a lone surrogate in a text or a name, a value nested deeper
  than :data:`MAX_DEPTH`: :class:`~app.domain.errors.InvalidInput` (422).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from typing import Any, ClassVar, cast

from app.domain.errors import DomainError, FieldProblem, InvalidInput, item, where
from app.domain.text import N_

MAX_DEPTH = 64
MAX_PROBLEMS = 50  # a document with more bad values is named by its first fifty
_SURROGATE = re.compile("[\ud800-\udfff]")


class _NonFinite(float):
    """A number JSON wrote that is no finite number (``NaN``, ``Infinity``, ``1e999``)."""

    written: str

    def __new__(cls, written: str) -> _NonFinite:
        number = super().__new__(cls, "nan")
        number.written = written
        return number


@dataclass
class MalformedJson(DomainError):
    """The body is not JSON at all (400, as the OpenAPI document says)."""

    message: str
    line: int
    column: int
    slug: ClassVar[str] = "malformed-json"
    status: ClassVar[int] = 400
    title: ClassVar[str] = N_("Malformed JSON")

    def __str__(self) -> str:
        return self.problem.text

    @property
    def problem(self) -> FieldProblem:
        return FieldProblem("body", N_("not valid JSON at line %(line)s, column %(column)s"),
                            line=self.line, params={"line": self.line, "column": self.column})

    def members(self) -> dict[str, object]:
        return {"errors": [{"location": "body", "message": self.problem.text,
                            "line": self.line, "column": self.column,
                            "reason": self.message}]}


def _number(text: str) -> float:
    value = float(text)
    return _NonFinite(text) if value in (float("inf"), float("-inf")) else value


def loads(data: bytes | str) -> Any:
    """The document in ``data``, or the error naming everything wrong with it."""
    try:
        text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    except UnicodeDecodeError as exc:
        raise InvalidInput([FieldProblem("body", N_("the body is not UTF-8 text"))],
                           N_("the body could not be read")) from exc
    try:
        doc = json.loads(text, parse_constant=_NonFinite, parse_float=_number)
    except json.JSONDecodeError as exc:
        raise MalformedJson(exc.msg, exc.lineno, exc.colno) from exc
    except RecursionError as exc:
        raise InvalidInput([_too_deep()], _SUMMARY) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise InvalidInput([FieldProblem("body", N_("a number is too long"))], _SUMMARY) from exc
    problems = check(doc)
    if problems:
        raise InvalidInput(problems, _SUMMARY)
    return doc


_SUMMARY = N_("the body has values the service cannot take")


def _too_deep() -> FieldProblem:
    return FieldProblem("body", N_("nested deeper than %(depth)s levels"),
                        params={"depth": MAX_DEPTH})


def check(doc: object) -> list[FieldProblem]:
    """Every non-finite number, lone surrogate and too-deep value in ``doc``, by location."""
    problems: list[FieldProblem] = []
    stack: list[tuple[object, tuple[object, ...]]] = [(doc, ())]
    while stack and len(problems) < MAX_PROBLEMS:
        value, path = stack.pop()
        if len(path) > MAX_DEPTH:
            problems.append(replace(_too_deep(), location=_where(path[:MAX_DEPTH])))
            continue
        if isinstance(value, _NonFinite):
            problems.append(FieldProblem(
                _where(path), N_("a number must be finite, e.g. 0.5 (not %(written)s)"),
                value.written, params={"written": value.written}))
        elif isinstance(value, str):
            if _SURROGATE.search(value):
                problems.append(FieldProblem(_where(path), _SURROGATE_MESSAGE))
        elif isinstance(value, dict):
            for name, item in reversed(list(cast(dict[str, object], value).items())):
                if _SURROGATE.search(name):
                    problems.append(FieldProblem(_where((*path, "name")), _SURROGATE_MESSAGE))
                stack.append((item, (*path, name)))
        elif isinstance(value, list):
            items = cast(list[object], value)
            stack.extend((item, (*path, n)) for n, item in reversed(list(enumerate(items))))
    return problems


_SURROGATE_MESSAGE = N_("the text holds a lone surrogate (an escape such as \\ud800 that "
                         "is half of a character); send the whole character")


def _where(path: tuple[object, ...]) -> str:
    if not path:
        return "body"
    return where(*(item(p + 1) if isinstance(p, int) else p for p in path))

"""Domain errors, each naming its problem once: the stable slug clients branch on, the
status and the title. The API renders them as RFC 9457 problem+json and the explorer as its
error pages, both from these attributes (``app.api.problems``), so the two never disagree
about what an error is; nothing else of HTTP is known here."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, cast

from app.domain.text import ADDRESS_WORDS, N_

Gettext = Callable[[str], str]


class DomainError(Exception):
    """Base of every error a client caused and may fix.

    Its sentence is a msgid with ``%(name)s`` placeholders and their values (``words``), so
    each language words it from its catalogue (``said``); ``str()`` is the English."""

    slug: ClassVar[str] = "bad-request"
    status: ClassVar[int] = 400
    title: ClassVar[str] = N_("Bad request")

    def members(self) -> dict[str, object]:
        """Facts of the problem beyond its detail sentence (problem+json extension members)."""
        return {}

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        """The sentence's msgid and its values (a value may be a ``(msgid, values)`` pair)."""
        return Exception.__str__(self), None

    def said(self, gettext: Gettext = str) -> str:
        """The sentence in the language of ``gettext`` (English by default)."""
        return say(*self.words(), gettext)

    def __str__(self) -> str:
        return self.said()


@dataclass
class NotFound(DomainError):
    kind: str
    code: str
    slug: ClassVar[str] = "not-found"
    status: ClassVar[int] = 404
    title: ClassVar[str] = N_("Not found")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return N_("no %(kind)s with code '%(code)s'"), {
            "kind": (ADDRESS_WORDS.get(self.kind, self.kind), None), "code": self.code}

    def members(self) -> dict[str, object]:
        return {"kind": self.kind, "code": self.code}


@dataclass
class UnknownKind(NotFound):
    """An address names a kind of entity the service does not have (``/id/nonsense/x``)."""

    allowed: tuple[str, ...] = ()

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return (N_("unknown kind '%(kind)s'; expected one of %(allowed)s"),
                {"kind": self.kind, "allowed": ", ".join(self.allowed)})


@dataclass
class Forbidden(DomainError):
    """The caller's key is valid but does not own the target. The message never says whether
    the target exists."""

    reason: str = N_("this key may not change this resource")
    slug: ClassVar[str] = "forbidden"
    status: ClassVar[int] = 403
    title: ClassVar[str] = N_("Forbidden")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return self.reason, None


@dataclass
class Unauthorized(DomainError):
    """No key, an unknown key or a revoked key."""

    reason: str = N_("a valid API key is required (X-API-Key or Authorization: Bearer)")
    slug: ClassVar[str] = "unauthorized"
    status: ClassVar[int] = 401
    title: ClassVar[str] = N_("Unauthorized")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return self.reason, None


@dataclass
class PayloadTooLarge(DomainError):
    """An upload exceeds an explicit limit (bytes or rows)."""

    limit: str  # a number and its unit: "10 MB", "5000 rows", "1048576 bytes"
    what: str = N_("the upload")
    slug: ClassVar[str] = "payload-too-large"
    status: ClassVar[int] = 413
    title: ClassVar[str] = N_("Payload too large")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        amount, _, unit = self.limit.partition(" ")
        limit: object = (LIMIT_UNITS[unit], {"n": amount}) if unit in LIMIT_UNITS else self.limit
        return N_("%(what)s exceeds the limit of %(limit)s"), {"what": (self.what, None),
                                                                "limit": limit}

    def members(self) -> dict[str, object]:
        return {"limit": self.limit}


@dataclass
class Conflict(DomainError):
    """The request is well-formed but contradicts the stored state."""

    reason: str  # a msgid, filled with ``params``
    params: Mapping[str, object] | None = field(default=None, kw_only=True)
    slug: ClassVar[str] = "conflict"
    status: ClassVar[int] = 409
    title: ClassVar[str] = N_("Conflict")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return self.reason, self.params


LIMIT_UNITS = {"MB": N_("%(n)s MB"), "rows": N_("%(n)s rows"), "bytes": N_("%(n)s bytes")}


@dataclass
class RateLimited(DomainError):
    """Too many requests of one cost class from one client (key or address) in the window."""

    cost: str
    retry_after: int
    slug: ClassVar[str] = "rate-limited"
    status: ClassVar[int] = 429
    title: ClassVar[str] = N_("Too many requests")

    def words(self) -> tuple[str, Mapping[str, object] | None]:
        return (N_("the limit of requests of this kind (%(cost)s) was reached; retry in "
                   "%(seconds)s s"), {"cost": (COST_WORDS.get(self.cost, self.cost), None),
                                      "seconds": self.retry_after})


COST_WORDS = {"lookups": N_("look-ups"), "queries": N_("questions"), "writes": N_("changes")}


TAKEN = N_("a record with this code already exists (codes are unique in any letter case)")


@dataclass
class CodeTaken(Conflict):
    """A write names a new record by a code that an existing record has in another case."""

    reason: str = TAKEN
    label: str = ""
    code: str = ""
    existing: str = ""

    def members(self) -> dict[str, object]:
        return {"kind": self.label, "code": self.code, "existing_code": self.existing}


@dataclass
class LevelsClash(Conflict):
    """A grade scale's levels clash: two of the body's levels have one code (in any letter
    case), or a level the new scale leaves out still has mappings. ``levels`` names them."""

    levels: tuple[str, ...] = ()

    def members(self) -> dict[str, object]:
        return {"levels": list(self.levels)}


SAME_LEVEL = N_("two levels of the scale have the same code (codes are unique in any letter "
                "case)")
LEVEL_MAPPED = N_("a level the scale leaves out has mappings; retract them before removing "
                  "the level")


@dataclass
class Busy(Conflict):
    """Work that may not interleave with this request is in progress (another upload of the
    same institution): nothing was done; retry after ``retry_after`` seconds."""

    retry_after: int = 5
    slug: ClassVar[str] = "busy"
    title: ClassVar[str] = N_("Busy")

    def members(self) -> dict[str, object]:
        return {"retry_after": self.retry_after}


WHERE_SEPARATOR = " › "
ITEM = N_("item %(n)s")
_ITEM = re.compile(r"item (\d+)")


def where(*parts: object) -> str:
    """A location in the user's terms: ``competencies › OPS-P99``, never an internal path."""
    return WHERE_SEPARATOR.join(str(p) for p in parts if p not in (None, ""))


class Location(str):
    """A location given as a message's value (``the same target as develops › item 2``):
    worded in the reader's language like the problem's own location."""

    __slots__ = ()


def item(n: int) -> str:
    """The ``n``-th entry of a list, counted from 1, as a location's part (``item 2``); worded
    in the reader's language when the location is shown (``located``)."""
    return ITEM % {"n": n}


def located(location: str, gettext: Callable[[str], str] = str) -> str:
    """``location`` in the language of ``gettext``: its list entries (``item 2``) worded
    there; field names stay as the request spelt them."""
    if gettext is str:
        return location
    return WHERE_SEPARATOR.join(
        gettext(ITEM) % {"n": found[1]} if (found := _ITEM.fullmatch(part)) else part
        for part in location.split(WHERE_SEPARATOR))


@dataclass(frozen=True)
class FieldProblem:
    """One offending input: where it is (field path or row/column) and what is wrong.

    With ``params``, ``message`` is a msgid with ``%(name)s`` placeholders (``N_``), so each
    language words it from its catalogue; ``text`` is the English sentence."""

    location: str
    message: str
    value: object | None = None
    line: int | None = None  # uploads: the file's line (CSV) or row number (JSON), from 1
    column: str | None = None  # uploads: the column or field name
    params: Mapping[str, object] | None = None
    accepted: str | None = None  # what the field takes, in words (a msgid, with ``params``)
    example: str | None = None  # a value the field takes

    @property
    def text(self) -> str:
        return self.said()

    def said(self, gettext: Callable[[str], str] = str) -> str:
        """The message in the language of ``gettext`` (English by default)."""
        values = dict(self.params or {})
        if self.accepted:
            values["accepted"] = say(self.accepted, self.params, gettext)
        return say(self.message, values, gettext)

    def render(self, gettext: Callable[[str], str] = str) -> dict[str, object]:
        """The problem as an ``errors`` item of problem+json."""
        return {"location": located(self.location, gettext), "message": self.said(gettext),
                **({"accepted": say(self.accepted, self.params, gettext)} if self.accepted
                   else {}),
                **({"example": self.example} if self.example is not None else {}),
                **({"value": self.value} if isinstance(self.value, str | int | float)
                   else {}),
                **({"line": self.line} if self.line is not None else {}),
                **({"column": self.column} if self.column is not None else {})}


def say(message: str, params: Mapping[str, object] | None,
        gettext: Callable[[str], str] = str) -> str:
    """``message`` (a msgid) worded by ``gettext`` and filled with ``params``; a value that is
    a ``(msgid, params)`` pair is worded the same way first."""
    if not params:
        return gettext(message)
    values = {k: say(*cast(tuple[str, Mapping[str, object]], v), gettext)
              if isinstance(v, tuple) else located(v, gettext) if isinstance(v, Location)
              else v for k, v in params.items()}
    return gettext(message) % values


def out_of_range(location: str, value: object, low: float, high: float, example: float,
                 whole: bool = False) -> FieldProblem:
    """A number outside its range, said as the schema's words say it (one msgid each)."""
    accepted = (N_("a whole number from %(low)s to %(high)s") if whole
                else N_("a number from %(low)s to %(high)s"))
    shown = f"{example:g}"
    return FieldProblem(location, N_("%(accepted)s, e.g. %(example)s"), value,
                        params={"low": f"{low:g}", "high": f"{high:g}", "example": shown},
                        accepted=accepted, example=shown)


@dataclass
class InvalidInput(DomainError):
    problems: list[FieldProblem] = field(default_factory=list[FieldProblem])
    summary: str = N_("the request has invalid values")
    slug: ClassVar[str] = "invalid-request"
    status: ClassVar[int] = 422
    title: ClassVar[str] = N_("Invalid request")

    def __str__(self) -> str:
        return f"{self.summary}: " + "; ".join(f"{p.location}: {p.text}" for p in self.problems)

    def members(self) -> dict[str, object]:
        return {"errors": [p.render() for p in self.problems]}

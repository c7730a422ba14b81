"""Domain errors. The API layer renders each as RFC 9457 problem+json in one place, so no
HTTP concept leaks below it."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.domain.text import N_


class DomainError(Exception):
    """Base of every error a client caused and may fix."""


@dataclass
class NotFound(DomainError):
    kind: str
    code: str

    def __str__(self) -> str:
        return f"no {self.kind} with code '{self.code}'"


@dataclass
class UnknownKind(NotFound):
    """An address names a kind of entity the service does not have (``/id/nonsense/x``)."""

    allowed: tuple[str, ...] = ()

    def __str__(self) -> str:
        return f"unknown kind '{self.kind}'; expected one of {', '.join(self.allowed)}"


@dataclass
class Forbidden(DomainError):
    """The caller's key is valid but does not own the target. The message never says whether
    the target exists."""

    reason: str = "this key may not change this resource"

    def __str__(self) -> str:
        return self.reason


@dataclass
class Unauthorized(DomainError):
    """No key, an unknown key or a revoked key."""

    reason: str = "a valid API key is required (X-API-Key or Authorization: Bearer)"

    def __str__(self) -> str:
        return self.reason


@dataclass
class PayloadTooLarge(DomainError):
    """An upload exceeds an explicit limit (bytes or rows)."""

    limit: str

    def __str__(self) -> str:
        return f"the upload exceeds the limit of {self.limit}"


@dataclass
class Conflict(DomainError):
    """The request is well-formed but contradicts the stored state."""

    reason: str

    def __str__(self) -> str:
        return self.reason


WHERE_SEPARATOR = " › "


def where(*parts: object) -> str:
    """A location in the user's terms: ``competencies › OPS-P99``, never an internal path."""
    return WHERE_SEPARATOR.join(str(p) for p in parts if p not in (None, ""))


@dataclass(frozen=True)
class FieldProblem:
    """One offending input: where it is (field path or row/column) and what is wrong."""

    location: str
    message: str
    value: object | None = None
    line: int | None = None  # uploads: the file's line (CSV) or row number (JSON), from 1
    column: str | None = None  # uploads: the column or field name


@dataclass
class InvalidInput(DomainError):
    problems: list[FieldProblem] = field(default_factory=list)
    summary: str = N_("the request has invalid values")

    def __str__(self) -> str:
        return f"{self.summary}: " + "; ".join(f"{p.location}: {p.message}" for p in self.problems)

"""Domain errors. The API layer renders each as RFC 9457 problem+json in one place, so no
HTTP concept leaks below it."""

from __future__ import annotations

from dataclasses import dataclass, field


class DomainError(Exception):
    """Base of every error a client caused and may fix."""


@dataclass
class NotFound(DomainError):
    kind: str
    code: str

    def __str__(self) -> str:
        return f"no {self.kind} with code '{self.code}'"


@dataclass(frozen=True)
class FieldProblem:
    """One offending input: where it is (field path or row/column) and what is wrong."""

    location: str
    message: str
    value: object | None = None


@dataclass
class InvalidInput(DomainError):
    problems: list[FieldProblem] = field(default_factory=list)
    summary: str = "the request has invalid values"

    def __str__(self) -> str:
        return f"{self.summary}: " + "; ".join(f"{p.location}: {p.message}" for p in self.problems)

"""CASE errors, named once for both versions; each version's serialiser spells the code
(``invaliduuid`` in 1.0, ``invalid_uuid`` in 1.1) and renders the ``imsx_StatusInfo``."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class Minor(Enum):
    """The ``imsx_codeMinorFieldValue`` kinds both versions define."""

    UNKNOWN_OBJECT = "unknownobject"
    INVALID_UUID = "invalid_uuid"
    INVALID_SELECTION_FIELD = "invalid_selection_field"
    INVALID_SORT_FIELD = "invalid_sort_field"
    UNAUTHORISED_REQUEST = "unauthorised_request"
    FORBIDDEN = "forbidden"
    SERVER_BUSY = "server_busy"
    INTERNAL_SERVER_ERROR = "internal_server_error"


@dataclass
class CaseError(Exception):
    """One failed CASE request: the HTTP status, a description, and one (field, kind) pair
    per problem found (all of them, not just the first)."""

    status: int
    description: str
    problems: list[tuple[str, Minor]] = field(default_factory=list[tuple[str, Minor]])

    def __str__(self) -> str:
        return self.description


def unknown(kind: str, identifier: str) -> CaseError:
    return CaseError(404, f"no {kind} with identifier '{identifier}'",
                     [("sourcedId", Minor.UNKNOWN_OBJECT)])


def not_a_uuid(value: str) -> CaseError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return CaseError(404, f"'{shown}' is not a UUID", [("sourcedId", Minor.INVALID_UUID)])

"""CASE errors, named once for both versions; each version's serialiser spells the code
(``invaliduuid`` in 1.0, ``invalid_uuid`` in 1.1) and renders the ``imsx_StatusInfo``.

The description is a msgid (``N_``) with its values, so the API words it in the request's
language from the explorer's catalogues (``app.api.case_errors``); ``str()`` is the English."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum

from app.domain.errors import say
from app.domain.text import N_

Sentence = tuple[str, Mapping[str, object] | None]


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
    """One failed CASE request: the HTTP status, a description (a msgid filled with
    ``params``, then any further sentences ``also``, joined by "; "), and one (field, kind)
    pair per problem found (all of them, not just the first)."""

    status: int
    description: str
    problems: list[tuple[str, Minor]] = field(default_factory=list[tuple[str, Minor]])
    params: Mapping[str, object] | None = None
    also: list[Sentence] = field(default_factory=list[Sentence])

    def said(self, gettext: Callable[[str], str] = str) -> str:
        """The description in the language of ``gettext`` (English by default)."""
        return "; ".join(say(message, values, gettext)
                         for message, values in [(self.description, self.params), *self.also])

    def __str__(self) -> str:
        return self.said()


def unknown(kind: str, identifier: str) -> CaseError:
    return CaseError(404, N_("no %(kind)s with identifier '%(identifier)s'"),
                     [("sourcedId", Minor.UNKNOWN_OBJECT)],
                     {"kind": kind, "identifier": identifier})


def without_associations(identifier: str) -> CaseError:
    return CaseError(404, N_("no CFItem with associations has identifier '%(identifier)s'"),
                     [("sourcedId", Minor.UNKNOWN_OBJECT)], {"identifier": identifier})


def not_a_uuid(value: str) -> CaseError:
    shown = value if len(value) <= 80 else value[:77] + "..."
    return CaseError(404, N_("'%(value)s' is not a UUID"), [("sourcedId", Minor.INVALID_UUID)],
                     {"value": shown})

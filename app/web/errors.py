"""A service error as the explorer shows it, in the page's language: the domain's error
classes carry the facts (kind, code, field, message msgid), this module words them; the
status is the API's (``app.api.problems.problem_of``), so a page and an API answer agree.

A message the catalogues do not hold (a service sentence with values built in) is shown as it
is, marked ``lang="en"`` so a screen reader reads it in English."""

from __future__ import annotations

from typing import Any

from app.api.problems import problem_of
from app.domain.errors import (
    WHERE_SEPARATOR,
    DomainError,
    InvalidInput,
    NotFound,
    UnknownKind,
    located,
)
from app.domain.text import N_
from app.rdf.iris import LABEL_OF
from app.web.i18n import Translator

# API field names, as the explorer's forms call them
FIELDS = {
    "from_profile": N_("Job profile"), "competencies": N_("Competencies held"),
    "administration": N_("Administration"), "job_family": N_("Job family"),
    "q": N_("Search for"), "from": N_("From (framework level, grade or programme)"),
    "level": N_("Level"), "framework": N_("Target framework"), "body": N_("The question"),
    "paths": N_("Paths"),
}


def _message(t: Translator, message: str) -> tuple[str, str | None]:
    """The message in the page's language, and ``"en"`` when it had to stay English."""
    return t.said(message)


def _location(t: Translator, location: str) -> str:
    parts = located(location, t.gettext).split(WHERE_SEPARATOR)
    head = FIELDS.get(parts[0])
    return WHERE_SEPARATOR.join([t.gettext(head) if head else parts[0], *parts[1:]])


def page_error(t: Translator, exc: DomainError) -> dict[str, Any]:
    """``{"status", "detail", "detail_lang", "errors": [{"location", "message", "lang"}]}``."""
    status = problem_of(exc).status
    if isinstance(exc, InvalidInput):
        detail, detail_lang = _message(t, exc.summary)
        errors = []
        for problem in exc.problems:
            message, lang = _message(t, problem.message)
            if problem.params or problem.accepted:  # a msgid with values (and its words)
                message = problem.said(t.gettext)
            errors.append({"location": _location(t, problem.location), "message": message,
                           "lang": lang})
        return {"status": status, "detail": detail, "detail_lang": detail_lang, "errors": errors}
    if isinstance(exc, UnknownKind):
        kinds = [t.kind(LABEL_OF[k].value) if k in LABEL_OF else k for k in exc.allowed]
        return {"status": status, "detail": t(N_("unknown kind “%(kind)s”; pages exist for: "
                                              "%(kinds)s"), kind=exc.kind, kinds=t.join(kinds)),
                "detail_lang": None, "errors": []}
    if isinstance(exc, NotFound):
        return {"status": status, "detail": t(N_("Not found: %(kind)s %(code)s"),
                                           kind=t.kind(exc.kind), code=exc.code),
                "detail_lang": None, "errors": []}
    _, detail_lang = _message(t, exc.words()[0])  # "en" when the catalogue lacks it
    detail = exc.said(t.gettext)
    return {"status": status, "detail": detail, "detail_lang": detail_lang, "errors": []}

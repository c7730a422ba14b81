"""CASE routes answer errors the CASE way: the ``imsx_StatusInfo`` payload of their own
version (``application/json``), never problem+json. Scoped to the CASE routers through their
route class, so the rest of the API keeps its RFC 9457 problems. The description is worded in
the request's language (``lang=`` or ``Accept-Language``, as problems are), the codes never.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import structlog
from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from pydantic import BaseModel, Field

from app.api.problems import INTERNAL, language_of, localise, problem_of, words_of
from app.domain.case import CaseError, Minor
from app.domain.case.wire import CaseWire
from app.domain.text import N_

log = structlog.get_logger(__name__)
BY_STATUS = {401: Minor.UNAUTHORISED_REQUEST, 403: Minor.FORBIDDEN, 404: Minor.UNKNOWN_OBJECT,
             429: Minor.SERVER_BUSY, 503: Minor.SERVER_BUSY}


class ImsxCodeMinorField(BaseModel):
    imsx_codeMinorFieldName: str
    imsx_codeMinorFieldValue: str


class ImsxCodeMinor(BaseModel):
    imsx_codeMinorField: list[ImsxCodeMinorField] = Field(min_length=1)


class ImsxStatusInfo(BaseModel):
    """The 1EdTech ``imsx_StatusInfo`` error payload (codeMinor values per CASE version)."""

    imsx_codeMajor: str
    imsx_severity: str
    imsx_description: str | None = None
    imsx_codeMinor: ImsxCodeMinor | None = None


def _as_case_error(exc: Exception, request: Request) -> tuple[CaseError, dict[str, str]]:
    if isinstance(exc, CaseError):
        return exc, {}
    if isinstance(exc, RequestValidationError):
        names = [".".join(str(p) for p in e["loc"][1:]) or "request" for e in exc.errors()]
        return CaseError(400, N_("invalid values: %(names)s"),
                         [(n, Minor.INVALID_SELECTION_FIELD) for n in names],
                         {"names": ", ".join(names)}), {}
    # Everything else: the status and words of the service's one error mapping, spelt as imsx
    # (its detail already in the request's language: the catalogue leaves it as it is).
    found = problem_of(exc)
    if found is INTERNAL:
        log.exception("case.request_failed")
    found = localise(found, request.scope, words_of(request.app))
    headers = {**({"Retry-After": "5"} if found.status == 503 else {}), **found.headers}
    return CaseError(found.status, found.detail,
                     [("request", BY_STATUS.get(found.status, Minor.INTERNAL_SERVER_ERROR))]), \
        headers


def status_info(wire: type[CaseWire], exc: Exception, request: Request) -> JSONResponse:
    """``exc`` as ``wire``'s imsx_StatusInfo, described in the request's language."""
    error, headers = _as_case_error(exc, request)
    words = words_of(request.app)
    lang = language_of(request.scope, words.codes) if words is not None else None
    if words is not None and lang is not None and lang != words.codes[0]:
        description = error.said(words.gettext_of(lang))
        headers = {**headers, "Content-Language": lang}
    else:
        description = error.said()
    body = wire("").status_info(error, description)
    return JSONResponse(body, status_code=error.status, headers=headers)


def case_route_class(wire: type[CaseWire]) -> type[APIRoute]:
    """A route class whose handlers answer every failure as ``wire``'s imsx_StatusInfo."""

    class CaseRoute(APIRoute):
        def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
            handler = super().get_route_handler()

            async def answer(request: Request) -> Response:
                try:
                    return await handler(request)
                except Exception as exc:  # noqa: BLE001 - every failure is answered as imsx
                    return status_info(wire, exc, request)

            return answer

    return CaseRoute


IMSX = {"model": ImsxStatusInfo, "description": "imsx_StatusInfo (CASE error payload)"}
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {**IMSX, "description": "invalid_selection_field / invalid_sort_field"},
    404: {**IMSX, "description": "unknownobject, or an identifier that is not a UUID"},
    429: {**IMSX, "description": "server_busy (rate limit)"},
    500: {**IMSX, "description": "internal_server_error"},
    503: {**IMSX, "description": "server_busy (graph store unavailable)"},
}

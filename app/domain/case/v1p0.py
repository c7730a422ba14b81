"""CASE 1.0 (``/ims/case/v1p0``): the shared wire form as 1.0 defines it. No
``caseVersion``/``frameworkType``/``extensions``, no association ``notes`` or ``targetType``,
nine association types, error codes ``invaliduuid`` and ``unauthorisedrequest``."""

from __future__ import annotations

from app.domain.case.errors import Minor
from app.domain.case.wire import V1P0_TYPES, CaseWire


class CaseV1p0(CaseWire):
    version = "1.0"
    path = "/ims/case/v1p0"
    association_types = V1P0_TYPES
    minor = {Minor.UNKNOWN_OBJECT: "unknownobject", Minor.INVALID_UUID: "invaliduuid",
             Minor.INVALID_SELECTION_FIELD: "invalid_selection_field",
             Minor.INVALID_SORT_FIELD: "invalid_sort_field",
             Minor.UNAUTHORISED_REQUEST: "unauthorisedrequest", Minor.FORBIDDEN: "forbidden",
             Minor.SERVER_BUSY: "server_busy",
             Minor.INTERNAL_SERVER_ERROR: "internal_server_error"}
    document_fields = frozenset({
        "identifier", "uri", "creator", "title", "lastChangeDateTime", "officialSourceURL",
        "publisher", "description", "subject", "subjectURI", "language", "version",
        "adoptionStatus", "statusStartDate", "statusEndDate", "licenseURI", "notes",
        "CFPackageURI"})

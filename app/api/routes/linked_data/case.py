"""1EdTech CASE read API, both versions: ``/ims/case/v1p0`` (CASE 1.0) and ``/ims/case/v1p1``
(CASE 1.1), the twelve GET endpoints each specification defines. One router factory, one
service, one model; only the wire class differs. Errors are imsx_StatusInfo
(``app.api.case_errors``)."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from app.api import case_schemas
from app.api.case_errors import ERROR_RESPONSES, case_route_class
from app.api.deps import Store
from app.api.rate_limit import LOOKUP, QUERY
from app.api.rdf_deps import base_iri
from app.domain.case import CaseError, Minor
from app.domain.case.listing import MAX_INT32
from app.domain.case.v1p0 import CaseV1p0
from app.domain.case.v1p1 import CaseV1p1
from app.domain.case.wire import CaseWire
from app.domain.text import N_
from app.services.linked_data import identity
from app.services.linked_data.case import OBJECT_FIELDS, CaseService, Page

JSON = "application/json"
SourcedId = Annotated[str, Path(alias="sourcedId", description="the object's UUID")]
IMSX_ONLY = {"x-error-payload": "imsx_StatusInfo"}  # app.api.problems leaves these alone


def _root(request: Request) -> str:
    return identity.service_root(base_iri(request))  # never the Host header


def _links(wire: CaseWire, page: Page, params: dict[str, str]) -> str:
    """RFC 8288 ``Link`` header: first, prev, next, last pages of getAllCFDocuments."""
    limit, offset, total = page.query.limit, page.query.offset, page.total

    def at(position: int) -> str:
        query = urlencode({**params, "limit": limit, "offset": position}, doseq=True)
        return f"<{wire.base}/CFDocuments?{query}>"

    rels = [(0, "first")]
    if offset > 0:
        rels.append((max(0, offset - limit), "prev"))
    if offset + limit < total:
        rels.append((offset + limit, "next"))
    rels.append(((max(total - 1, 0) // limit) * limit, "last"))
    return ", ".join(f'{at(position)}; rel="{rel}"' for position, rel in rels)


def _any_of(names: frozenset[str]) -> str:
    return "(" + "|".join(sorted(names)) + ")"


def listing_parameters(wire_class: type[CaseWire]) -> list[dict[str, Any]]:
    """getAllCFDocuments' parameters as ``app.domain.case.listing`` reads them: integers in
    range, a sortable field, ``asc``/``desc``, predicates ``field OP 'value'`` joined all by
    AND or all by OR (in any case), known field names. FastAPI takes them as text so that one
    imsx_StatusInfo names every bad one; the document says what is accepted."""
    fields = wire_class.document_fields
    scalar = _any_of(fields - OBJECT_FIELDS)
    predicate = rf"\s*{scalar}\s*(!=|>=|<=|=|>|<|~)\s*'[^']*'\s*"
    joined = [rf"{predicate}({word}\s+{predicate.removeprefix(chr(92) + 's*')})*"
              for word in ("[Aa][Nn][Dd]", "[Oo][Rr]")]
    name = _any_of(fields)
    listing = rf"^(\s*,)*\s*{name}\s*(,\s*({name}\s*)?)*$"

    def query(key: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {"name": key, "in": "query", "required": False, "description": description,
                "schema": schema}

    return [
        query("limit", "page size", {"type": "integer", "minimum": 1, "maximum": MAX_INT32}),
        query("offset", "records to skip",
              {"type": "integer", "minimum": 0, "maximum": MAX_INT32}),
        query("sort", "a sortable CFDocument field",
              {"type": "string", "enum": sorted(fields - OBJECT_FIELDS)}),
        query("orderBy", "asc or desc", {"type": "string", "enum": ["asc", "desc"]}),
        query("filter", "field OP 'value' [AND|OR ...] (one of AND, OR throughout)",
              {"type": "string", "pattern": "^(" + "|".join(joined) + ")$"}),
        query("fields", "CFDocument fields to send (comma-separated, or repeated)",
              {"type": "array", "items": {"type": "string", "pattern": listing}}),
    ]


# Documented by ``listing_parameters`` (FastAPI would document them as bare text).
Listed = Annotated[str | None, Query(include_in_schema=False)]


def case_router(wire_class: type[CaseWire]) -> APIRouter:
    router = APIRouter(prefix=wire_class.path, tags=[f"CASE {wire_class.version}"],
                       route_class=case_route_class(wire_class),
                       responses=ERROR_RESPONSES)

    def service(request: Request, store: Store) -> CaseService:
        return CaseService(store, request.app.state.case_cache, wire_class(_root(request)))

    get = router.get
    version = wire_class.path[-4:]

    def ok(path: str) -> dict[str, Any]:
        """The 200 answer of ``path`` as the 1EdTech definition of this version states it."""
        described = {"description": f"as CASE {wire_class.version} defines it (the 1EdTech "
                                    "definition's schema)",
                     "content": {JSON: {"schema": case_schemas.answer_schema(version, path)}}}
        return {"response_class": Response, "openapi_extra": IMSX_ONLY,
                "responses": {200: described}}

    @get("/CFDocuments", operation_id=f"getAllCFDocuments_{version}",
         dependencies=[QUERY], **{**ok("/CFDocuments"), "openapi_extra": {
             **IMSX_ONLY, "parameters": listing_parameters(wire_class)}})
    def get_all_cf_documents(
            request: Request, case: Annotated[CaseService, Depends(service)],
            limit: Listed = None,
            offset: Listed = None,
            sort: Listed = None,
            orderBy: Listed = None,  # noqa: N803
            filter: Listed = None,  # noqa: A002,E501
            fields: Annotated[list[str] | None, Query(include_in_schema=False)] = None,
    ) -> Response:
        params = {"limit": limit, "offset": offset, "sort": sort, "orderBy": orderBy,
                  "filter": filter, "fields": fields}
        page = case.documents(params)
        kept = {k: v for k, v in request.query_params.multi_items()
                if k in ("sort", "orderBy", "filter", "fields")}
        return Response(page.body, media_type=JSON, headers={
            "X-Total-Count": str(page.total), "Link": _links(case.wire, page, kept)})

    def one(path: str, name: str, read: str, cost: Any = LOOKUP) -> None:
        def endpoint(sourced_id: SourcedId,
                     case: Annotated[CaseService, Depends(service)]) -> Response:
            return Response(getattr(case, read)(sourced_id), media_type=JSON)

        endpoint.__name__ = name
        get(f"/{path}/{{sourcedId}}", operation_id=f"{name}_{version}",
            dependencies=[cost], **ok(f"/{path}/{{sourcedId}}"))(endpoint)

    one("CFDocuments", "getCFDocument", "document")
    # A whole framework (14,000 items at ESCO scale): limited like the other dumps.
    one("CFPackages", "getCFPackage", "package", QUERY)
    one("CFItems", "getCFItem", "item")
    one("CFItemAssociations", "getCFItemAssociations", "item_associations")
    one("CFAssociations", "getCFAssociation", "association")
    one("CFItemTypes", "getCFItemType", "item_types")
    one("CFLicenses", "getCFLicense", "license")

    def none(path: str, name: str, kind: str) -> None:
        def endpoint(sourced_id: SourcedId,
                     case: Annotated[CaseService, Depends(service)]) -> Response:
            return Response(case.absent(kind, sourced_id), media_type=JSON)

        endpoint.__name__ = name
        get(f"/{path}/{{sourcedId}}", operation_id=f"{name}_{version}",
            dependencies=[LOOKUP], **ok(f"/{path}/{{sourcedId}}"))(endpoint)

    none("CFConcepts", "getCFConcept", "CFConcept")
    none("CFSubjects", "getCFSubject", "CFSubject")
    none("CFAssociationGroupings", "getCFAssociationGrouping", "CFAssociationGrouping")
    none("CFRubrics", "getCFRubric", "CFRubric")

    @get("/{rest:path}", include_in_schema=False, dependencies=[LOOKUP])
    def unknown_endpoint(rest: str) -> Response:
        raise CaseError(404, N_("CASE %(version)s defines no GET /%(path)s"),
                        [("request", Minor.UNKNOWN_OBJECT)],
                        {"version": wire_class.version, "path": rest[:80]})

    return router


v1p0 = case_router(CaseV1p0)
v1p1 = case_router(CaseV1p1)

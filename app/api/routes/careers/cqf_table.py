"""``GET /api/v1/cqf-table``: the CQF table of equivalence as JSON, CSV or XLSX, and its
CSV on the Web metadata (the table is derived, so this is its linked-data door)."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from app.api.deps import Store
from app.api.http import negotiated
from app.api.params import FRAMEWORK_CODE, NO_NUL, Lang  # French where the graph has it
from app.api.problems import answer_language, language_headers, problem
from app.api.rate_limit import QUERY
from app.api.rdf_deps import base_iri
from app.api.schemas import Problem
from app.domain.errors import FieldProblem, InvalidInput
from app.domain.text import N_
from app.rdf.negotiation import choose
from app.services.careers import cqf_table_formats as fmt
from app.services.careers.cqf_table import CqfTableService, TableQuestion

router = APIRouter(tags=["cqf-table"])

Format = Literal["json", "csv", "xlsx"]
MEDIA = {"json": "application/json", "csv": fmt.CSV_MEDIA, "xlsx": fmt.XLSX_MEDIA}
FORMAT_OF = {m: f for f, m in MEDIA.items()}
MAX_FRAMEWORKS = 12


async def get_table_service(request: Request, store: Store) -> CqfTableService:
    state = request.app.state
    return CqfTableService(store, state.careers_cache, state.mapping_cache, state.cqf_table_memo)


Tables = Annotated[CqfTableService, Depends(get_table_service)]
Frameworks = Annotated[str | None, Query(
    max_length=500, pattern=NO_NUL,
    description="comma-separated national frameworks to add, e.g. IE-NFQ,NL-NLQF")]
Administration = Annotated[str | None, Query(
    min_length=1, max_length=100, pattern=FRAMEWORK_CODE,
    description="an administration whose grade column to add, e.g. ADM-A")]


class Label(BaseModel):
    code: str
    name: str | None
    name_lang: str = Field(description="the language of name: fr only where the graph has it")


class Equivalent(Label):
    level: str = Field(description="the equivalent level's code (same as code)")
    ordinal: int | None = None
    match_type: str
    confidence: float
    hops: int
    evidence_status: str | None
    path: list[str] = Field(description="mapping ids along the path")


class Derived(BaseModel):
    derivation: str
    evidence_status: str | None = Field(description="the weakest evidence in the cell")


class Cell(Derived):
    values: list[dict[str, Any]]


class EquivalenceCell(Derived):
    values: list[Equivalent]


class GroupCell(BaseModel):
    typical_proficiency: str | None
    requirements: int
    profiles: int
    top_competencies: list[dict[str, Any]]
    evidence_status: str | None
    derivation: str


class LevelHead(Label):
    ordinal: int | None
    iri: str | None
    evidence_status: str | None


class TableRow(BaseModel):
    level: LevelHead
    eqf: EquivalenceCell
    isced: EquivalenceCell
    qf_ehea: EquivalenceCell
    picard_tier: Cell
    national: dict[str, EquivalenceCell]
    administration: EquivalenceCell | None
    job_profiles: Cell
    generic_roles: Cell
    tasks: Cell
    competency_groups: dict[str, GroupCell]


class CqfTable(BaseModel):
    lang: str
    frameworks: list[str]
    administration: str | None
    administration_scale: str | None
    evidence_status: str | None
    illustrative: bool
    notice: str | None
    groups: list[Label]
    definitions: dict[str, str]
    rows: list[TableRow]
    total: int


def _frameworks(text: str | None) -> tuple[str, ...]:
    if not text:
        return ()
    codes = tuple(dict.fromkeys(c.strip() for c in text.split(",") if c.strip()))
    if len(codes) > MAX_FRAMEWORKS:
        raise InvalidInput([FieldProblem("frameworks", N_("at most %(n)s frameworks"), text,
                                         params={"n": MAX_FRAMEWORKS})])
    return codes


def _question(request: Request, frameworks: str | None, administration: str | None,
              lang: str) -> TableQuestion:
    return TableQuestion(_frameworks(frameworks), administration, lang, base_iri(request))


def _download(body: bytes, media: str, ext: str, lang: str) -> Response:
    return Response(body, media_type=media, headers={
        "Content-Disposition": f'attachment; filename="cqf-table.{ext}"',
        **language_headers(lang, "Accept")})


@router.get("/cqf-table", dependencies=[QUERY], response_model=CqfTable,
            summary="The CQF table of equivalence",
            responses={200: {"content": {fmt.CSV_MEDIA: {}, fmt.XLSX_MEDIA: {}}},
                       406: {"model": Problem}, 422: {"model": Problem}})
@negotiated
def cqf_table(request: Request, service: Tables, frameworks: Frameworks = None,
              administration: Administration = None, lang: Lang = "en",
              format: Annotated[Format | None, Query(description="overrides Accept")] = None,
              bom: Annotated[bool, Query(description="CSV: start with a UTF-8 byte-order mark "
                                                     "(spreadsheets need it; CSVW readers "
                                                     "are given the CSV without)")] = True,
              ) -> Any:
    if format is None:
        media = choose(request.headers.get("accept"), list(MEDIA.values()))
        if media is None:
            return problem(406, "not-acceptable", N_("Not acceptable"),
                           N_("this resource is available as %(offered)s"), request,
                           params={"offered": ", ".join(MEDIA.values())})
        format = cast(Format, FORMAT_OF[media])  # negotiation offers only these formats
    language = answer_language(request)  # lang=, else Accept-Language, else English
    question = _question(request, frameworks, administration, language)
    if format == "json":
        return Response(service.table_json(question), media_type="application/json",
                        headers=language_headers(language, "Accept"))
    answer = service.table(question)
    if format == "csv":
        return _download(fmt.to_csv(answer, bom=bom), f"{fmt.CSV_MEDIA}; charset=utf-8", "csv",
                         language)
    return _download(fmt.to_xlsx(answer), fmt.XLSX_MEDIA, "xlsx", language)


class CsvwMetadata(BaseModel):
    model_config = {"extra": "allow"}

    url: str
    tableSchema: dict[str, Any]  # noqa: N815 - the CSVW term


@router.get("/cqf-table.csv-metadata.json", dependencies=[QUERY], response_model=CsvwMetadata,
            responses={200: {"content": {fmt.CSVW_MEDIA: {}}}, 406: {"model": Problem},
                       422: {"model": Problem}},
            summary="CSV on the Web (W3C CSVW) metadata of the CQF table's CSV")
@negotiated
def cqf_table_csvw(request: Request, service: Tables, frameworks: Frameworks = None,
                   administration: Administration = None, lang: Lang = "en") -> Response:
    """As ``application/csvm+json`` (CSVW's own type), or as plain ``application/json``
    when that is what the client asks for."""
    offered = [fmt.CSVW_MEDIA, "application/json"]
    media = choose(request.headers.get("accept"), offered)
    if media is None:
        return problem(406, "not-acceptable", N_("Not acceptable"),
                       N_("this resource is available as %(offered)s"), request,
                       params={"offered": ", ".join(offered)})
    language = answer_language(request)
    answer = service.table(_question(request, frameworks, administration, language))
    query = {"format": "csv", "bom": "false", "lang": language}
    if answer["frameworks"]:
        query["frameworks"] = ",".join(answer["frameworks"])
    if answer["administration"]:
        query["administration"] = answer["administration"]
    body = fmt.csvw_metadata(answer, "cqf-table?" + urlencode(query))
    return JSONResponse(body, media_type=media, headers=language_headers(language, "Accept"))

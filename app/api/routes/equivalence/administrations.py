"""Administrations and their grade scales (write side; reads are in the catalogue)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from app.api.deps import WriteKey
from app.api.openapi import Responses
from app.api.params import FRAMEWORK_CODE, LEVEL_OF_FRAMEWORK, WHOLE, AdministrationCode, Text, Year
from app.api.rate_limit import WRITE
from app.api.routes.equivalence.mappings import Writer
from app.api.schemas.equivalence import Administration, ScaleWritten
from app.domain.vocab import EvidenceStatus
from app.services.equivalence.writes import GradeLevel

router = APIRouter(tags=["administrations"])
ERRORS: Responses = {404: {"description": "unknown administration"}}
Code = AdministrationCode


class AdministrationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Text = Field(min_length=1, max_length=300)
    name_fr: Text | None = Field(None, max_length=300)
    country: Text | None = Field(None, max_length=100)
    source_document: Text = Field(min_length=1, max_length=500,
                                 description="where this administration's data comes from")


class GradeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    level: str = Field(min_length=1, max_length=50, pattern=LEVEL_OF_FRAMEWORK)
    name: Text = Field(min_length=1, max_length=300)
    name_fr: Text | None = Field(None, max_length=300)
    ordinal: Annotated[int, Field(ge=0, le=1000, strict=True,
                                  description="position on the scale, lowest first"), WHOLE]
    description: Text | None = Field(None, max_length=2000)


class ScaleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    framework: str | None = Field(None, max_length=100, pattern=FRAMEWORK_CODE,
                                  description="framework code; default <ADMIN>-GRADES")
    name: Text = Field(min_length=1, max_length=300)
    name_fr: Text | None = Field(None, max_length=300)
    source_document: Text = Field(min_length=1, max_length=500)
    source_publisher: Text | None = Field(None, max_length=300)
    source_year: Year | None = None
    levels: list[GradeIn] = Field(min_length=1, max_length=200)


@router.put("/administrations/{code}", dependencies=[WRITE], responses=ERRORS,
            response_model=Administration, response_model_exclude_unset=True,
            summary="Register or update an administration (admin only)")
def put_administration(code: Code, body: AdministrationIn, principal: WriteKey,
                       writer: Writer) -> dict[str, Any]:
    props = {**body.model_dump(), "status": EvidenceStatus.UNVERIFIED,
             "source_publisher": body.name}
    return writer.upsert_administration(principal, code, props)


@router.put("/administrations/{code}/scale", dependencies=[WRITE], responses=ERRORS,
            response_model=ScaleWritten,
            summary="Register or replace an administration's grade scale as a framework")
def put_scale(code: Code, body: ScaleIn, principal: WriteKey, writer: Writer) -> dict[str, Any]:
    framework = body.framework or f"{code}-GRADES"
    props = {"name": body.name, "name_fr": body.name_fr, "status": EvidenceStatus.UNVERIFIED,
             "source_document": body.source_document, "source_publisher": body.source_publisher,
             "source_year": body.source_year, "jurisdiction": code}
    levels = [GradeLevel(g.level, g.name, g.ordinal, g.name_fr, g.description)
              for g in body.levels]
    return writer.register_scale(principal, code, framework, props, levels)

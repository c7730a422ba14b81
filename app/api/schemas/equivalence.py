"""Answers of the equivalence capability's writes and mapping quality (the equivalence answer
and mapping records are declared beside their routes)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class Administration(BaseModel):
    """An administration as stored (properties it does not have are left out)."""

    code: str
    name: str
    name_fr: str | None = None
    description: str | None = None
    description_fr: str | None = None
    country: str | None = None
    scale: str | None = Field(None, description="its grade scale's framework code")
    status: str | None = None
    source_document: str | None = None
    source_publisher: str | None = None
    source_year: int | None = None
    source_url: str | None = None


class ScaleWritten(BaseModel):
    framework: str = Field(description="the grade scale's framework code")
    administration: str
    levels: list[str] = Field(description="the scale's level codes, as written")
    removed: list[str] = Field(description="levels dropped from the scale")


class UnmappedLevel(BaseModel):
    level: str
    framework: str


class Contradiction(BaseModel):
    level: str
    first: str
    second: str
    reason: str
    mappings: list[str]


class OwnFrameworkCycle(BaseModel):
    framework: str
    level: str
    equivalent_to: str
    match_type: str
    confidence: float
    ordinal_gap: int | None
    severity: str
    mappings: list[str]


class FanOut(BaseModel):
    level: str
    framework: str
    targets: list[str]
    mappings: list[str]


class QualityAnswer(BaseModel):
    include_proposed: bool
    defect_count: int
    unmapped_levels: list[UnmappedLevel]
    contradictory_exact_matches: list[Contradiction]
    own_framework_cycles: list[OwnFrameworkCycle]
    fan_out: list[FanOut]

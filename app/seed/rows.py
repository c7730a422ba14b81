"""One pydantic model per seed table: the columns of a CSV file, their types and the rules a
single row must keep.

The enumerated columns are typed with the domain's vocabulary (``app.domain.vocab``), so the
seed data and the API accept exactly the same values. The models see one row at a time; rules
that need other rows or files (unique codes, dangling references, a framework's referencing
status against its mappings) are in ``app.seed.catalog``.

CSV cells arrive as text: an empty cell is "no value" (None); numbers and dates are read
strictly enough that a typo is refused rather than guessed at (``yes`` is not a boolean).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from app.domain.vocab import (
    PROFICIENCY_CODES,
    EvidenceStatus,
    FrameworkKind,
    MappingMethod,
    MatchType,
    NodeLabel,
    OccupationKind,
    PicardEdition,
    PicardKind,
    ReferencingStatus,
    ReviewStatus,
)

LIST_SEPARATOR = ";"
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$")
MAX_QUOTE = 300
RULE = "seed_rule"  # the pydantic error type of a broken row rule
VOCABULARY = "seed_vocabulary"  # ... and of a value outside a closed list that is not an enum


# ----------------------------------------------------------------------------- cell types


def _stripped(raw: Any) -> Any:
    return raw.strip() if isinstance(raw, str) else raw


def _boolean(raw: Any) -> Any:
    if isinstance(raw, str):
        lowered = raw.strip().lower()
        if lowered not in ("true", "false"):
            raise ValueError(f"expected true or false, got {raw!r}")
        return lowered == "true"
    return raw


def _iso_date(raw: Any) -> Any:
    if isinstance(raw, str):
        raw = raw.strip()
        dt.date.fromisoformat(raw)  # raises ValueError on a non-ISO date
    return raw


def _code_list(raw: Any) -> Any:
    if isinstance(raw, str):
        return [part.strip() for part in raw.split(LIST_SEPARATOR) if part.strip()]
    return raw


def _proficiency(value: str | None) -> str | None:
    if value is not None and value not in PROFICIENCY_CODES:
        raise PydanticCustomError(VOCABULARY, "not on the proficiency scale",
                                  {"allowed": list(PROFICIENCY_CODES)})
    return value


Text = str | None  # kept as written (spaces included), like every text the graph stores
Int = Annotated[int | None, BeforeValidator(_stripped)]
Float = Annotated[float | None, BeforeValidator(_stripped)]
Bool = Annotated[bool | None, BeforeValidator(_boolean)]
IsoDate = Annotated[str | None, BeforeValidator(_iso_date)]
CodeList = Annotated[list[str] | None, BeforeValidator(_code_list)]
# The stored word of a proficiency (``trained``), on the scale of ``app.domain.vocab``.
ProficiencyCode = Annotated[str | None, AfterValidator(_proficiency)]


def allowed_values(model: type[SeedRow], column: str) -> list[str] | None:
    """The closed list of values a column accepts (None for a free column)."""
    for name, info in model.model_fields.items():
        if (info.alias or name) == column:
            return _enum_values(info.annotation)
    return None


def _enum_values(annotation: Any) -> list[str] | None:
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return [member.value for member in annotation]
    if get_origin(annotation) in (Union, Annotated) or get_args(annotation):
        for arg in get_args(annotation):
            found = _enum_values(arg)
            if found:
                return found
    return None


# ----------------------------------------------------------------------------- base rows


class SeedRow(BaseModel):
    """A row of a seed file. Field names (or aliases) are the file's columns, exactly."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_none(cls, raw: Any) -> Any:
        if isinstance(raw, dict):
            return {k: None if isinstance(v, str) and not v.strip() else v
                    for k, v in raw.items()}
        return raw

    @model_validator(mode="after")
    def _keep_rules(self) -> SeedRow:
        problems = list(self.problems())
        if problems:
            raise PydanticCustomError(RULE, "{message}", {"message": "; ".join(problems)})
        return self

    def problems(self) -> Iterator[str]:
        """What is wrong with this row beyond its column types, first problem first."""
        return iter(())

    @classmethod
    def columns(cls) -> list[str]:
        return [info.alias or name for name, info in cls.model_fields.items()]

    def as_props(self) -> dict[str, Any]:
        """The row as the graph stores it: column -> plain value (enums as their strings)."""
        return self.model_dump(mode="json", by_alias=True)


class SourcedRow(SeedRow):
    """Every sourced row states its evidence level and the document it rests on."""

    status: EvidenceStatus | None = None
    source_document: Text = None
    source_publisher: Text = None
    source_year: Int = None
    source_url: Text = None

    def problems(self) -> Iterator[str]:
        yield from super().problems()
        if self.status is None:
            yield f"status is empty (allowed {[s.value for s in EvidenceStatus]})"
        if not self.source_document:
            yield "source_document is empty"


class NodeRow(SourcedRow):
    """A node: its code (unique per label), its names and descriptions, its source."""

    label: ClassVar[NodeLabel]

    code: Text = None
    name: Text = None
    name_fr: Text = None
    description: Text = None
    description_fr: Text = None

    def problems(self) -> Iterator[str]:
        if not self.code:
            yield "code is empty"
        if not self.name:
            yield "name is empty"
        yield from super().problems()


class LinkRow(SeedRow):
    """A relationship between two seeded nodes, named by their codes."""

    from_: Text = Field(None, alias="from")
    to: Text = None

    def problems(self) -> Iterator[str]:
        if not self.from_ or not self.to:
            yield "from and to must both be set"
        yield from super().problems()


class SourcedLinkRow(LinkRow, SourcedRow):
    """A relationship that carries its own evidence (status and source columns)."""


# ----------------------------------------------------------------------------- node tables


class FrameworkRow(NodeRow):
    label = NodeLabel.FRAMEWORK

    kind: FrameworkKind | None = None
    jurisdiction: Text = None
    historical: Bool = None
    unlevelled: CodeList = None
    unlevelled_fr: CodeList = None  # the same reasons in French, entry for entry
    country: Text = None
    referencing_status: ReferencingStatus | None = None
    referencing_year: Int = None

    def problems(self) -> Iterator[str]:
        """A national framework says where it is and how it stands towards the EQF."""
        yield from super().problems()
        if self.country is not None and not re.fullmatch(r"[A-Z]{2}", self.country):
            yield f"country {self.country!r} is not an ISO 3166 alpha-2 code"
        if self.kind == FrameworkKind.NATIONAL and not (self.country and self.referencing_status):
            yield "a national framework needs country and referencing_status"
        if self.referencing_status == ReferencingStatus.NO_LEVEL_TABLE and not \
                self.referencing_year:
            yield "no_level_table needs the referencing_year"


class LevelRow(NodeRow):
    label = NodeLabel.LEVEL

    framework: Text = None
    level: Text = None
    ordinal: Int = None
    knowledge: Text = None
    knowledge_fr: Text = None
    skills: Text = None
    skills_fr: Text = None
    autonomy: Text = None
    autonomy_fr: Text = None
    qualification_examples: CodeList = None
    qualification_examples_fr: CodeList = None


class ProficiencyLevelRow(NodeRow):
    label = NodeLabel.PROFICIENCY_LEVEL

    rank: Int = None
    description_status: EvidenceStatus | None = None


class CompetencyGroupRow(NodeRow):
    label = NodeLabel.COMPETENCY_GROUP


class CompetencyRow(NodeRow):
    label = NodeLabel.COMPETENCY

    group: Text = None
    trade_only: Bool = None
    uri: Text = None


class OccupationRow(NodeRow):
    label = NodeLabel.OCCUPATION

    kind: OccupationKind | None = None
    uri: Text = None
    isco_code: Text = None


class FunctionalDomainRow(NodeRow):
    label = NodeLabel.FUNCTIONAL_DOMAIN


class GenericRoleRow(NodeRow):
    label = NodeLabel.GENERIC_ROLE

    role_family: Text = None


class JobFamilyRow(NodeRow):
    label = NodeLabel.JOB_FAMILY

    anchor: Text = None


class ProfessionalTaskRow(NodeRow):
    label = NodeLabel.PROFESSIONAL_TASK


class AdministrationRow(NodeRow):
    label = NodeLabel.ADMINISTRATION

    country: Text = None
    scale: Text = None


class JobProfileRow(NodeRow):
    label = NodeLabel.JOB_PROFILE

    domain: Text = None
    generic_role: Text = None
    administration: Text = None


class PicardStandardRow(NodeRow):
    label = NodeLabel.PICARD_STANDARD

    kind: PicardKind | None = None
    version: PicardEdition | None = None
    tier: Text = None


class InstitutionRow(NodeRow):
    label = NodeLabel.INSTITUTION

    country: Text = None
    incu_member: Bool = None


class ProgrammeRow(NodeRow):
    label = NodeLabel.PROGRAMME

    institution: Text = None
    level: Text = None
    ects: Float = None
    language: Text = None
    url: Text = None


class CourseRow(NodeRow):
    label = NodeLabel.COURSE

    institution: Text = None
    programme: Text = None
    ects: Float = None
    language: Text = None
    url: Text = None


# ----------------------------------------------------------------------------- link tables


class MappingRow(SourcedLinkRow):
    """A level mapping (``MAPS_TO``)."""

    id: Text = None
    match_type: MatchType | None = None
    confidence: Float = None
    method: MappingMethod | None = None
    asserted_by: Text = None
    review_status: ReviewStatus | None = None
    date: IsoDate = None
    historical: Bool = None
    note: Text = None

    def problems(self) -> Iterator[str]:
        yield from super().problems()
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            yield f"confidence {self.confidence} outside 0..1"


class ReferencingMappingRow(MappingRow):
    """A national framework's EQF referencing also keeps its evidence: the verbatim quote, its
    language and (in ``source_url``) the page it was read on."""

    evidence_quote: Text = None
    evidence_language: Text = None

    def problems(self) -> Iterator[str]:
        """A quote says in which language it is written and where it was read, and stays a
        quote (short), not a copy of the source."""
        yield from super().problems()
        quote, language = self.evidence_quote, self.evidence_language
        if quote is None and language is None:
            return
        if quote is None or language is None:
            yield "evidence_quote and evidence_language go together"
            return
        if not LANGUAGE_TAG.match(language):
            yield f"evidence_language {language!r} is not a language tag such as 'en' or 'sl'"
        if len(quote) > MAX_QUOTE:
            yield f"evidence_quote longer than {MAX_QUOTE}"
        if not self.source_url:
            yield "an evidence_quote needs its source_url"


class RequiresRow(SourcedLinkRow):
    proficiency: ProficiencyCode = None


class RecognisedAgainstRow(SourcedLinkRow):
    date: IsoDate = None
    note: Text = None


class DevelopsRow(SourcedLinkRow):
    proficiency: ProficiencyCode = None
    evidence: Text = None
    assessment: Text = None
    review_status: ReviewStatus | None = None


class AlignsWithRow(SourcedLinkRow):
    review_status: ReviewStatus | None = None

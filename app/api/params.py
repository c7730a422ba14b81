"""Path and query parameters of every route, defined once, with their rules in the schema.

What a parameter accepts is said here, so the OpenAPI document says what the service takes:
lengths, patterns (``FRAMEWORK:LEVEL``, owned codes), enumerations and ranges. No text
parameter accepts NUL (``\\u0000``): the stores cannot hold it (FalkorDB cuts a string at it),
so it is refused at the API edge for every backend, naming the parameter.

Two kinds of code:

- ``Code`` names something to look up, as a user may type it (any case, ``IE-NFQ/8`` for
  ``IE-NFQ:8``; ``app.services.catalog.codes`` resolves it). Anything without NUL may be
  looked up; what the graph does not hold is a 404.
- ``OwnCode`` and ``AdministrationCode`` name something a write creates, so they are held to
  the characters an identifier (and its IRI) may carry; an administration's code also starts
  the code of its grade-scale framework (``<ADMIN>-GRADES``), so it follows framework codes.
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from fastapi import Path, Query
from pydantic import AfterValidator, BeforeValidator, Field

from app.domain import course_mappings, search, vocab
from app.domain.referencing import REFERENCING_STATUSES
from app.domain.text import N_
from app.domain.vocab import EvidenceStatus
from app.rdf.terms import is_language_tag, is_web_iri
from app.services.catalog import codes

# Free text: anything but NUL. ECMA-262, Python and Rust regexes read it alike.
NO_NUL = r"^[^\x00]*$"
SOME_TEXT = r"^[^\x00]+$"
# Codes, as the service reads them (one definition each, stated here as the service has it).
FRAMEWORK_CODE = f"^{codes.FRAMEWORK_PART}$"
LEVEL_OF_FRAMEWORK = f"^{codes.LEVEL_PART}$"  # a level's own part, e.g. 6 or G-5.5
OWN_CODE = course_mappings.CODE_PATTERN  # an institution's, programme's or course's own code
# FRAMEWORK:LEVEL or FRAMEWORK/LEVEL (the URI form), blanks around the parts allowed.
LEVEL = codes.LEVEL_FORM
LEVEL_CODE = f"^{LEVEL}$"
# A code a row of an upload names, blanks around it allowed (the service strips them).
PADDED_CODE = (r"^\s*" + course_mappings.CODE_PATTERN[1:-2]
               + f"{{0,{course_mappings.MAX_CODE - 1}}}" + r"\s*$")
BLANK = r"^\s*$"
# A search: at least one word (what the search looks for), no NUL.
SEARCHABLE = rf"^[^\x00]*?{search.WORD_PATTERN}[^\x00]*$"
MAX_PAGE = 500

# --- body fields ------------------------------------------------------------------------

Text = Annotated[str, Field(pattern=NO_NUL)]
"""A free-text body field (lengths are the field's own)."""


def _real_date(value: str) -> str:
    datetime.date.fromisoformat(value)  # 2024-02-30 is refused, naming the field
    return value


IsoDate = Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
                               json_schema_extra={"format": "date"}),
                    AfterValidator(_real_date)]
"""A calendar date, ``YYYY-MM-DD`` (kept as text: the graph stores it so)."""


def _whole(value: Any) -> Any:
    return int(value) if isinstance(value, float) and value.is_integer() else value


WHOLE = BeforeValidator(_whole)
"""Marks a strict whole-number body field, after its ``Field`` (so the schema keeps the
range): a number written with a zero fraction (``98.0``) is the integer JSON Schema says it
is, so it is taken; text and true/false are not."""

Year = Annotated[int, Field(ge=1900, le=2100, strict=True), WHOLE]
"""A source's year."""
# What the RDF export writes as an IRI or a language tag is refused at the write when no
# serialiser would accept it (the export's own checks, ``app.rdf.terms``), naming the field.
WEB_URL = r"^https?://\S+$"
LANGUAGE_TAG = r"^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"


def _web_iri(value: str | None) -> str | None:
    if value is not None and not is_web_iri(value):
        raise ValueError(N_("not a web address the RDF formats can carry (RFC 3987: no "
                            "spaces, quotes, angle brackets or private-use characters)"))
    return value


def _language_tag(value: str | None) -> str | None:
    if value is not None and not is_language_tag(value):
        raise ValueError(N_("not a well-formed language tag (BCP 47)"))
    return value


WebUrl = Annotated[str | None, Field(None, max_length=1000, pattern=WEB_URL),
                   AfterValidator(_web_iri)]
"""An http(s) address the graph exports as an IRI (``rdfs:seeAlso``)."""
LanguageTag = Annotated[str | None, Field(None, max_length=35, pattern=LANGUAGE_TAG),
                        AfterValidator(_language_tag)]
"""A BCP 47 language tag the graph exports on a literal (``"..."@de``)."""

# --- path -------------------------------------------------------------------------------

Code = Annotated[str, Path(min_length=1, max_length=200, pattern=SOME_TEXT,
                           description="a code, in any case")]
OwnCode = Annotated[str, Path(min_length=1, max_length=100, pattern=OWN_CODE,
                              description="an institution's, programme's or course's own code")]
AdministrationCode = Annotated[str, Path(min_length=1, max_length=100, pattern=FRAMEWORK_CODE,
                                         description="an administration's code, e.g. ADM-A")]
LevelCode = Annotated[str, Path(min_length=3, max_length=200, pattern=LEVEL_CODE,
                                description="FRAMEWORK:LEVEL (or FRAMEWORK/LEVEL), e.g. EQF:6")]
MappingId = Annotated[str, Path(min_length=1, max_length=300, pattern=SOME_TEXT,
                                description="a level mapping's id, e.g. map:IE-NFQ:8>EQF:7")]
KeyId = Annotated[str, Path(min_length=1, max_length=40, pattern=SOME_TEXT,
                            description="the key's public id (the part after `cqf_`)")]
CourseMappingKind = Annotated[Literal["develops", "aligns_with"], Path()]

# --- query ------------------------------------------------------------------------------

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size (at most 500)")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="items to skip")]
Status = Annotated[EvidenceStatus | None, Query(description="evidence status")]
Search = Annotated[str | None, Query(max_length=200, pattern=NO_NUL,
                                     description="case-insensitive substring")]
Filter = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]
CodeQuery = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]
LongCodeQuery = Annotated[str | None, Query(max_length=200, pattern=NO_NUL)]
FrameworkQuery = Annotated[str | None, Query(max_length=100, pattern=FRAMEWORK_CODE,
                                             description="a framework's code")]
Country = Annotated[str | None, Query(
    pattern="^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2 country code (any case), e.g. AT")]
ReferencingStatus = Annotated[vocab.ReferencingStatus | None, Query(
    description="EQF referencing status: " + "; ".join(
        f"{k} = {v}" for k, v in REFERENCING_STATUSES.items()))]
Include = Annotated[Literal["proposed"] | None,
                    Query(description="`proposed` also counts mappings not yet accepted")]
Lang = Annotated[Literal["en", "fr"], Query(
    description="labels' and sentences' language (without it: Accept-Language, else en)")]


# --- body rules the JSON Schema states --------------------------------------------------

def any_case(*words: str) -> str:
    """A pattern for one of ``words`` in any case, blanks around it allowed (as the domain
    parses proficiencies): ECMA-262 has no inline ``(?i)``."""
    spelled = ("".join(f"[{c.upper()}{c.lower()}]" if c.isalpha() else c for c in w)
               for w in words)
    return r"^\s*(" + "|".join(spelled) + r")\s*$"


def exactly_one_of(first: str, second: str) -> dict[str, Any]:
    """``oneOf`` for a body that must give exactly one of two fields (a null is not given)."""
    def given(name: str, other: str) -> dict[str, Any]:
        return {"required": [name], "properties": {name: {"not": {"type": "null"}},
                                                   other: {"type": "null"}}}
    return {"oneOf": [given(first, second), given(second, first)]}


NOT_BLANK = r"\S"


def reason_required_for(field: str, free: list[str], explained: list[str]) -> dict[str, Any]:
    """``oneOf``: the ``explained`` decisions need a ``reason`` that is not blank; the
    ``free`` ones do not. The service checks it and names the field."""
    return {"oneOf": [
        {"properties": {field: {"enum": free}}},
        {"properties": {field: {"enum": explained},
                        "reason": {"type": "string", "pattern": NOT_BLANK}},
         "required": [field, "reason"]}]}


PROFICIENCY = any_case(*(p.name.lower() for p in vocab.Proficiency))
"""A proficiency name as the domain parses it (any case, blanks around it)."""


def held_competencies(schema: dict[str, Any]) -> None:
    """A ``competencies`` body field as the service checks it (so one 422 names every bad
    code and proficiency): at least one, each a proficiency name."""
    field = schema["properties"]["competencies"]
    for option in field.get("anyOf", [field]):
        if option.get("type") == "object":
            option["minProperties"] = 1
            option["additionalProperties"] = {"type": "string", "pattern": PROFICIENCY}
            option["propertyNames"] = {"pattern": SOME_TEXT}

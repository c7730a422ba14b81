"""An entity's attributes as a reader sees them: a named field per attribute, references to
other entities by their name (the code as secondary text), lists as lists, booleans as words,
numbers in the page's locale, stored vocabulary codes as words. Plain data for the template;
the words are msgids (``N_``) translated on the page."""

from __future__ import annotations

from typing import Any

from app.domain.text import N_
from app.web.i18n import REFERENCING as REFERENCING_WORDS

LABELS = {
    "administration": N_("Administration"), "anchor": N_("Anchor in the source"),
    "autonomy": N_("Responsibility and autonomy"), "country": N_("Country"),
    "description_status": N_("Description"), "domain": N_("Functional domain"),
    "ects": N_("ECTS credits"), "framework": N_("Framework"), "generic_role": N_("Generic role"),
    "group": N_("Competency group"), "historical": N_("Historical framework"),
    "incu_member": N_("INCU member"), "institution": N_("Institution"),
    "isco_code": N_("ISCO code"), "jurisdiction": N_("Jurisdiction"), "kind": N_("Type"),
    "knowledge": N_("Knowledge"), "language": N_("Language of instruction"),
    "level": N_("Level"), "ordinal": N_("Position in the framework"),
    "programme": N_("Programme"), "qualification_examples": N_("Example qualifications"),
    "rank": N_("Rank"), "role_family": N_("Role family"), "scale": N_("Grade scale"),
    "skills": N_("Skills"), "tier": N_("Tier"), "trade_only": N_("Trade-specific only"),
    "uri": N_("Reference URI"), "version": N_("Version"),
    "referencing_status": N_("EQF referencing"), "referencing_year": N_("Referenced to the EQF in"),
}
# attribute -> the kind of entity its value is the code of
REFERENCES = {
    "administration": "Administration", "domain": "FunctionalDomain",
    "framework": "Framework", "generic_role": "GenericRole", "group": "CompetencyGroup",
    "institution": "Institution", "level": "Level", "programme": "Programme",
    "scale": "Framework", "tier": "PicardStandard",
}
# stored vocabulary codes shown as words
VALUES = {
    "classification": N_("classification"), "cqf": N_("customs qualifications framework"),
    "grade_scale": N_("grade scale"), "meta": N_("meta-framework"),
    "national": N_("national framework"),
    "qualifications_framework": N_("qualifications framework"),
    "isco_group": N_("ISCO group"), "esco_occupation": N_("ESCO occupation"),
    "knowledge_area": N_("knowledge area"), "theme": N_("theme"),
    "proposed_theme": N_("proposed theme"), "next": N_("next edition (proposed)"),
}
VOCABULARY = {"kind", "version"}
# the store's own bookkeeping, not a fact about the entity (the lower-case code key that makes
# codes unique in any case)
INTERNAL = {"code_key"}
YEARS = {"referencing_year", "year", "source_year"}
# how a framework stands towards the EQF (the same words as the equivalence page's)
REFERENCING = {
    "verified": N_("EQF referencing verified"),
    "partly_verified": N_("EQF referencing partly verified"),
    "unverified": N_("EQF referencing unverified"),
    "no_level_table": N_("referenced to the EQF, level table not in the graph"),
    "comparison": N_("compared with the EQF, not referenced"), "none": N_("no EQF link"),
}
STATUS = {"description_status"}
# free text that exists only in English in the data
ENGLISH_TEXT = {"anchor", "country", "jurisdiction", "role_family"}
# free text the data may also hold in another language (``knowledge_fr``): shown in the page's
# language when it is there, else in English marked as such
TRANSLATED_TEXT = {"autonomy", "knowledge", "skills"}
# the same for lists (``qualification_examples_fr``)
TRANSLATED_LISTS = {"qualification_examples"}


def _own_language(key: str) -> bool:
    """``knowledge_fr``: a language's copy of a translated attribute, shown in its place."""
    base, _, lang = key.rpartition("_")
    return base in TRANSLATED_TEXT | TRANSLATED_LISTS and len(lang) == 2


def rows(kind: str, attributes: dict[str, Any], lang: str = "en") -> list[dict[str, Any]]:
    """One row per attribute with a value, in a stable order: ``{"key", "label", "type",
    "value"}``; ``type`` says how the page shows the value (ref, refs, bool, list, number,
    uri, word, status, language, english, text; ``items`` is a list in the page's language,
    ``list`` one in English)."""
    out = []
    for key, value in sorted(attributes.items()):
        if value is None or value == "" or value == [] or key in INTERNAL or _own_language(key):
            continue
        own = (attributes.get(f"{key}_{lang}")
               if key in TRANSLATED_TEXT | TRANSLATED_LISTS and lang != "en" else None)
        if own and key in TRANSLATED_LISTS:
            key_type, shown = "items", [str(v) for v in own]
        elif own:
            key_type, shown = "text", own
        elif key in TRANSLATED_TEXT:
            key_type, shown = "english", value
        elif key == "level" and kind == "Level":
            key_type, shown = "text", value  # the level's own notation within its framework
        elif key in YEARS:
            key_type, shown = "text", str(value)  # a year, never "2,011"
        elif key == "referencing_status" and value in REFERENCING:
            key_type, shown = "word", REFERENCING[value]
        elif key in REFERENCES:
            key_type, shown = "ref", {"kind": REFERENCES[key], "code": value}
        elif isinstance(value, bool):
            key_type, shown = "bool", value
        elif key.endswith("year") and isinstance(value, int):
            key_type, shown = "text", str(value)  # a year, never "2,011"
        elif key == "referencing_status" and value in REFERENCING_WORDS:
            key_type, shown = "word", REFERENCING_WORDS[value]
        elif isinstance(value, list | tuple):
            key_type, shown = "list", [str(v) for v in value]
        elif isinstance(value, int | float):
            key_type, shown = "number", value
        elif key == "uri" or str(value).startswith(("http://", "https://")):
            key_type, shown = "uri", value
        elif key in VOCABULARY and value in VALUES:
            key_type, shown = "word", VALUES[value]
        elif key in STATUS:
            key_type, shown = "status", value
        elif key == "language":
            key_type, shown = "language", value
        elif key in ENGLISH_TEXT:
            key_type, shown = "english", value
        else:
            key_type, shown = "text", value
        out.append({"key": key, "label": LABELS.get(key), "type": key_type, "value": shown})
    return out


def references(attribute_rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The references among the rows (to be named and localised in one batch)."""
    return [r["value"] for r in attribute_rows if r["type"] == "ref"]

"""The explorer's languages: gettext catalogues (Babel ``.po`` files) and locale formatting.

English is the source language: the text written in the templates and in ``N_()`` markers is
the msgid. Every other language is one catalogue, ``app/web/locale/<lang>/LC_MESSAGES/
messages.po``; a directory there is a language the explorer speaks, nothing else to register.
The ``.po`` files are compiled in memory when first needed (Babel's ``write_mo``), so a fresh
clone works with no build step and no binary ``.mo`` file can drift from its source.

How to add or change a string (see also the README's "Explorer languages" section):

1. Write it in English where it is shown: ``{% trans %}Text{% endtrans %}`` or
   ``{{ _("Text") }}`` in a template (``{% trans count=n %}one{% pluralize %}many{% endtrans %}``
   or ``ngettext(...)`` for counts, never "(s)"); ``N_("Text")`` for a Python constant
   translated later (``Translator.vocab``); placeholders are ``%(name)s`` (``%%`` for a ``%``
   in ``_()``). Punctuation that differs by language (French ``Niveau :``) belongs in the
   message, so write ``_("Level:")``, not ``_("Level") ~ ":"``.
2. ``pybabel extract -F babel.cfg -o app/web/locale/messages.pot .`` then
   ``pybabel update -i app/web/locale/messages.pot -d app/web/locale`` and translate the new
   entries in every ``messages.po`` (``tests/unit/test_web_i18n.py`` fails while any msgid is
   missing, untranslated, fuzzy or stale).
3. A new language: ``pybabel init -i app/web/locale/messages.pot -d app/web/locale -l de``
   and translate; numbers and percentages then follow Babel's (CLDR) rules for ``de``.

Data labels are not here: they come from the data (``name_fr``, falling back to ``name``).
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel import Locale, UnknownLocaleError
from babel.lists import format_list
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations

from app.domain.text import KIND_WORDS, N_
from app.domain.vocab import (
    EvidenceStatus,
    MappingMethod,
    MatchType,
    Proficiency,
    ReferencingStatus,
    ReviewStatus,
)
from app.services.institutions.coverage_text import finding
from app.services.messages import LOCALE_DIR, SOURCE_LANGUAGE, load_catalogues, shipped_catalogues


@dataclass(frozen=True)
class Languages:
    """The catalogues found in one locale directory, compiled, by language code."""

    translations: Mapping[str, NullTranslations]

    @property
    def codes(self) -> tuple[str, ...]:
        return (SOURCE_LANGUAGE, *sorted(c for c in self.translations if c != SOURCE_LANGUAGE))

    def pick(self, requested: str | None) -> str:
        """The asked-for language if the explorer speaks it, else English."""
        return requested if requested in self.codes else SOURCE_LANGUAGE

    def translator(self, lang: str | None) -> Translator:
        code = self.pick(lang)
        return Translator(code, self.translations.get(code) or NullTranslations())


def load_languages(locale_dir: Path = LOCALE_DIR) -> Languages:
    """Every ``<lang>/LC_MESSAGES/messages.po`` under ``locale_dir``, compiled."""
    return Languages(load_catalogues(locale_dir))


@functools.cache
def default_languages() -> Languages:
    """The catalogues shipped in ``app/web/locale``, loaded once per process (the same
    compiled catalogues the downloads use, ``app.services.messages``)."""
    return Languages(shipped_catalogues())


def babel_locale(lang: str) -> Locale:
    """Babel's locale for formatting; a language CLDR does not know (a pseudo-locale such as
    ``en_XA``) formats like its base language, else like English."""
    for candidate in (lang, lang.split("_")[0], SOURCE_LANGUAGE):
        try:
            return Locale.parse(candidate)
        except (UnknownLocaleError, ValueError):
            continue
    return Locale.parse(SOURCE_LANGUAGE)


# Vocabulary the data stores as codes, shown as words. Marked for extraction, translated on use.
E, M, R = EvidenceStatus, MatchType, ReferencingStatus
STATUS: dict[str, str] = {
    E.VERIFIED: N_("verified"), E.UNVERIFIED: N_("unverified"),
    E.ILLUSTRATIVE: N_("illustrative"),
}
MATCH: dict[str, str] = {
    M.EXACT: N_("exact"), M.CLOSE: N_("close"),
    M.BROAD: N_("broad (the target is broader)"),
    M.NARROW: N_("narrow (the target is narrower)"),
    M.RELATED: N_("related only"),
}
PROFICIENCY = {Proficiency.AWARE.code: N_("aware"), Proficiency.TRAINED.code: N_("trained"),
               Proficiency.ADVANCED.code: N_("advanced"), Proficiency.EXPERT.code: N_("expert")}
VERDICT = {"met": N_("met"), "not_met": N_("not met"), "cannot_judge": N_("cannot judge")}
METHOD: dict[str, str] = {
    MappingMethod.OFFICIAL_REFERENCING: N_("official referencing"),
    MappingMethod.COMPARISON_STUDY: N_("comparison study"),
    MappingMethod.EXPERT_PANEL: N_("expert panel"),
    MappingMethod.COMPUTED: N_("computed"), MappingMethod.ILLUSTRATIVE: N_("illustrative"),
}
REVIEW: dict[str, str] = {
    ReviewStatus.ACCEPTED: N_("accepted"), ReviewStatus.PROPOSED: N_("proposed"),
    ReviewStatus.REJECTED: N_("rejected"), ReviewStatus.SUPERSEDED: N_("superseded"),
}
# How a framework stands towards the EQF (``Framework.referencing_status``).
REFERENCING: dict[str, str] = {
    R.VERIFIED: N_("EQF referencing verified"),
    R.PARTLY_VERIFIED: N_("EQF referencing partly verified"),
    R.UNVERIFIED: N_("EQF referencing unverified"),
    R.NO_LEVEL_TABLE: N_("referenced to the EQF, level table not in the graph"),
    R.COMPARISON: N_("compared with the EQF, not referenced"),
    R.NONE: N_("no EQF link"),
}
KIND = KIND_WORDS
RELATION = {
    "administrations": N_("Administrations using this scale"), "framework": N_("Framework"),
    "levels": N_("Levels"), "job_profiles": N_("Job profiles"), "programmes": N_("Programmes"),
    "group": N_("Group"), "broader": N_("Broader"), "narrower": N_("Narrower"),
    "required_by": N_("Required by"), "drawn_on_by": N_("Drawn on by tasks"),
    "developed_by": N_("Developed by courses"),
    "picard_standards": N_("PICARD standards (through courses)"),
    "competencies": N_("Competencies"), "tasks": N_("Tasks"), "occupations": N_("Occupations"),
    "family": N_("Job family"), "families": N_("Job families"), "level": N_("Level"),
    "domain": N_("Functional domain"), "generic_role": N_("Generic role"),
    "administration": N_("Administration"), "requires": N_("Requires"),
    "draws_on": N_("Draws on"), "performed_by": N_("Performed by"), "part_of": N_("Part of"),
    "parts": N_("Parts"), "aligned_courses": N_("Aligned courses"),
    "recognised_programmes": N_("Recognised programmes"), "isco_group": N_("ISCO group"),
    "job_families": N_("Job families"), "institution": N_("Institution"),
    "courses": N_("Courses"), "recognised_against": N_("Recognised against"),
    "scale": N_("Grade scale"), "mappings": N_("Level mappings"),
    "aligns_with": N_("Aligns with"), "develops": N_("Develops"), "programme": N_("Programme"),
}


class Translator:
    """One language for one page: gettext, data labels, vocabulary words, locale numbers."""

    def __init__(self, lang: str, translations: NullTranslations) -> None:
        self.lang = lang
        self.translations = translations
        self.locale = babel_locale(lang)

    @property
    def html_lang(self) -> str:
        """The BCP 47 tag for ``lang=""`` (``en_XA`` -> ``en-XA``)."""
        return self.lang.replace("_", "-")

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def __call__(self, message: str, **values: Any) -> str:
        """``t("Text %(x)s", x=...)`` from Python code: translated, then formatted."""
        text = self.gettext(message)
        return text % values if values else text

    def label(self, item: Mapping[str, Any] | None) -> str:
        """A data label in this language: ``name_<lang>`` when present, else ``name``,
        else the code."""
        if not item:
            return ""
        own = item.get(f"name_{self.lang}") if self.lang != SOURCE_LANGUAGE else None
        return str(own or item.get("name") or item.get("code") or "")

    def label_lang(self, item: Mapping[str, Any] | None) -> str | None:
        """The language of ``label(item)`` when it is not the page's: a French page showing a
        name that exists only in English says so (``lang="en"``) so screen readers switch."""
        if not item or self.lang == SOURCE_LANGUAGE:
            return None
        return None if item.get(f"name_{self.lang}") else SOURCE_LANGUAGE

    def said(self, message: str | None) -> tuple[str, str | None]:
        """A sentence a service wrote (an ``N_`` msgid) in this language, with ``"en"`` when
        the catalogue has no translation and it stays English (for ``lang="en"``)."""
        if not message:
            return "", None
        translated = self.gettext(message)
        if self.lang == SOURCE_LANGUAGE or translated != message:
            return translated, None
        return message, SOURCE_LANGUAGE

    def vocab(self, table: Mapping[str, str], code: str | None) -> str:
        """A stored code shown as a word; an unknown code stays as written."""
        if not code:
            return ""
        return self.gettext(table[code]) if code in table else code.replace("_", " ")

    def kind(self, kind: str) -> str:
        return self.vocab(KIND, kind)

    def relation(self, name: str) -> str:
        return self.vocab(RELATION, name)

    def status(self, status: str | None) -> str:
        return self.vocab(STATUS, status)

    def match(self, match_type: str | None) -> str:
        return self.vocab(MATCH, match_type)

    def referencing(self, status: str | None) -> str:
        return self.vocab(REFERENCING, status)

    def country(self, code: str | None) -> str:
        """A country's name in this language, from CLDR (``AT`` -> ``Autriche`` in French);
        an unknown code stays as written."""
        if not code:
            return ""
        return str(self.locale.territories.get(code.upper()) or code)

    def prof(self, proficiency: str | None) -> str:
        return self.vocab(PROFICIENCY, proficiency)

    def verdict(self, verdict: str | None) -> str:
        return self.vocab(VERDICT, verdict)

    def method(self, method: str | None) -> str:
        return self.vocab(METHOD, method)

    def review(self, status: str | None) -> str:
        return self.vocab(REVIEW, status)

    def reviews(self, statuses: list[str] | None) -> list[str]:
        return [self.review(s) for s in statuses or []]

    def join(self, items: list[str]) -> str:
        """A list in this language's words (``A, B and C``, ``A, B et C``)."""
        return format_list([str(i) for i in items], locale=self.locale) if items else ""

    def finding(self, template: str, facts: Mapping[str, Any] | None = None) -> str:
        """A message of the services (an ``N_`` msgid with ``%(name)s`` facts) in this
        language, its numbers and lists written the locale's way."""
        return finding(self.gettext(template), facts or {}, self.join, self.decimal)

    def decimal(self, value: float | int | None, pattern: str | None = None) -> str:
        """``10.0`` -> ``10.0`` in English, ``10,0`` in French."""
        if value is None:
            return ""
        return format_decimal(value, format=pattern, locale=self.locale)

    def pct(self, value: float | None) -> str:
        """A 0..1 share as a whole percentage in this locale (``95%``, ``95 %``)."""
        if value is None:
            return "\u2014"
        return format_percent(value, locale=self.locale)

    def language_name_in_page(self, code: str) -> str:
        """A language's name in the page's language (``en`` -> ``anglais``)."""
        name = self.locale.languages.get(code.split("_")[0])
        return name or code

    def language_name(self, code: str) -> str:
        """A language's name in that language (``Français``), for the language switch."""
        try:
            name = Locale.parse(code).get_display_name(code)
        except (UnknownLocaleError, ValueError):
            name = None
        return (name or code)[:1].upper() + (name or code)[1:]

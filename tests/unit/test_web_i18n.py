"""The explorer's gettext catalogues: complete, in step with the code, with real plural forms,
and locale formatting. A third language is only a catalogue: see
``tests/e2e/test_explorer_languages.py`` for the pseudo-locale served end to end."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.web import i18n

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(i18n.LOCALE_DIR.glob("*/LC_MESSAGES/messages.po"))


def _extracted() -> set[str | tuple[str, str]]:
    """Every msgid in the code now, as ``scripts/i18n.sh`` would extract it."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, str(ROOT / "babel.cfg"))
    found: set[str | tuple[str, str]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "app", method_map, options_map):
        found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


@pytest.fixture(scope="module")
def extracted() -> set[str | tuple[str, str]]:
    return _extracted()


def _ids(path: Path) -> dict[str | tuple[str, str], object]:
    with path.open("rb") as source:
        catalog = read_po(source)
    return {(m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m for m in catalog if m.id}


def test_french_is_shipped() -> None:
    assert [p.parent.parent.name for p in CATALOGUES] == ["fr"]
    assert i18n.default_languages().codes == ("en", "fr")


def test_the_template_is_in_step_with_the_code(extracted: set[str | tuple[str, str]]) -> None:
    in_template = set(_ids(i18n.LOCALE_DIR / "messages.pot"))
    assert extracted - in_template == set(), "new strings: run bash scripts/i18n.sh"
    assert in_template - extracted == set(), "stale strings: run bash scripts/i18n.sh"
    assert len(extracted) > 150


@pytest.mark.parametrize("po_file", CATALOGUES, ids=lambda p: p.parent.parent.name)
def test_every_catalogue_translates_every_string(po_file: Path,
                                                 extracted: set[str | tuple[str, str]]) -> None:
    with po_file.open("rb") as source:
        catalog = read_po(source)
    messages = {(m.id if isinstance(m.id, str) else (m.id[0], m.id[1])): m
                for m in catalog if m.id}
    assert set(messages) == extracted, "run bash scripts/i18n.sh and translate"
    untranslated = [m.id for m in messages.values()
                    if not all(m.string if isinstance(m.string, tuple) else [m.string])]
    assert untranslated == []
    assert [m.id for m in messages.values() if m.fuzzy] == []
    # Babel's checks: the same %(placeholders)s in msgid and msgstr, plural count right
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check()]
    assert problems == []
    assert catalog.num_plurals == 2


def test_french_plurals_follow_french_rules() -> None:
    fr = i18n.default_languages().translator("fr")
    one, many = "%(count)s role ranked.", "%(count)s roles ranked."
    assert fr.ngettext(one, many, 0) % {"count": 0} == "0 emploi classé."  # 0 is singular
    assert fr.ngettext(one, many, 1) % {"count": 1} == "1 emploi classé."
    assert fr.ngettext(one, many, 2) % {"count": 2} == "2 emplois classés."
    en = i18n.default_languages().translator("en")
    assert en.ngettext(one, many, 0) % {"count": 0} == "0 roles ranked."


def test_unknown_language_falls_back_to_english() -> None:
    languages = i18n.default_languages()
    assert languages.pick("de") == "en" and languages.pick(None) == "en"
    assert languages.translator("de")("Browse and search") == "Browse and search"
    assert languages.translator("fr")("Browse and search") == "Parcourir et rechercher"
    assert languages.translator("fr")("no such message") == "no such message"


def test_numbers_and_punctuation_follow_the_locale() -> None:
    languages = i18n.default_languages()
    fr, en = languages.translator("fr"), languages.translator("en")
    assert fr.decimal(10.0, "#,##0.0##") == "10,0" and en.decimal(10.0, "#,##0.0##") == "10.0"
    assert fr.pct(0.95) in {"95\u00a0%", "95\u202f%"} and en.pct(0.95) == "95%"
    assert fr("Level:") in {"Niveau\u00a0:", "Niveau\u202f:"}
    assert en("Level:") == "Level:"
    # the French catalogue never puts an ordinary space before high punctuation
    with (i18n.LOCALE_DIR / "fr/LC_MESSAGES/messages.po").open("rb") as source:
        strings = [s for m in read_po(source) if m.id
                   for s in (m.string if isinstance(m.string, tuple) else (m.string,))]
    assert [s for s in strings if any(f" {p}" in s for p in ":;?!»")] == []


def test_data_labels_use_the_language_with_english_fallback() -> None:
    languages = i18n.default_languages()
    fr, en = languages.translator("fr"), languages.translator("en")
    assert fr.label({"name": "Primary education", "name_fr": "Enseignement primaire"}) == \
        "Enseignement primaire"
    assert fr.label({"name": "Valuation", "name_fr": None}) == "Valuation"
    assert fr.label_lang({"name": "Valuation", "name_fr": None}) == "en"
    assert fr.label_lang({"name": "Valuation", "name_fr": "Évaluation"}) is None
    assert en.label({"name": "Valuation", "name_fr": "Évaluation"}) == "Valuation"
    assert en.label_lang({"name": "Valuation"}) is None


def test_vocabulary_codes_are_shown_as_words() -> None:
    fr = i18n.default_languages().translator("fr")
    assert fr.kind("JobProfile") == "Profil d'emploi"
    assert fr.match("broadMatch") == "large (la cible est plus large)"
    assert fr.prof("advanced") == "avancé"
    assert fr.status("unverified") == "non vérifié"
    assert fr.relation("no_such_relation") == "no such relation"

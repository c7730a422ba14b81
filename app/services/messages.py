"""The service's sentences in the reader's language, for answers built below the web layer
(the CQF table's CSV and XLSX downloads): the explorer's gettext catalogues
(``app/web/locale/<lang>/LC_MESSAGES/messages.po``, the one place translations live) compiled
in memory once per process. ``app.web.i18n`` builds its page translators on the same
catalogues."""

from __future__ import annotations

import functools
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALE_DIR = Path(__file__).resolve().parent.parent / "web" / "locale"
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"


def compile_po(po_file: Path) -> Translations:
    with po_file.open("rb") as source:
        catalog = read_po(source, locale=None, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_catalogues(locale_dir: Path = LOCALE_DIR) -> dict[str, NullTranslations]:
    """Every ``<lang>/LC_MESSAGES/messages.po`` under ``locale_dir``, compiled."""
    return {po.parent.parent.name: compile_po(po)
            for po in sorted(locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))}


@functools.cache
def shipped_catalogues() -> dict[str, NullTranslations]:
    """The catalogues shipped with the service, loaded once per process."""
    return load_catalogues(LOCALE_DIR)


class Words:
    """gettext and ngettext of one language (English, the msgids, when it has no catalogue)."""

    def __init__(self, lang: str | None) -> None:
        catalogues = shipped_catalogues()
        self.lang = lang if lang in catalogues else SOURCE_LANGUAGE
        self.translations = catalogues.get(self.lang) or NullTranslations()

    def __call__(self, message: str, **values: object) -> str:
        text = self.translations.gettext(message)
        return text % values if values else text

    def plural(self, singular: str, plural: str, n: int, **values: object) -> str:
        return self.translations.ngettext(singular, plural, n) % {"num": n, **values}


Translate = Callable[[str], str]

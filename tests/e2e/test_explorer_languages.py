"""The explorer's languages end to end: a third language is one catalogue dropped in the locale
directory (shown with a pseudo-locale, every page served in it), and the static files come
with caching headers."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from fastapi.testclient import TestClient

from app.graph.port import GraphStore
from app.main import create_app
from app.runtime import Runtime
from app.settings import Settings
from app.web import i18n, static_files
from tests.support.explorer_pages import FAILING, VIEWS, entity_pages, with_lang

PSEUDO = "en_XA"
PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCENTED = "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
PLACEHOLDER = re.compile(r"(%\(\w+\)[sd]|%%)")


def pseudo(text: str) -> str:
    """``Skip to main content`` -> ``⟦Šķîþ ţö ɱåîñ çöñţéñţ⟧``: every letter changed, the
    placeholders kept, so any English left on a page is a string not from the catalogue."""
    table = str.maketrans(PLAIN, ACCENTED)
    parts = PLACEHOLDER.split(text)
    return "\u27e6" + "".join(p if PLACEHOLDER.fullmatch(p) else p.translate(table)
                              for p in parts) + "\u27e7"


def _pseudo_catalogue(target: Path) -> None:
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as source:
        template = read_po(source)
    catalog = Catalog(locale="en", domain="messages")
    catalog.plural_forms  # noqa: B018 - English rules: nplurals=2; plural=(n != 1)
    for message in template:
        if not message.id:
            continue
        if isinstance(message.id, str):
            catalog.add(message.id, pseudo(message.id), flags=message.flags)
        else:
            catalog.add(message.id, tuple(pseudo(m) for m in message.id), flags=message.flags)
    target.mkdir(parents=True)
    with (target / "messages.po").open("wb") as out:
        write_po(out, catalog)


@pytest.fixture(scope="module")
def locale_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped catalogues plus one more directory: the pseudo-locale."""
    root = tmp_path_factory.mktemp("locale")
    shutil.copytree(i18n.LOCALE_DIR, root, dirs_exist_ok=True)
    _pseudo_catalogue(root / PSEUDO / "LC_MESSAGES")
    return root


@pytest.fixture(scope="module")
def pseudo_client(seeded_falkordb: GraphStore, locale_dir: Path) -> Iterator[TestClient]:
    app = create_app(Settings(), runtime=Runtime(seeded_falkordb, schema_applied=True))
    app.state.languages = i18n.load_languages(locale_dir)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture(scope="module")
def all_pages(seeded_falkordb: GraphStore) -> dict[str, str]:
    return {**VIEWS, **entity_pages(seeded_falkordb)}


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}


class _Text(HTMLParser):
    """Visible text and the attributes read aloud (title, aria-label, alt, placeholder) in the
    page's own language; text inside an element with another ``lang`` is set aside (a label
    that exists only in English, the link to the English page)."""

    def __init__(self) -> None:
        super().__init__()
        self.chunks: list[str] = []
        self.other: list[str] = []
        self._stack: list[tuple[str, str | None]] = []
        self._page_lang: str | None = None

    def _lang(self) -> str | None:
        return next((lang for _, lang in reversed(self._stack) if lang), None)

    def _out(self) -> list[str]:
        return self.chunks if self._lang() == self._page_lang else self.other

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self._page_lang = values.get("lang")
        if tag not in VOID:
            self._stack.append((tag, values.get("lang")))
        spoken = [v for k, v in attrs if k in {"title", "aria-label", "alt", "placeholder"} and v]
        (self.chunks if (values.get("lang") or self._lang()) == self._page_lang
         else self.other).extend(spoken)

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(t in {"script", "style"} for t, _ in self._stack):
            self._out().append(data)


def visible_text(html: str) -> str:
    """The page's text in its own language, whitespace collapsed."""
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.chunks).split())


def _english_phrases() -> list[str]:
    """The fixed parts (three words or more) of every catalogue message."""
    with (i18n.LOCALE_DIR / "messages.pot").open("rb") as source:
        template = read_po(source)
    phrases = set()
    for message in template:
        for text in ([message.id] if isinstance(message.id, str) else list(message.id or [])):
            for part in PLACEHOLDER.split(text or ""):
                if len(part.split()) >= 3:
                    phrases.add(" ".join(part.split()).strip(" .,;:"))
    return sorted(phrases)


def test_a_new_catalogue_is_a_new_language_on_every_page(pseudo_client: TestClient,
                                                         all_pages: dict[str, str]) -> None:
    english = _english_phrases()
    assert len(english) > 50
    assert len(all_pages) >= len(VIEWS) + 14  # an entity page of every kind
    home = pseudo_client.get("/").text
    assert 'hreflang="en-XA"' in home  # the English page offers the new language
    for name, path in all_pages.items():
        response = pseudo_client.get(with_lang(path, PSEUDO))
        assert (response.status_code == 200) == (name not in FAILING), name
        assert '<html lang="en-XA">' in response.text, name
        text = visible_text(response.text)
        assert pseudo("Browse and search") in text, name  # the navigation is translated
        left = [phrase for phrase in english if phrase in text]
        assert left == [], f"{name}: English left on the page: {left}"
        assert 'hreflang="en"' in response.text and 'hreflang="fr"' in response.text


def test_pseudo_plural_forms_come_from_the_catalogue(pseudo_client: TestClient) -> None:
    text = visible_text(pseudo_client.get(
        with_lang("/equivalence?from=IE-NFQ:8&to=NL-NLQF", PSEUDO)).text)
    assert pseudo("%(count)s equivalent level found.") % {"count": 1} in text


def test_static_files_are_served_with_caching_headers(api: TestClient) -> None:
    page = api.get("/").text
    css_url = static_files.static_url("explorer.css")
    assert css_url in page and static_files.static_url("favicon.svg") in page
    fresh = api.get(css_url)
    assert fresh.status_code == 200 and fresh.headers["content-type"].startswith("text/css")
    assert fresh.headers["cache-control"] == "public, max-age=31536000, immutable"
    stale = api.get("/static/explorer.css?v=0000")
    assert stale.headers["cache-control"] == "public, max-age=300, must-revalidate"
    unversioned = api.get("/static/explorer.js")
    assert unversioned.headers["cache-control"].startswith("public, max-age=300")
    again = api.get("/static/explorer.js", headers={"If-None-Match": unversioned.headers["etag"]})
    assert again.status_code == 304
    assert api.get("/static/nope.css").status_code == 404
    assert api.get("/static/../main.py").status_code == 404
    assert api.get("/static/%2e%2e/i18n.py").status_code == 404

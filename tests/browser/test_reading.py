"""The explorer as an HR officer or a registrar reads it (issue 25), in English and French:
the CQF table at a glance on a 1280 px screen (no sideways scrolling, at most two screen
heights, names before codes, evidence behind a disclosure), one card per CQF level on a
390 px phone, at most two printed A4 landscape pages; on a phone no text smaller than 11 px;
browsers get the explorer's own pages for errors and for linked-data addresses. Screenshots
are kept in ``tests/browser/screenshots/reading/`` for review (those of every page at 390 px
in ``screenshots/pages/``, taken by ``test_pages_a11y.py``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.rdf.iris import Iris
from tests.support.explorer_pages import VIEWS, with_lang

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LANGS = ["en", "fr"]

# Effective size of every piece of visible text: its computed font size, scaled by the
# drawing's transform for SVG text (a 12 px label in a drawing shrunk to half is 6 px).
SMALL_TEXT = """(limit) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const el = node.parentElement;
    if (!el || !el.getClientRects().length) continue;
    if (el.closest('.visually-hidden, title, desc, [hidden]')) continue;
    if (el.closest('details:not([open]) > :not(summary)')) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let size = parseFloat(style.fontSize);
    const svg = el.closest('svg');
    if (svg && el instanceof SVGElement) {
      const ctm = el.getScreenCTM();
      if (ctm) size *= Math.hypot(ctm.a, ctm.b);
    }
    if (size < limit - 0.05) {
      const name = `${el.tagName.toLowerCase()}.${String(el.className.baseVal ?? el.className)}`;
      out.push(`${name} ${size.toFixed(1)}px: ${node.textContent.trim().slice(0, 40)}`);
    }
  }
  return out.slice(0, 8);
}"""
PAGE_WIDTH = "() => document.documentElement.scrollWidth"
PAGE_HEIGHT = "() => document.documentElement.scrollHeight"


def _context(browser: Any, explorer_url: str, viewport: dict[str, int]) -> Any:
    context = browser.new_context(base_url=explorer_url, viewport=viewport)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="module")
def folder(screenshot_dir: Path) -> Path:
    path = screenshot_dir / "reading"
    path.mkdir(exist_ok=True)
    return path


def _levels(explorer_url: str, lang: str) -> list[dict[str, Any]]:
    answer = httpx.get(f"{explorer_url}/api/v1/cqf-table", params={"lang": lang}).json()
    return [row["level"] for row in answer["rows"]]


@pytest.mark.parametrize("lang", LANGS)
def test_cqf_table_reads_at_a_glance_at_1280_px(browser: Any, explorer_url: str,
                                                folder: Path, lang: str) -> None:
    context = _context(browser, explorer_url, DESKTOP)
    page = context.new_page()
    try:
        page.goto(with_lang("/cqf-table", lang))
        table = page.locator("#cqf-table")
        table.wait_for()
        assert page.evaluate(PAGE_WIDTH) <= DESKTOP["width"]
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth"), "the table scrolls sideways"
        height = page.evaluate(PAGE_HEIGHT)
        assert height <= 2 * DESKTOP["height"], f"the page is {height} px tall"
        # names first, codes second
        for level in _levels(explorer_url, lang):
            head = page.locator(f"tr[data-level='{level['code']}'] th.col-level")
            text = " ".join(head.inner_text().split())
            assert text.startswith(level["name"]) and text.endswith(level["code"]), text
        level3 = page.locator("tr[data-level='CQF:3']")
        eqf_cell = level3.locator("td").first
        assert not re.match(r"^EQF:\d", eqf_cell.inner_text().strip()), "a code before the name"
        # evidence (match, confidence, mapping path, counts) behind a closed disclosure
        evidence = page.locator("tr[data-evidence-for='CQF:3'] details.evidence")
        assert evidence.count() == 1 and evidence.get_attribute("open") is None
        path = evidence.locator(".path").first
        assert not path.is_visible()
        assert "map:" not in level3.inner_text() and "%" not in level3.inner_text()
        evidence.locator("summary").click()
        assert path.is_visible()
        evidence.locator("summary").click()
        page.screenshot(path=str(folder / f"cqf-table-1280-{lang}.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_cqf_table_is_one_card_per_level_at_390_px(browser: Any, explorer_url: str,
                                                   folder: Path, lang: str) -> None:
    context = _context(browser, explorer_url, PHONE)
    page = context.new_page()
    try:
        page.goto(with_lang("/cqf-table", lang))
        cards = page.locator("#cqf-table tbody tr[data-level]")
        cards.first.wait_for()
        assert cards.count() == 5
        assert page.evaluate(PAGE_WIDTH) <= PHONE["width"]
        boxes = [cards.nth(i).bounding_box() for i in range(cards.count())]
        for box in boxes:
            assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
            assert box["width"] >= 0.8 * (PHONE["width"] - 40)  # a card takes the width
        assert [b["y"] for b in boxes if b] == sorted(b["y"] for b in boxes if b)  # stacked
        assert cards.first.evaluate("tr => getComputedStyle(tr).display") == "block"
        # every cell of a card takes the card's width (a column, not a squeezed table cell)
        narrow = cards.first.evaluate("""tr => [...tr.children].filter(
            c => c.getBoundingClientRect().width < 0.9 * tr.clientWidth - 24).length""")
        assert narrow == 0
        # each cell says which column it is
        label = cards.first.locator("td").first.evaluate(
            "td => getComputedStyle(td, '::before').content")
        assert label.strip('"') in {"EQF level", "Niveau du CEC"}
        assert page.evaluate(SMALL_TEXT, 11) == []
        page.screenshot(path=str(folder / f"cqf-table-390-{lang}.png"), full_page=True)
        cards.first.scroll_into_view_if_needed()
        page.screenshot(path=str(folder / f"cqf-table-390-{lang}-card.png"))
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_cqf_table_prints_on_at_most_two_a4_landscape_pages(browser: Any, explorer_url: str,
                                                            folder: Path, lang: str) -> None:
    context = _context(browser, explorer_url, DESKTOP)
    page = context.new_page()
    try:
        page.goto(with_lang("/cqf-table", lang))
        page.locator("#cqf-table").wait_for()
        page.emulate_media(media="print")
        pdf = page.pdf(prefer_css_page_size=True)
        (folder / f"cqf-table-print-{lang}.pdf").write_bytes(pdf)
        boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
        pages = len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))
        assert 1 <= pages <= 2, f"{pages} printed pages"
        for width, height in boxes:
            assert abs(float(width) - 842) < 2 and abs(float(height) - 595) < 2
        assert page.locator("#cqf-table tbody tr[data-level]").nth(4).is_visible()
        page.set_viewport_size({"width": 1123, "height": 794})
        page.screenshot(path=str(folder / f"cqf-table-print-{lang}.png"), full_page=True)
    finally:
        context.close()


PHONE_VIEWS = ("home", "equivalence-ladder", "portability-profile", "coverage-programme",
               "cqf-table-columns", "careers-ladder", "careers-plan", "search-results")


@pytest.mark.parametrize("lang", LANGS)
def test_at_390_px_nothing_overflows_and_no_text_is_below_11_px(browser: Any,
                                                                 explorer_url: str,
                                                                 lang: str) -> None:
    context = _context(browser, explorer_url, PHONE)
    page = context.new_page()
    problems: list[str] = []
    try:
        for name in PHONE_VIEWS:
            page.goto(with_lang(VIEWS[name], lang))
            width = page.evaluate(PAGE_WIDTH)
            if width > PHONE["width"]:
                problems.append(f"{name}: the page is {width} px wide")
            small = page.evaluate(SMALL_TEXT, 11)
            if small:
                problems.append(f"{name}: text below 11 px: {small}")
            # the full-page screenshot of each at 390 px is test_pages_a11y's (pages/)
    finally:
        context.close()
    assert problems == [], "\n".join(problems)


ERRORS = {"/no-such-page": ("Page not found", "Page introuvable"),
          "/id/competency/NOPE": ("Competency NOPE", "Compétence NOPE"),
          "/entity/mapping/NOPE": ("Mapping NOPE", "Correspondance NOPE")}


@pytest.mark.parametrize("lang", LANGS)
def test_a_browser_gets_the_explorer_error_page_in_its_language(browser: Any,
                                                                explorer_url: str,
                                                                folder: Path,
                                                                lang: str) -> None:
    context = browser.new_context(base_url=explorer_url, viewport=DESKTOP,
                                  locale="fr-FR" if lang == "fr" else "en-GB")
    page = context.new_page()
    try:
        for path, words in ERRORS.items():
            response = page.goto(path)  # the language from Accept-Language alone
            assert response is not None and response.status == 404, path
            assert response.headers["content-type"].startswith("text/html")
            assert page.locator("html").get_attribute("lang") == lang
            assert page.locator("nav.site-nav").is_visible()
            assert page.locator("link[rel=stylesheet]").count() >= 1
            error = page.locator("#error")
            assert error.is_visible()
            expected = words[LANGS.index(lang)]
            assert expected.split()[0] in page.locator("main").inner_text(), (path, expected)
            assert "problem+json" not in page.content() and '"status"' not in page.content()
        page.screenshot(path=str(folder / f"error-{lang}.png"), full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGS)
def test_a_level_mapping_is_an_explorer_page(browser: Any, explorer_url: str, folder: Path,
                                            lang: str) -> None:
    mapping = httpx.get(f"{explorer_url}/api/v1/mappings",
                        params={"from_framework": "IE-NFQ", "limit": 1}).json()["items"][0]
    context = browser.new_context(base_url=explorer_url, viewport=DESKTOP,
                                  locale="fr-FR" if lang == "fr" else "en-GB")
    page = context.new_page()
    try:
        # the mapping's URI as a browser asks for it (its canonical path, so no redirect to
        # the configured base IRI)
        response = page.goto(str(Iris("/id/").mapping(mapping["id"])))
        assert response is not None and response.status == 200
        assert page.locator("nav.site-nav").is_visible()
        heading = page.locator("h1").inner_text()
        assert "%3A" not in heading and "→" in heading
        assert page.locator("dl.attributes").is_visible()
        page.screenshot(path=str(folder / f"mapping-{lang}.png"), full_page=True)
    finally:
        context.close()

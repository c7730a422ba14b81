"""Every explorer page, in English and French, at a desktop (1280 px) and a phone (390 px)
width: axe-core finds no serious or critical accessibility violation (colour contrast
included), nothing sticks out sideways, and a full-page screenshot is saved for review in
``tests/browser/screenshots/pages/``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.graph.port import GraphStore
from tests.support.explorer_pages import FAILING, VIEWS, entity_pages, with_lang

pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.browser

WIDTHS = {"desktop": 1280, "phone": 390}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
BLOCKING = {"serious", "critical"}
# what sticks out of the viewport sideways (a wide table scrolls inside its own box instead)
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth > width + 1) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.right <= width + 1) continue;
      let scroller = el.parentElement, inside = false;
      for (; scroller; scroller = scroller.parentElement) {
        const style = getComputedStyle(scroller).overflowX;
        if (style === 'auto' || style === 'scroll') { inside = true; break; }
      }
      if (!inside) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                            (el.className && el.className.baseVal === undefined ?
                             '.' + String(el.className).split(' ').join('.') : ''));
    }
  }
  return out.slice(0, 5);
}"""


# Every view; entity pages share one template, so a few kinds with the most varied content
# (lists, references, mappings, a long neighbourhood) stand for all of them in the browser
# (every kind is rendered in both languages by tests/e2e/test_explorer_languages.py).
ENTITY_KINDS = ("Level", "Competency", "JobProfile", "Programme", "PicardStandard", "Course")
SAME_AS_ANOTHER = {"search-none", "portability-error", "coverage-error", "cqf-table",
                   "careers-no-plan"}


@pytest.fixture(scope="module")
def pages(seeded_falkordb: GraphStore) -> dict[str, str]:
    entities = entity_pages(seeded_falkordb)
    return {**{k: v for k, v in VIEWS.items() if k not in SAME_AS_ANOTHER},
            **{f"entity-{k}": entities[f"entity-{k}"] for k in ENTITY_KINDS}}


def _axe(page: Any) -> list[dict[str, Any]]:
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", AXE_TAGS)


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_is_accessible_and_fits(browser: Any, explorer_url: str, axe_script: str,
                                           pages: dict[str, str], screenshot_dir: Path,
                                           width: str, lang: str) -> None:
    context = browser.new_context(base_url=explorer_url, bypass_csp=True,
                                  viewport={"width": WIDTHS[width], "height": 900})
    context.set_default_timeout(15_000)
    # axe-core in every document the context opens, given to the browser once: sent into each
    # page after it loaded (650 kB each time) it cost about 0.4 s a page
    context.add_init_script(script=axe_script)
    page = context.new_page()
    folder = screenshot_dir / "pages"
    folder.mkdir(exist_ok=True)
    problems: list[str] = []
    try:
        for name, path in pages.items():
            response = page.goto(with_lang(path, lang))
            assert response is not None
            assert (response.status == 200) == (name not in FAILING), (name, response.status)
            for violation in _axe(page):
                if violation["impact"] in BLOCKING:
                    problems.append(f"{name}: {violation['impact']} {violation['id']} "
                                    f"({violation['help']}) at {violation['nodes']}")
            sticking_out = page.evaluate(OVERFLOW)
            if sticking_out:
                problems.append(f"{name}: wider than the {WIDTHS[width]} px viewport: "
                                f"{sticking_out}")
            shot = folder / f"{name}-{lang}-{width}.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 3_000
    finally:
        context.close()
    assert problems == [], "\n".join(problems)

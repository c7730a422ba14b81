"""The web explorer end to end in headless Chromium: each of the four views loads against the
seeded embedded store, its main interaction works, French and keyboard work, an error from the
service shows a clear message, and a screenshot of each view is saved for review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

expect = pytest.importorskip("playwright.sync_api").expect

pytestmark = pytest.mark.browser

VIEWS = {
    "equivalence": ("/equivalence", ["#from", "#to", "#depth", "button[type=submit]"]),
    "portability": ("/portability", ["#mode-profile", "#profile", "#administration",
                                     "button[type=submit]"]),
    "coverage": ("/coverage", ["#programme", "#proposed", "button[type=submit]"]),
    "search": ("/search", ["#q", "#kind", "button[type=submit]"]),
}


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert (folder / f"{name}.png").stat().st_size > 5_000


def test_equivalence_from_irish_level_8_to_dutch_framework(page: Any, screenshot_dir: Path
                                                           ) -> None:
    page.goto("/equivalence")
    page.select_option("#from", "IE-NFQ:8")
    page.select_option("#to", "NL-NLQF")
    page.click("button[type=submit]")
    row = page.locator("tr[data-level='NL-NLQF:6']")
    row.wait_for()
    assert "broad" in row.inner_text()
    assert "map:IE-NFQ:8>EQF:6" not in row.inner_text()  # ids stay out; the hops are shown
    assert "Irish NFQ level 8 IE-NFQ:8 → EQF level 6 EQF:6" in row.inner_text()  # names
    # each mapping's source, listed once below the table and referenced from the step
    first = row.locator("a.source-ref").first.get_attribute("href")
    listed = page.locator(first).evaluate("dt => dt.nextElementSibling.innerText")
    assert "Quality and Qualifications Ireland" in listed
    assert re.search(r"from=IE-NFQ%3A8.*to=NL-NLQF", page.url)  # shareable address
    assert page.locator("#ladder svg line.map.selected").count() >= 1
    assert page.locator("#ladder g.lvl.selected[data-code='IE-NFQ:8']").count() == 1
    assert page.locator("#ladder g.lvl.selected[data-code='NL-NLQF:6']").count() == 1
    assert "1 equivalent level" in page.locator("#summary").inner_text()
    shot(page, screenshot_dir, "equivalence")


def test_equivalence_address_is_shareable_and_illustrative_grades_are_flagged(page: Any
                                                                              ) -> None:
    page.goto("/equivalence?from=ADM-A-GRADES:G5&to=ADM-B-GRADES")
    assert page.locator("#from").input_value() == "ADM-A-GRADES:G5"
    assert page.locator("tbody tr").count() >= 1
    assert page.locator(".notice-illustrative").is_visible()
    assert page.locator("tbody .badge-illustrative").count() >= 1


def test_portability_from_a_profile_ranks_targets_with_coverage_bars(page: Any,
                                                                     screenshot_dir: Path
                                                                     ) -> None:
    page.goto("/portability")
    page.check("#mode-profile")
    page.select_option("#profile", "JP-AUDIT-OFFICER-PCA")
    page.click("button[type=submit]")
    targets = page.locator("ol.ranked > li")
    targets.first.wait_for()
    assert targets.count() >= 3
    assert page.locator("ol.ranked svg.bar .bar-fg").count() == targets.count()
    values = [float(v.rstrip("%")) for v in
              page.locator("ol.ranked .coverage-value").all_inner_texts()]
    assert values == sorted(values, reverse=True)  # ranked by coverage
    first = targets.first
    assert first.locator("details.gaps table tbody tr").count() >= 1  # the gaps
    assert "profile=JP-AUDIT-OFFICER-PCA" in page.url
    assert page.locator("ul.training li").count() >= 1  # training that closes gaps
    shot(page, screenshot_dir, "portability")


def test_portability_from_ticked_competencies(page: Any) -> None:
    page.goto("/portability")
    page.check("#mode-competencies")
    assert page.locator("#profile").is_hidden()
    page.fill("#comp-filter", "valuation")
    page.select_option("select[name='h.OPS-P03']", "advanced")
    page.click("button[type=submit]")
    page.locator("ol.ranked > li").first.wait_for()
    assert "h.OPS-P03=advanced" in page.url
    assert "h.OPS-P06" not in page.url  # competencies not held stay out of the address


def test_programme_coverage_grid(page: Any, screenshot_dir: Path) -> None:
    page.goto("/coverage")
    page.select_option("#programme", "EXU/PROG-EXU-MSC")
    page.click("button[type=submit]")
    grid = page.locator("#coverage-grid")
    grid.wait_for()
    assert grid.locator(".cell.covered").count() >= 1
    cell = grid.locator(".cell[data-code='PS2008-K02']")
    assert "CRS-EXU-01" in cell.inner_html() or "International and EU Customs Law" in \
        cell.inner_text()
    assert page.locator(".notice-illustrative").is_visible()  # an illustrative programme
    assert "programme=EXU%2FPROG-EXU-MSC" in page.url
    shot(page, screenshot_dir, "coverage")


def test_search_finds_valuation_and_its_entity_page_shows_relationships(
        page: Any, screenshot_dir: Path) -> None:
    page.goto("/search")
    page.fill("#q", "valuation")
    page.press("#q", "Enter")
    hit = page.locator("ol.hits a", has_text=re.compile(r"^Valuation$"))
    hit.wait_for()
    assert "OPS-P03" in page.locator("ol.hits").inner_text()
    shot(page, screenshot_dir, "search")
    hit.click()
    page.wait_for_url(re.compile(r"/entity/competency/OPS-P03"))
    assert page.locator("h1").inner_text() == "Valuation"
    assert page.locator("section.relation[data-relation='required_by'] li").count() >= 1
    assert page.locator("#graph svg a.node").count() >= 3  # the neighbourhood
    assert page.locator("a[href='/id/competency/OPS-P03']").count() == 1
    shot(page, screenshot_dir, "entity")
    page.locator("#graph svg a.node").first.click()  # neighbours are links
    page.wait_for_url(re.compile(r"/entity/"))


@pytest.mark.parametrize("view", list(VIEWS))
def test_french_switch_changes_the_interface_and_keeps_the_state(page: Any, view: str,
                                                                 screenshot_dir: Path) -> None:
    path, _ = VIEWS[view]
    state = {"search": "?q=valuation", "equivalence": "?from=IE-NFQ:8&to=NL-NLQF",
             "coverage": "?programme=EXU/PROG-EXU-MSC"}.get(view, "")
    page.goto(path + state)
    assert page.locator("html").get_attribute("lang") == "en"
    page.click("#lang-switch")
    page.wait_for_url(re.compile(r"lang=fr"))
    assert page.locator("html").get_attribute("lang") == "fr"
    nav = page.locator("nav.site-nav").inner_text()
    assert "Équivalence de niveaux" in nav and "Mobilité" in nav
    assert page.locator("button[type=submit]").first.inner_text() in {"Afficher la réponse",
                                                                      "Rechercher"}
    if view == "search":
        assert "q=valuation" in page.url
        assert "résultat" in page.locator("#summary").inner_text()
    if view == "equivalence":
        assert "from=IE-NFQ" in page.url
        assert "large (la cible est plus large)" in page.locator("tbody").inner_text()
        shot(page, screenshot_dir, "equivalence-fr")
    page.click("#lang-switch")
    assert page.locator("html").get_attribute("lang") == "en"


def test_french_data_labels_come_from_name_fr(page: Any) -> None:
    page.goto("/entity/level/ISCED-2011/1?lang=fr")
    assert page.locator("h1").inner_text() == "Enseignement primaire"
    page.goto("/entity/level/ISCED-2011/1")
    assert page.locator("h1").inner_text() == "Primary education"
    # the EQF's descriptors in French (paraphrased from the Recommendation's French text),
    # in place of the English ones and not marked as English
    page.goto("/entity/level/EQF/4?lang=fr")
    assert page.locator("h1").inner_text() == "Niveau 4 du CEC"
    knowledge = page.locator('dt[data-attribute="knowledge"] + dd')
    assert knowledge.inner_text().startswith("savoirs factuels et théoriques")
    assert knowledge.locator('[lang="en"]').count() == 0
    page.goto("/entity/level/EQF/4")
    assert page.locator('dt[data-attribute="knowledge"] + dd').inner_text().startswith(
        "factual and theoretical")


@pytest.mark.parametrize("view", list(VIEWS))
def test_keyboard_reaches_the_main_controls_in_order(page: Any, view: str) -> None:
    path, controls = VIEWS[view]
    page.goto(path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")  # the skip link moves focus to <main>
    page.wait_for_url(re.compile(r"#main$"))
    reached: list[str] = []
    for _ in range(40):
        page.keyboard.press("Tab")
        for selector in controls:
            if selector not in reached and page.evaluate(
                    "s => document.activeElement === document.querySelector(s)", selector):
                reached.append(selector)
        if len(reached) == len(controls):
            break
    assert reached == controls
    # every form control has a label a screen reader can read
    unlabelled = page.evaluate("""() => [...document.querySelectorAll(
        'main select, main input:not([type=hidden])')].filter(el => !el.labels ||
        el.labels.length === 0).map(el => el.id || el.name)""")
    assert unlabelled == []
    assert page.locator("main#main").count() == 1 and page.locator("nav").count() == 1
    assert page.locator("[aria-live]").count() >= 1


def test_a_service_error_is_shown_as_a_clear_message(page: Any, screenshot_dir: Path) -> None:
    page.goto("/equivalence?from=NOPE:1&to=EQF")
    alert = page.locator("[role=alert]")
    assert "The service answered an error" in alert.inner_text()
    assert "NOPE:1" in alert.inner_text() and "404" in alert.inner_text()
    shot(page, screenshot_dir, "error")
    page.goto("/portability?profile=NOPE")
    assert "422" in page.locator("[role=alert]").inner_text()
    page.goto("/coverage?programme=NOPE/NOPE")
    assert "The service answered an error" in page.locator("[role=alert]").inner_text()
    page.goto("/entity/competency/NOPE")
    assert "404" in page.locator("[role=alert]").inner_text()


def test_an_unreachable_or_failing_service_degrades_to_a_message(page: Any) -> None:
    page.goto("/search")
    page.route("**/search?*", lambda route: route.fulfill(
        status=503, content_type="application/problem+json", body='{"status": 503}'))
    page.fill("#q", "valuation")
    page.press("#q", "Enter")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "The service answered an error (503)" in alert.inner_text()
    page.unroute("**/search?*")
    page.route("**/search?*", lambda route: route.abort())
    page.press("#q", "Enter")
    page.locator("[role=alert]", has_text="could not be reached").wait_for()

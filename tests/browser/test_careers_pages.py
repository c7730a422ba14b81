"""The CQF table and career pages in headless Chromium: the table with pickers, download menu
and print layout; a family's ladder with step deltas; a start and a target giving a plan;
French; keyboard order; screenshots for review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("playwright.sync_api")

pytestmark = pytest.mark.browser


def shot(page: Any, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    assert (folder / f"{name}.png").stat().st_size > 5_000


def test_cqf_table_with_a_national_framework_and_an_administration(page: Any,
                                                                    screenshot_dir: Path
                                                                    ) -> None:
    page.goto("/cqf-table")
    rows = page.locator("#cqf-table tbody tr[data-level]")
    rows.first.wait_for()
    assert rows.count() == 5
    page.click("#add-frameworks summary")
    page.check("#fw-IE-NFQ")
    page.select_option("#administration", "ADM-A")
    page.click("button[type=submit]")
    page.locator("#cqf-table thead th", has_text="IE-NFQ").wait_for()
    level3 = page.locator("tr[data-level='CQF:3']")
    text = level3.inner_text()
    assert "EQF:6" in text and "IE-NFQ:7" in text and "ADM-A-GRADES:G4" in text
    assert "fw=IE-NFQ" in page.url and "administration=ADM-A" in page.url
    assert page.locator(".notice-illustrative").is_visible()
    evidence = page.locator("tr[data-evidence-for='CQF:3'] details.evidence")
    assert evidence.locator(".badge-illustrative").count() >= 1  # evidence behind a disclosure
    page.click("#downloads summary")
    csv_link = page.locator("#downloads a", has_text="CSV (")
    assert "frameworks=IE-NFQ" in csv_link.get_attribute("href")
    response = page.request.get(csv_link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"\xef\xbb\xbf")
    shot(page, screenshot_dir, "cqf-table")


def test_cqf_table_prints_on_a4_landscape_without_the_controls(page: Any,
                                                                screenshot_dir: Path) -> None:
    page.goto("/cqf-table")
    page.locator("#cqf-table").wait_for()
    page.emulate_media(media="print")
    assert page.locator("form.query").is_hidden()
    assert page.locator("nav.site-nav").is_hidden()
    assert page.locator("#cqf-table").is_visible()
    pdf = page.pdf(prefer_css_page_size=True)
    assert pdf[:4] == b"%PDF"
    # A4 landscape is 842 x 595 points; the CSS @page size is what the PDF gets.
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 842) < 2 and abs(float(height) - 595) < 2
    page.set_viewport_size({"width": 1123, "height": 794})
    shot(page, screenshot_dir, "cqf-table-print")


def test_family_ladder_shows_streams_and_step_deltas(page: Any, screenshot_dir: Path) -> None:
    page.goto("/careers")
    page.select_option("#family", "JF-BORDER")
    page.click("form[aria-labelledby='ladder-h'] button[type=submit]")
    rungs = page.locator("ol.ladder > li.rung")
    rungs.first.wait_for()
    assert rungs.count() == 4
    assert rungs.first.get_attribute("data-level") == "CQF:4"  # the top of the ladder first
    assert page.locator(".stream-management").count() >= 1
    step = page.locator("ol.steps li.step[data-to='JP-CONTROL-MID_MGR-BORDER']")
    assert "Newly required" in step.inner_text() and "→" in step.inner_text()
    assert "family=JF-BORDER" in page.url
    shot(page, screenshot_dir, "careers-ladder")


def test_start_and_target_give_the_plan_with_courses_and_ects(page: Any,
                                                              screenshot_dir: Path) -> None:
    page.goto("/careers")
    page.select_option("#from", "JP-ADM-B-03")
    page.select_option("#to", "JP-CONTROL-MID_MGR-BORDER")
    page.click("form[aria-labelledby='plan-h'] button[type=submit]")
    steps = page.locator("ol.plan-steps > li")
    steps.first.wait_for()
    assert 1 <= steps.count() <= 4
    assert steps.last.get_attribute("data-profile") == "JP-CONTROL-MID_MGR-BORDER"
    assert "ECTS" in page.locator("#plan .total").inner_text()
    assert "moves" in page.locator("#summary").inner_text() or "move" in page.locator(
        "#summary").inner_text()
    shot(page, screenshot_dir, "careers-plan")


def test_a_plan_can_start_from_competencies_held(page: Any, screenshot_dir: Path) -> None:
    page.goto("/careers")
    assert page.locator("#comp-list").is_hidden()  # the profile start is the default
    page.check("#mode-competencies")
    assert page.locator("#from").is_hidden() and page.locator("#comp-list").is_visible()
    page.fill("#comp-filter", "inspect cargo")
    row = page.locator(".comp-row", has=page.locator("#h-ESCO\\:inspect-cargo"))
    assert row.is_visible()
    assert page.locator(".comp-row:visible").count() < page.locator(".comp-row").count()
    page.fill("#comp-filter", "")
    page.select_option("#h-ESCO\\:inspect-cargo", "advanced")
    page.select_option("#h-OPS-P05", "advanced")
    page.select_option("#h-OPS-P02", "trained")
    page.select_option("#h-ESCO\\:perform-body-searches", "trained")
    page.select_option("#to", "JP-CONTROL-OFFICER-BORDER")
    page.click("form[aria-labelledby='plan-h'] button[type=submit]")
    steps = page.locator("ol.plan-steps > li")
    steps.first.wait_for()
    assert steps.last.get_attribute("data-profile") == "JP-CONTROL-OFFICER-BORDER"
    assert "mode=competencies" in page.url and "h.OPS-P05=advanced" in page.url
    assert "from=" not in page.url  # the hidden profile field is not sent
    assert "4 competencies held" in page.locator("#plan").inner_text()
    # the form keeps what was ticked, in competencies mode
    assert page.locator("#mode-competencies").is_checked()
    assert page.locator("#h-OPS-P05").input_value() == "advanced"
    # requirements no course closes are said, never shown as free training
    plan = page.locator("#plan").inner_text()
    if "Not achievable by training alone" in plan:
        assert "requirement" in page.locator("#plan .total").inner_text()
    shot(page, screenshot_dir, "careers-plan-competencies")


def test_competencies_start_in_french_and_by_keyboard(page: Any) -> None:
    page.goto("/careers?lang=fr")
    assert "Compétences détenues" in page.locator("fieldset.competencies legend").first.inner_text()
    page.locator("#mode-profile").focus()
    page.keyboard.press("ArrowRight")  # radios: arrows move the choice
    assert page.locator("#mode-competencies").is_checked()
    assert page.locator("#comp-filter").is_visible()
    page.keyboard.press("Tab")
    assert page.locator("#comp-filter").evaluate("el => el === document.activeElement")


def test_no_plan_is_explained(page: Any) -> None:
    page.goto("/careers?from=JP-CONTROL-TRAINEE-BORDER&to=JP-CONTROL-STRAT_MGR-LEAD&steps=2")
    assert "No plan" in page.locator("#summary").inner_text()
    assert page.locator("#plan").is_visible()


def test_pages_in_french(page: Any, screenshot_dir: Path) -> None:
    page.goto("/cqf-table?lang=fr")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert "Tableau d'équivalence du CQF" in page.locator("h1").inner_text()
    isced = page.locator("tr[data-level='CQF:3'] td").nth(1)
    assert isced.inner_text()
    page.goto("/careers?lang=fr&family=JF-BORDER")
    assert page.locator("h1").inner_text() == "Parcours de carrière"
    assert page.locator("ol.ladder > li.rung").count() == 4
    shot(page, screenshot_dir, "careers-fr")


@pytest.mark.parametrize("path, order", [
    # the framework list is behind its disclosure (opened with Enter, then in order)
    ("/cqf-table", ["#add-frameworks > summary", "#administration",
                    "form.query button[type=submit]", "#downloads > summary"]),
    ("/cqf-table?fw=IE-NFQ", ["#add-frameworks > summary", "#fw-AU-AQF", "#fw-DE-DQR",
                              "#fw-FR-CNCP", "#administration"]),
    ("/careers", ["#family", "form[aria-labelledby='ladder-h'] button", "#mode-profile",
                  "#from", "#to", "#steps", "#min"]),
])
def test_keyboard_reaches_the_controls_in_order(page: Any, path: str, order: list[str]) -> None:
    page.goto(path)
    page.locator("#main").focus()
    reached: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        for selector in order:
            if selector not in reached and page.locator(selector).evaluate(
                    "el => el === document.activeElement"):
                reached.append(selector)
        if len(reached) == len(order):
            break
    assert reached == order

"""Every framework the graph knows answers with its reason (issue 25.4): a framework referenced
to the EQF whose level table the graph does not hold (Denmark, Hungary, ...) explains itself
in the API and the explorer, is listed by the explorer's pickers, and its page writes its
referencing year as a year and its status in words."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

DANISH = "DK-NQF was referenced to the EQF in 2011; the level table is not in the graph"


@pytest.mark.parametrize("params", [{"from": "DK-NQF:6", "to": "EQF"}, {"from": "dk-nqf/6"},
                                    {"from": "EQF:6", "to": "DK-NQF"}])
def test_equivalence_from_or_to_a_year_only_framework_gives_its_reason(
        api: TestClient, params: dict[str, str]) -> None:
    answer = api.get("/api/v1/equivalences", params=params)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["equivalences"] == [] and body["total"] == 0
    assert body["no_equivalence"]["kind"] == "no_level_table"
    assert body["no_equivalence"]["detail"] == DANISH
    assert body["no_equivalence"]["referencing_year"] == 2011


def test_hungary_too_and_an_unknown_level_elsewhere_is_still_a_404(api: TestClient) -> None:
    hungary = api.get("/api/v1/equivalences", params={"from": "HU-NQF:4"}).json()
    assert hungary["no_equivalence"]["detail"].startswith("HU-NQF was referenced to the EQF in")
    assert api.get("/api/v1/equivalences", params={"from": "EQF:99"}).status_code == 404


@pytest.mark.parametrize("lang,words", [
    ("en", "DK-NQF was referenced to the EQF in 2011; its level table is not in the graph."),
    ("fr", "DK-NQF a été référencé au CEC en 2011\u202f; sa table des niveaux ne figure pas "
           "dans le graphe.")])
def test_the_explorer_explains_it_in_both_languages(api: TestClient, lang: str,
                                                    words: str) -> None:
    page = api.get("/equivalence", params={"from": "DK-NQF:6", "to": "EQF", "lang": lang})
    assert page.status_code == 200
    assert words in page.text


@pytest.mark.parametrize("lang,words", [
    ("en", '<span lang="en">NZ-NZQCF:8: unlevelled by agreement'),
    ("fr", '<span lang="fr">NZ-NZQCF:8\u202f: non rattaché par accord')])
def test_the_explorer_gives_a_frameworks_own_reason_in_the_pages_language(
        api: TestClient, lang: str, words: str) -> None:
    page = api.get("/equivalence", params={"from": "NZ-NZQCF:8", "to": "EQF", "lang": lang})
    assert page.status_code == 200
    assert words in page.text


def test_the_from_picker_lists_year_only_frameworks(api: TestClient) -> None:
    page = api.get("/equivalence").text
    picker = page[page.index('id="from"'):page.index('id="to"')]
    assert 'value="DK-NQF" disabled' in picker and 'value="HU-NQF" disabled' in picker


def test_the_framework_page_writes_the_year_as_a_year_and_the_status_in_words(
        api: TestClient) -> None:
    page = api.get("/id/framework/DK-NQF", headers={"Accept": "text/html"}).text
    assert "2011" in page and "2,011" not in page and "no_level_table" not in page
    assert "referenced to the EQF, level table not in the graph" in page

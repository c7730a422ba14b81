"""The explorer's pure parts: the message catalogue and the drawings' geometry."""

from __future__ import annotations

from app.web import i18n, svg


def test_french_and_english_catalogues_hold_the_same_keys() -> None:
    assert set(i18n.FR) == set(i18n.EN)
    assert all(i18n.FR[k].strip() for k in i18n.FR)


def test_unknown_language_falls_back_to_english() -> None:
    assert i18n.Translator("de")("nav.search") == i18n.EN["nav.search"]
    assert i18n.Translator("fr")("no.such.key") == "no.such.key"


def test_data_labels_use_name_fr_in_french_with_english_fallback() -> None:
    fr = i18n.Translator("fr")
    assert fr.label({"name": "Primary education", "name_fr": "Enseignement primaire"}) == \
        "Enseignement primaire"
    assert fr.label({"name": "Valuation", "name_fr": None}) == "Valuation"
    assert i18n.Translator("en").label({"name": "Valuation", "name_fr": "Évaluation"}) == \
        "Valuation"


def _levels(framework: str, n: int) -> list[dict[str, object]]:
    return [{"code": f"{framework}:{i}", "label": f"{framework} {i}", "ordinal": i}
            for i in range(1, n + 1)]


def test_ladder_puts_low_levels_at_the_bottom_and_joins_mapped_levels() -> None:
    drawing = svg.ladder(_levels("A", 3), _levels("B", 4),
                         [{"from": "A:1", "to": "B:1", "match_type": "exactMatch"},
                          {"from": "A:3", "to": "B:4", "match_type": "broadMatch"},
                          {"from": "A:2", "to": "X:9", "match_type": "closeMatch"}], "A:3")
    ys = [b.y for b in drawing.left]
    assert ys == sorted(ys, reverse=True)  # ordinal 1 lowest on the page (largest y)
    assert len(drawing.lines) == 2  # a link to a level not drawn is left out
    assert drawing.lines[-1].selected and drawing.lines[-1].css == "broadMatch"
    assert [b.code for b in drawing.right if b.selected] == ["B:4"]
    assert all(0 <= b.y <= drawing.height for b in drawing.left + drawing.right)


def test_neighbourhood_keeps_nodes_inside_the_drawing_and_caps_their_number() -> None:
    items = [{"kind": "Competency", "code": f"C{i}", "label": f"c{i}", "relation": "requires",
              "href": f"/entity/competency/C{i}"} for i in range(40)]
    drawing = svg.neighbourhood("centre", items)
    assert len(drawing.nodes) == svg.GRAPH_MAX_NEIGHBOURS and drawing.total == 40
    assert all(0 < n.x < drawing.width and 0 < n.y < drawing.height for n in drawing.nodes)

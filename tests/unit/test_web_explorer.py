"""The explorer's pure parts: the drawings' geometry (catalogues: ``test_web_i18n.py``)."""

from __future__ import annotations

from app.web import svg


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

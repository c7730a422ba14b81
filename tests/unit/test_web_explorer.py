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


def _label_box(node: svg.Node) -> tuple[float, float, float, float]:
    """Generous bounds of a neighbour's two text lines (12 px name, 10 px relation)."""
    width = max(len(node.label) * 7.2, len(node.relation) * 6.0)
    left = node.x + 14 if node.anchor == "start" else node.x - 14 - width
    return left, node.y - 10, left + width, node.y + 20


def test_neighbourhood_labels_never_overlap_and_stay_inside() -> None:
    items = [{"kind": "Competency", "code": f"C{i}", "label": "W" * 40, "relation": "r" * 30,
              "href": f"/entity/competency/C{i}"} for i in range(svg.GRAPH_MAX_NEIGHBOURS)]
    drawing = svg.neighbourhood("centre " * 10, items)
    boxes = [_label_box(n) for n in drawing.nodes]
    for i, a in enumerate(boxes):
        assert 0 <= a[0] and a[2] <= drawing.width and 0 <= a[1] and a[3] <= drawing.height
        for b in boxes[i + 1:]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)

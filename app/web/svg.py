"""Geometry of the explorer's two drawings, as plain data the templates turn into inline SVG:
the side-by-side ladder of two frameworks and the neighbourhood of an entity. Pure code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

LADDER_WIDTH = 680
LADDER_BOX = (230, 26)  # width, height of a level box
LADDER_ROW = 36
LADDER_HEAD = 24  # room for the column headings
GRAPH_SIZE = (680, 440)
GRAPH_MAX_NEIGHBOURS = 16
GRAPH_ROW = 48  # vertical distance between neighbours of one column
GRAPH_MARGIN = 28
GRAPH_COLUMN_OFFSET = 130  # from the centre to each column of neighbours
GRAPH_LABEL = 26  # characters of a neighbour's name before it is shortened (full in its title)


def short(text: str, limit: int = 30) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


@dataclass
class Box:
    code: str
    label: str
    title: str
    x: float
    y: float
    href: str = ""
    selected: bool = False
    illustrative: bool = False
    lang: str | None = None  # the label's language when it is not the page's


@dataclass
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    css: str
    title: str
    selected: bool = False


@dataclass
class Ladder:
    width: int
    height: int
    box_width: int
    box_height: int
    left: list[Box] = field(default_factory=list)
    right: list[Box] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)


def _column(levels: Sequence[dict[str, Any]], x: float, height: float,
            selected: set[str]) -> list[Box]:
    """Levels from lowest (bottom) to highest (top), spread over the whole height."""
    ordered = sorted(levels, key=lambda lv: (lv.get("ordinal") is None, lv.get("ordinal") or 0,
                                             lv["code"]))
    step = (height - LADDER_HEAD - LADDER_ROW) / max(len(ordered) - 1, 1)
    boxes = []
    for i, level in enumerate(ordered):
        y = height - LADDER_ROW / 2 - i * step - LADDER_BOX[1] / 2
        boxes.append(Box(level["code"], short(level["label"]), level["label"], x, y,
                         level.get("href", ""), level["code"] in selected,
                         bool(level.get("illustrative")), level.get("lang")))
    return boxes


def ladder(left: Sequence[dict[str, Any]], right: Sequence[dict[str, Any]],
           links: Sequence[dict[str, Any]], selected: str | None) -> Ladder:
    """``left``/``right``: levels with code, label, ordinal (href, illustrative optional);
    ``links``: from, to, match_type, title. Links touching ``selected`` are highlighted."""
    rows = max(len(left), len(right), 2)
    height = rows * LADDER_ROW + 8 + LADDER_HEAD
    width, (bw, bh) = LADDER_WIDTH, LADDER_BOX
    chosen = {selected} if selected else set()
    targets = {lk["to"] for lk in links if lk["from"] == selected}
    out = Ladder(width, height, bw, bh, _column(left, 4, height, chosen),
                 _column(right, width - bw - 4, height, targets))
    where_left = {b.code: b for b in out.left}
    where_right = {b.code: b for b in out.right}
    for link in links:
        a, b = where_left.get(link["from"]), where_right.get(link["to"])
        if a is None or b is None:
            continue
        out.lines.append(Line(a.x + bw, a.y + bh / 2, b.x, b.y + bh / 2,
                              link["match_type"], link.get("title", ""),
                              link["from"] == selected))
    out.lines.sort(key=lambda ln: ln.selected)  # the selected level's lines drawn on top
    return out


@dataclass
class Node:
    kind: str
    code: str
    label: str
    title: str
    relation: str
    href: str
    x: float
    y: float
    anchor: str
    illustrative: bool = False
    lang: str | None = None  # the label's language when it is not the page's


@dataclass
class Neighbourhood:
    width: int
    height: int
    cx: float
    cy: float
    centre_label: str
    nodes: list[Node]
    total: int


def neighbourhood(centre_label: str, neighbours: Sequence[dict[str, Any]]) -> Neighbourhood:
    """The entity in the centre and up to ``GRAPH_MAX_NEIGHBOURS`` neighbours in two columns,
    one each side, labels pointing outwards: rows are ``GRAPH_ROW`` apart, so no two labels
    (a name of at most ``GRAPH_LABEL`` characters over its relation) can overlap, and each
    label has the room between its node and the edge of the drawing.
    ``neighbours``: kind, code, label, relation, href (illustrative, lang optional)."""
    shown = list(neighbours)[:GRAPH_MAX_NEIGHBOURS]
    rows = max((len(shown) + 1) // 2, 1)
    width = GRAPH_SIZE[0]
    height = max(GRAPH_SIZE[1], rows * GRAPH_ROW + 2 * GRAPH_MARGIN)
    cx, cy = width / 2, height / 2
    top = cy - (rows - 1) * GRAPH_ROW / 2
    nodes = []
    for i, item in enumerate(shown):
        right = i % 2 == 0  # alternate sides so both columns fill evenly
        row = i // 2
        x = cx + GRAPH_COLUMN_OFFSET if right else cx - GRAPH_COLUMN_OFFSET
        y = top + row * GRAPH_ROW
        nodes.append(Node(item["kind"], item["code"], short(item["label"], GRAPH_LABEL),
                          item["label"], item["relation"], item["href"], round(x, 1),
                          round(y, 1), "start" if right else "end",
                          bool(item.get("illustrative")), item.get("lang")))
    return Neighbourhood(width, height, cx, cy, short(centre_label, 28), nodes, len(neighbours))

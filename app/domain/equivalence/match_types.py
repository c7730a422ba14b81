"""Match types and their algebra: inversion, composition, strength, confidence.

The rules and the decisions behind them are in the package docstring."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Literal

from app.domain.text import N_
from app.domain.vocab import MatchType

MAX_DEPTH = 5
DEFAULT_DEPTH = 3
DEFAULT_MAX_PATHS = 20_000

Direction = Literal["forward", "backward"]
PathsMode = Literal["best", "all"]
ContradictionReason = Literal["same_framework", "conflicting_mapping"]


class SearchTooBroad(ValueError):
    """The asked search would enumerate too many paths; the client can narrow it (the API
    renders it as a bad request). Kept a ValueError; ``MESSAGE`` is the msgid the API words
    it with in the request's language (``start``, ``budget``)."""

    MESSAGE = N_("the search from %(start)s explored more than %(budget)s paths; name a target "
               "framework, lower the depth or ask for the best paths only")

    def __init__(self, start: str, budget: int) -> None:
        self.start, self.budget = start, budget
        super().__init__(self.MESSAGE % {"start": start, "budget": budget})


# --------------------------------------------------------------------------- match types


_E, _C, _B, _N, _R = (
    MatchType.EXACT,
    MatchType.CLOSE,
    MatchType.BROAD,
    MatchType.NARROW,
    MatchType.RELATED,
)

STRENGTH: dict[MatchType, int] = {_E: 4, _C: 3, _B: 2, _N: 2, _R: 1}
_INVERSE: dict[MatchType, MatchType] = {_E: _E, _C: _C, _B: _N, _N: _B, _R: _R}


def _composition_table() -> dict[tuple[MatchType, MatchType], MatchType]:
    table: dict[tuple[MatchType, MatchType], MatchType] = {}
    for a in MatchType:
        for b in MatchType:
            if a is _E:
                table[a, b] = b
            elif b is _E:
                table[a, b] = a
            elif _R in (a, b) or {a, b} == {_B, _N}:
                table[a, b] = _R
            elif a is _C:  # close with close / broad / narrow: the other one
                table[a, b] = b
            else:  # a is broad or narrow; b is close or the same as a
                table[a, b] = a
    return table


COMPOSE = _composition_table()

# t -> the types u such that, whatever follows, a path of type t stays at least as strong as a
# path of type u (exact beats all; close beats all but exact; broad, narrow beat related).
AT_LEAST_AS_STRONG: dict[MatchType, frozenset[MatchType]] = {
    t: frozenset(
        u for u in MatchType
        if all(STRENGTH[COMPOSE[t, x]] >= STRENGTH[COMPOSE[u, x]] for x in MatchType)
    )
    for t in MatchType
}


def strength(t: MatchType) -> int:
    """exact 4 > close 3 > broad = narrow 2 > related 1."""
    return STRENGTH[MatchType(t)]


def invert(t: MatchType) -> MatchType:
    """The type of a mapping walked backwards: broad <-> narrow; the rest are symmetric."""
    return _INVERSE[MatchType(t)]


def compose(a: MatchType, b: MatchType) -> MatchType:
    """The type of ``A --a--> B --b--> C`` read from A to C (table in the module docstring)."""
    return COMPOSE[MatchType(a), MatchType(b)]


def compose_all(types: Iterable[MatchType]) -> MatchType:
    """Compose a chain of types; the empty chain is ``exactMatch`` (a level is itself)."""
    result = _E
    for t in types:
        result = COMPOSE[result, MatchType(t)]
    return result


def clamp(confidence: float | None) -> float:
    if confidence is None or math.isnan(confidence):
        return 0.0
    return min(1.0, max(0.0, float(confidence)))


def compose_confidence(a: float | None, b: float | None) -> float:
    """Confidence of two links in a row: the product (each clamped to 0..1, None as 0)."""
    return clamp(a) * clamp(b)


def path_confidence(confidences: Iterable[float | None]) -> float:
    result = 1.0
    for c in confidences:
        result *= clamp(c)
    return result


def framework_of(level_code: str) -> str:
    """``'IE-NFQ:8' -> 'IE-NFQ'``. Raises ValueError on a code that is not FRAMEWORK:LEVEL."""
    framework, sep, level = level_code.partition(":")
    if not sep or not framework or not level:
        raise ValueError(f"level code {level_code!r} is not of the form FRAMEWORK:LEVEL")
    return framework

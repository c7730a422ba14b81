"""Composition rules of SKOS match types and of confidences (pure, no store)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.equivalence import (
    compose,
    compose_all,
    compose_confidence,
    framework_of,
    invert,
    path_confidence,
    strength,
)
from app.domain.vocab import MatchType

EXACT, CLOSE, BROAD, NARROW, RELATED = (
    MatchType.EXACT,
    MatchType.CLOSE,
    MatchType.BROAD,
    MatchType.NARROW,
    MatchType.RELATED,
)

match_types = st.sampled_from(list(MatchType))
confidences = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def test_match_type_values_are_the_skos_local_names():
    assert [t.value for t in MatchType] == [
        "exactMatch", "closeMatch", "broadMatch", "narrowMatch", "relatedMatch",
    ]
    assert MatchType("broadMatch") is BROAD


# --- invert


def test_walking_broad_backwards_gives_narrow():
    assert invert(BROAD) is NARROW


def test_walking_narrow_backwards_gives_broad():
    assert invert(NARROW) is BROAD


@pytest.mark.parametrize("t", [EXACT, CLOSE, RELATED])
def test_exact_close_and_related_are_symmetric(t):
    assert invert(t) is t


# --- compose, one rule each


@pytest.mark.parametrize("t", list(MatchType))
def test_exact_then_anything_composes_to_that_thing(t):
    assert compose(EXACT, t) is t


@pytest.mark.parametrize("t", list(MatchType))
def test_anything_then_exact_composes_to_that_thing(t):
    assert compose(t, EXACT) is t


def test_exact_then_broad_composes_to_broad():
    assert compose(EXACT, BROAD) is BROAD


def test_close_then_close_composes_to_close():
    assert compose(CLOSE, CLOSE) is CLOSE


def test_close_then_broad_composes_to_broad():
    assert compose(CLOSE, BROAD) is BROAD


def test_broad_then_close_composes_to_broad():
    assert compose(BROAD, CLOSE) is BROAD


def test_close_then_narrow_composes_to_narrow():
    assert compose(CLOSE, NARROW) is NARROW


def test_narrow_then_close_composes_to_narrow():
    assert compose(NARROW, CLOSE) is NARROW


def test_broad_then_broad_composes_to_broad():
    assert compose(BROAD, BROAD) is BROAD


def test_narrow_then_narrow_composes_to_narrow():
    assert compose(NARROW, NARROW) is NARROW


def test_broad_then_narrow_composes_to_related():
    assert compose(BROAD, NARROW) is RELATED


def test_narrow_then_broad_composes_to_related():
    assert compose(NARROW, BROAD) is RELATED


@pytest.mark.parametrize("t", list(MatchType))
def test_related_with_anything_composes_to_related(t):
    assert compose(RELATED, t) is RELATED
    assert compose(t, RELATED) is RELATED


def test_composition_accepts_the_string_values():
    assert compose("broadMatch", "closeMatch") is BROAD
    assert invert("narrowMatch") is BROAD


def test_an_empty_chain_is_exact_and_a_chain_folds_left():
    assert compose_all([]) is EXACT
    assert compose_all([EXACT, CLOSE, BROAD, BROAD]) is BROAD
    assert compose_all([BROAD, NARROW, EXACT]) is RELATED


def test_strength_orders_exact_close_broad_narrow_related():
    assert strength(EXACT) > strength(CLOSE) > strength(BROAD) > strength(RELATED)
    assert strength(BROAD) == strength(NARROW)


# --- properties


@given(match_types, match_types)
def test_compose_is_never_stronger_than_the_weakest_link(a, b):
    assert strength(compose(a, b)) <= min(strength(a), strength(b))


@given(match_types)
def test_exact_is_the_identity(t):
    assert compose(EXACT, t) is t and compose(t, EXACT) is t


@given(match_types)
def test_related_absorbs(t):
    assert compose(RELATED, t) is RELATED and compose(t, RELATED) is RELATED


@given(match_types)
def test_invert_is_an_involution(t):
    assert invert(invert(t)) is t


@given(match_types)
def test_invert_keeps_strength(t):
    assert strength(invert(t)) == strength(t)


@given(match_types, match_types)
def test_walking_a_composed_pair_backwards_composes_the_inverses_in_reverse(a, b):
    assert invert(compose(a, b)) is compose(invert(b), invert(a))


@given(match_types, match_types, match_types)
def test_compose_is_associative(a, b, c):
    assert compose(compose(a, b), c) is compose(a, compose(b, c))


@given(st.lists(match_types, max_size=6))
def test_a_chain_is_never_stronger_than_any_of_its_links(chain):
    composed = compose_all(chain)
    assert all(strength(composed) <= strength(t) for t in chain)


@given(confidences, confidences)
def test_confidence_of_two_links_is_their_product_and_never_rises(a, b):
    c = compose_confidence(a, b)
    assert c == pytest.approx(a * b)
    assert c <= min(a, b)


@given(st.lists(confidences, max_size=6))
def test_path_confidence_never_rises_along_a_path(chain):
    prefixes = [path_confidence(chain[:i]) for i in range(len(chain) + 1)]
    assert all(later <= earlier for earlier, later in zip(prefixes, prefixes[1:], strict=False))


def test_missing_or_out_of_range_confidence_is_clamped():
    assert compose_confidence(None, 0.9) == 0.0
    assert compose_confidence(1.5, 0.5) == 0.5
    assert path_confidence([]) == 1.0


# --- level codes


def test_framework_is_the_part_before_the_colon():
    assert framework_of("IE-NFQ:8") == "IE-NFQ"
    assert framework_of("UK-RQF:E3") == "UK-RQF"
    assert framework_of("X:odd:level") == "X"


@pytest.mark.parametrize("code", ["EQF", ":6", "EQF:", ""])
def test_a_code_without_framework_and_level_is_rejected(code):
    with pytest.raises(ValueError):
        framework_of(code)

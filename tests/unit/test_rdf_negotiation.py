from __future__ import annotations

from app.rdf.negotiation import choose

OFFERED = ["text/html", "application/json", "text/turtle", "application/ld+json"]


def test_no_accept_header_gets_the_first_offered() -> None:
    assert choose(None, OFFERED) == "text/html"


def test_highest_q_value_wins() -> None:
    accept = "text/html;q=0.5, text/turtle;q=0.9, application/json;q=0.1"
    assert choose(accept, OFFERED) == "text/turtle"


def test_specific_range_overrides_a_wildcard() -> None:
    assert choose("*/*;q=0.8, text/html;q=0", OFFERED) == "application/json"


def test_type_wildcard_matches_within_its_type() -> None:
    assert choose("application/*", OFFERED) == "application/json"


def test_nothing_acceptable_gives_none() -> None:
    assert choose("image/png", OFFERED) is None
    assert choose("text/turtle;q=0", OFFERED) is None


def test_a_malformed_q_counts_as_not_acceptable() -> None:
    assert choose("text/turtle;q=abc, application/ld+json;q=0.2", OFFERED) == \
        "application/ld+json"

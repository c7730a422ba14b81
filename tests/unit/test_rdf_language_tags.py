"""Language tags and IRIs come from what writers stored. A value no serialiser accepts (a tag
that is not well-formed BCP 47, an IRI with a private-use code point) must not break an export
after its answer has started (pyoxigraph refuses them while serialising): a quote with such a
tag is written as a plain string, such an IRI is left out, in every term factory."""

from __future__ import annotations

import pytest

from app.rdf import triples
from app.rdf.terms import RDFLIB, NTriplesTerms, OxigraphTerms, is_language_tag, is_web_iri


@pytest.mark.parametrize("tag", ["sl", "en", "fr-BE", "en-x-a", "de-CH-1996"])
def test_well_formed_tags_are_tags(tag: str) -> None:
    assert is_language_tag(tag)


@pytest.mark.parametrize("tag", ["", "a", "en-a", "xx-x-", "a-x", "en--GB"])
def test_malformed_tags_are_not(tag: str) -> None:
    assert not is_language_tag(tag)


@pytest.mark.parametrize("terms", [RDFLIB, NTriplesTerms(), OxigraphTerms()],
                         ids=["rdflib", "ntriples", "oxigraph"])
def test_a_quote_with_a_malformed_tag_is_a_plain_string(terms: object) -> None:
    quoted = triples.evidence_quote({"evidence_quote": "Niveau 6", "evidence_language": "en-a"},
                                    terms)  # type: ignore[arg-type]
    ((_, literal),) = quoted
    assert "Niveau 6" in str(literal) and "@" not in str(literal).split('"')[-1]
    tagged = triples.evidence_quote({"evidence_quote": "Niveau 6", "evidence_language": "fr"},
                                    terms)  # type: ignore[arg-type]
    assert "fr" in repr(tagged[0][1])


@pytest.mark.parametrize("value", ["https://www.wcoomd.org/en/topics/capacity-building.aspx",
                                   "http://example.org/é?q=1"])
def test_web_iris_are_iris(value: str) -> None:
    assert is_web_iri(value)


@pytest.mark.parametrize("value", ["https://x.test/\U00104877", "ftp://x.test/", "https://a b",
                                   "https://x.test/<", "not an iri"])
def test_what_no_serialiser_accepts_is_not_an_iri(value: str) -> None:
    """A source URL a writer stored with a private-use code point broke the streamed export."""
    assert not is_web_iri(value)

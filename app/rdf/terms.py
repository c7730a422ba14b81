"""Term factories: the same description code yields rdflib terms (single-entity documents),
N-Triples text (the N-Triples stream) or pyoxigraph terms (Turtle, JSON-LD and RDF/XML,
serialised by pyoxigraph).

``NTriplesTerms`` renders every term straight to its N-Triples form (``<iri>``,
``"text"@en``, ``"5"^^<...#integer>``), so bulk exports build no rdflib object per value;
constants (predicates, classes) are rendered once and cached.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_ECHAR = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
          ord("\t"): "\\t"}
_ECHAR.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ECHAR})
_XSD_STRING = str(XSD.string)
_WEB_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@lru_cache(maxsize=1024)
def is_language_tag(tag: str) -> bool:
    """Whether ``tag`` is a well-formed BCP 47 tag, judged by the serialiser that will write it
    (pyoxigraph refuses ``en-a`` mid-stream, after the answer has started)."""
    if not tag:
        return False
    try:
        ox.Literal("", language=tag)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_web_iri(value: str) -> bool:
    """Whether ``value`` is an http(s) IRI every serialiser accepts (RFC 3987, judged by
    pyoxigraph: a private-use or unpaired code point fails there, mid-stream otherwise)."""
    if not _WEB_IRI.match(value):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def nt_term(term: Node) -> str:
    """The N-Triples form of an rdflib term."""
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    text = f'"{str(term).translate(_ECHAR)}"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype and str(term.datatype) != _XSD_STRING:
        return f"{text}^^<{term.datatype}>"
    return text


@lru_cache(maxsize=4096)
def decimal_lexical(text: str) -> str:
    """rdflib's lexical form of an xsd:decimal (so both factories agree to the character)."""
    return str(Literal(Decimal(text), datatype=XSD.decimal))


class RdflibTerms:
    lexical = False

    @staticmethod
    def iri(value: str) -> URIRef:
        return value if isinstance(value, URIRef) else URIRef(value)

    @staticmethod
    def const(term: URIRef) -> URIRef:
        return term

    @staticmethod
    def node(term: Node) -> Node:
        return term

    @staticmethod
    def literal(text: str, lang: str | None = None, datatype: URIRef | None = None) -> Literal:
        return Literal(text, lang=lang, datatype=datatype)


class NTriplesTerms:
    lexical = True

    def __init__(self) -> None:
        self._consts: dict[URIRef, str] = {}

    @staticmethod
    def iri(value: str) -> str:
        return f"<{value}>"

    def const(self, term: URIRef) -> str:
        text = self._consts.get(term)
        if text is None:
            text = self._consts[term] = f"<{term}>"
        return text

    @staticmethod
    def node(term: Node) -> str:
        return nt_term(term)

    def literal(self, text: str, lang: str | None = None,
                datatype: URIRef | None = None) -> str:
        body = f'"{text.translate(_ECHAR)}"'
        if lang:
            return f"{body}@{lang}"
        if datatype is not None:
            return f"{body}^^{self.const(datatype)}"
        return body




class OxigraphTerms:
    """pyoxigraph terms, for the exports serialised by pyoxigraph (``app.rdf.oxstream``):
    constants are made once and cached."""

    lexical = False

    def __init__(self) -> None:
        self._consts: dict[str, ox.NamedNode] = {}

    @staticmethod
    def iri(value: str) -> ox.NamedNode:
        return ox.NamedNode(value)

    def const(self, term: URIRef) -> ox.NamedNode:
        node = self._consts.get(term)
        if node is None:
            node = self._consts[term] = ox.NamedNode(str(term))
        return node

    def node(self, term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, URIRef):
            return self.const(term)
        if isinstance(term, BNode):
            return ox.BlankNode(str(term))
        assert isinstance(term, Literal)
        return self.literal(str(term), term.language, term.datatype)

    def literal(self, text: str, lang: str | None = None,
                datatype: URIRef | None = None) -> ox.Literal:
        if lang:
            return ox.Literal(text, language=lang)
        if datatype is not None and str(datatype) != _XSD_STRING:
            return ox.Literal(text, datatype=self.const(datatype))
        return ox.Literal(text)


Terms = RdflibTerms | NTriplesTerms | OxigraphTerms
RDFLIB = RdflibTerms()

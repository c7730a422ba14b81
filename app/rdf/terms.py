"""Term factories: the same description code yields rdflib terms (single-entity documents,
JSON-LD, RDF/XML) or N-Triples text (the fast N-Triples and Turtle streams).

``NTriplesTerms`` renders every term straight to its N-Triples form (``<iri>``,
``"text"@en``, ``"5"^^<...#integer>``), so bulk exports build no rdflib object per value;
constants (predicates, classes) are rendered once and cached.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

_ECHAR = {ord("\\"): "\\\\", ord('"'): '\\"', ord("\n"): "\\n", ord("\r"): "\\r",
          ord("\t"): "\\t"}
_ECHAR.update({c: f"\\u{c:04X}" for c in range(0x20) if c not in _ECHAR})
_XSD_STRING = str(XSD.string)


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


Terms = RdflibTerms | NTriplesTerms
RDFLIB = RdflibTerms()

"""Streaming RDF writers: descriptions in, text chunks out; no rdflib Graph.

Each writer has ``header()``, ``chunk(descriptions)`` and ``footer()``; the export writes the
header, then one chunk per page read from the store, then the footer. A writer with
``lexical = True`` (N-Triples, Turtle) takes descriptions whose terms are already N-Triples
text (``app.rdf.terms.NTriplesTerms``: no rdflib object per value); the others take rdflib
terms. Either way terms are written from their lexical form, so what a parser reads back is
exactly what was described.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from app.rdf.triples import Description
from app.rdf.vocab import CQF

PREFIXES: dict[str, str] = {
    "cqf": str(CQF._NS), "dcterms": str(DCTERMS), "owl": str(OWL), "prov": str(PROV),
    "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
    "vann": "http://purl.org/vocab/vann/",
}
_LOCAL = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RDF_TYPE = RDF.type
_RDF_TYPE_NT = f"<{RDF.type}>"


def _split(iri: str) -> tuple[str, str] | None:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and _LOCAL.match(iri[len(ns):]):
            return prefix, iri[len(ns):]
    return None


class NTriplesWriter:
    """Descriptions of N-Triples text (``app.rdf.terms.NTriplesTerms``) -> lines."""

    media_type = "application/n-triples"
    lexical = True

    def header(self) -> str:
        return ""

    def chunk(self, descriptions: Iterable[Description]) -> str:
        return "".join([f"{s} {p} {o} .\n" for s, pairs in descriptions for p, o in pairs])

    def footer(self) -> str:
        return ""


class TurtleWriter:
    """Descriptions of N-Triples text -> Turtle, one subject block each; vocabulary IRIs
    (a bounded set) are compacted to prefixed names, through a cache."""

    media_type = "text/turtle"
    lexical = True

    def __init__(self) -> None:
        self._compact: dict[str, str] = {_RDF_TYPE_NT: "a"}
        self._namespaces = tuple("<" + ns for ns in PREFIXES.values())

    def header(self) -> str:
        return "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items()) + "\n"

    def _term(self, term: str) -> str:
        short = self._compact.get(term)
        if short is not None:
            return short
        if not term.startswith(self._namespaces):
            return term
        split = _split(term[1:-1])
        short = self._compact[term] = f"{split[0]}:{split[1]}" if split else term
        return short

    def chunk(self, descriptions: Iterable[Description]) -> str:
        term, out = self._term, []
        for subject, pairs in descriptions:
            if pairs:
                body = " ;\n    ".join([f"{term(p)} {term(o)}" for p, o in pairs])
                out.append(f"{subject} {body} .\n")
        return "".join(out)

    def footer(self) -> str:
        return ""


def _jsonld_value(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"@id": str(term)}
    if isinstance(term, BNode):
        return {"@id": f"_:{term}"}
    assert isinstance(term, Literal)
    value = {"@value": str(term)}
    if term.language:
        value["@language"] = term.language
    elif term.datatype and term.datatype != XSD.string:
        value["@type"] = str(term.datatype)
    return value


class JsonLdWriter:
    """Expanded JSON-LD node objects inside one ``@graph`` array."""

    media_type = "application/ld+json"
    lexical = False

    def __init__(self) -> None:
        self._first = True

    def header(self) -> str:
        return '{"@graph": [\n'

    def chunk(self, descriptions: Iterable[Description]) -> str:
        out = []
        for subject, pairs in descriptions:
            ident = f"_:{subject}" if isinstance(subject, BNode) else str(subject)
            obj: dict[str, list] = {}
            for p, o in pairs:
                if p == _RDF_TYPE and isinstance(o, URIRef):
                    obj.setdefault("@type", []).append(str(o))
                else:
                    obj.setdefault(str(p), []).append(_jsonld_value(o))
            text = json.dumps({"@id": ident, **obj}, ensure_ascii=False)
            out.append(text if self._first else ",\n" + text)
            self._first = False
        return "".join(out)

    def footer(self) -> str:
        return "\n]}\n"


def _xml_text(text: str) -> str:
    return xml_escape(_XML_INVALID.sub("", text))


class RdfXmlWriter:
    media_type = "application/rdf+xml"
    lexical = False

    def header(self) -> str:
        names = "".join(f'\n    xmlns:{p}="{ns}"' for p, ns in PREFIXES.items())
        return f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{names}>\n'

    @staticmethod
    def _property(p: URIRef, o: Node) -> str:
        split = _split(str(p))
        if split:
            tag, decl = f"{split[0]}:{split[1]}", ""
        else:
            ns, local = re.match(r"^(.*?)([A-Za-z_][A-Za-z0-9_.-]*)$", str(p)).groups()  # type: ignore[union-attr]
            tag, decl = f"ns0:{local}", f" xmlns:ns0={quoteattr(ns)}"
        if isinstance(o, URIRef):
            return f"    <{tag}{decl} rdf:resource={quoteattr(str(o))}/>\n"
        if isinstance(o, BNode):
            return f'    <{tag}{decl} rdf:nodeID="{o}"/>\n'
        assert isinstance(o, Literal)
        if o.language:
            attr = f' xml:lang="{o.language}"'
        elif o.datatype and o.datatype != XSD.string:
            attr = f" rdf:datatype={quoteattr(str(o.datatype))}"
        else:
            attr = ""
        return f"    <{tag}{decl}{attr}>{_xml_text(str(o))}</{tag}>\n"

    def chunk(self, descriptions: Iterable[Description]) -> str:
        out = []
        for subject, pairs in descriptions:
            about = (f'rdf:nodeID="{subject}"' if isinstance(subject, BNode)
                     else f"rdf:about={quoteattr(str(subject))}")
            out.append(f"  <rdf:Description {about}>\n")
            out += [self._property(p, o) for p, o in pairs]
            out.append("  </rdf:Description>\n")
        return "".join(out)

    def footer(self) -> str:
        return "</rdf:RDF>\n"


Writer = NTriplesWriter | TurtleWriter | JsonLdWriter | RdfXmlWriter
WRITERS: dict[str, type[Writer]] = {
    "ntriples": NTriplesWriter, "turtle": TurtleWriter, "jsonld": JsonLdWriter,
    "rdfxml": RdfXmlWriter,
}

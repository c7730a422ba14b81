"""The one hand-written RDF writer left: N-Triples, which measured faster than pyoxigraph's
serializer over the same pages (Turtle, JSON-LD and RDF/XML are pyoxigraph's, see
``app.services.linked_data.export`` and docs/benchmarks.md); and the prefixes every format uses.

The writer has ``header()``, ``chunk(descriptions)`` and ``footer()``; the export writes the
header, then one chunk per page read from the store, then the footer. It takes descriptions
whose terms are already N-Triples text (``app.rdf.terms.NTriplesTerms``: no rdflib object
per value), so a page is one join.
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD

from app.rdf.triples import Description
from app.rdf.vocab import CQF

PREFIXES: dict[str, str] = {
    "cqf": str(CQF._NS), "dcterms": str(DCTERMS), "owl": str(OWL), "prov": str(PROV),
    "rdf": str(RDF), "rdfs": str(RDFS), "skos": str(SKOS), "xsd": str(XSD),
    "vann": "http://purl.org/vocab/vann/",
}


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


WRITERS: dict[str, type[NTriplesWriter]] = {"ntriples": NTriplesWriter}

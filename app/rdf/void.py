"""The VoID/DCAT description of a release: one small rdflib Graph (never the data itself)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, VOID, XSD

from app.rdf.vocab import CQF

SPDX = Namespace("http://spdx.org/rdf/terms#")
DCAT3 = Namespace(str(DCAT))  # dcat:version is DCAT 3, missing from rdflib's closed DCAT
IANA = "https://www.iana.org/assignments/media-types/"


def _distribution(graph: Graph, file: Mapping[str, Any], download_base: str) -> BNode:
    dist, checksum = BNode(), BNode()
    url = URIRef(download_base + file["name"])
    graph.add((dist, RDF.type, DCAT.Distribution))
    graph.add((dist, DCTERMS.title, Literal(file["name"])))
    graph.add((dist, DCAT.downloadURL, url))
    graph.add((dist, DCAT.mediaType, URIRef(IANA + file["media_type"])))
    graph.add((dist, DCAT.byteSize, Literal(file["bytes"], datatype=XSD.nonNegativeInteger)))
    graph.add((dist, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(file["sha256"], datatype=XSD.hexBinary)))
    return dist


def describe(manifest: Mapping[str, Any], dataset_iri: str, download_base: str,
             dumps: Sequence[Mapping[str, Any]]) -> Graph:
    """``manifest``: version, issued, licence, publisher, triples, ontology_triples;
    ``dumps``: files (name, media_type, bytes, sha256) to list as distributions."""
    graph = Graph(bind_namespaces="core")
    for prefix, ns in (("void", VOID), ("dcat", DCAT), ("dcterms", DCTERMS), ("spdx", SPDX),
                       ("foaf", FOAF)):
        graph.bind(prefix, ns)
    ds, publisher = URIRef(dataset_iri), BNode()
    version = str(manifest["version"])
    graph.add((ds, RDF.type, VOID.Dataset))
    graph.add((ds, RDF.type, DCAT.Dataset))
    graph.add((ds, DCTERMS.title, Literal(f"CQF Graph release {version}", lang="en")))
    graph.add((ds, DCTERMS.description, Literal(
        "The Customs Qualifications Framework knowledge graph: ontology and data.", lang="en")))
    graph.add((ds, OWL.versionInfo, Literal(version)))
    graph.add((ds, DCAT3.version, Literal(version)))
    graph.add((ds, DCTERMS.issued, Literal(manifest["issued"], datatype=XSD.date)))
    graph.add((ds, DCTERMS.license, URIRef(manifest["licence"])))
    graph.add((ds, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Organization))
    graph.add((publisher, FOAF.name, Literal(manifest["publisher"])))
    graph.add((ds, VOID.triples, Literal(manifest["triples"], datatype=XSD.integer)))
    graph.add((ds, RDFS.comment, Literal(
        f"{manifest['ontology_triples']} ontology triples and "
        f"{manifest['triples'] - manifest['ontology_triples']} data triples", lang="en")))
    graph.add((ds, VOID.uriSpace, Literal(manifest["base_iri"])))
    graph.add((ds, VOID.vocabulary, URIRef(str(CQF._NS))))
    for file in dumps:
        graph.add((ds, DCAT.distribution, _distribution(graph, file, download_base)))
        if file["media_type"] in ("text/turtle", "application/n-triples",
                                  "application/ld+json"):
            graph.add((ds, VOID.dataDump, URIRef(download_base + file["name"])))
    return graph

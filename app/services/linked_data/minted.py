"""The minted resources besides catalogue entities and mappings, each as an RDF description
and a JSON object, so that every IRI the export writes dereferences:

- ``source/{digest}``: a source (document, publisher, year, URL) and what cites it;
- ``statement/{type}/{from}/{to}``: a qualified statement (a relationship with evidence);
- ``scheme/{code}``: a concept scheme minted by the service, with its top concepts;
- ``mapping-set/{version}``: the SSSOM mapping set (``latest``, or a release's);
- ``release/{version}``: a release (its VoID/DCAT description);
- ``dataset/current``: the current data (the live graph SPARQL answers over by default).

Sources have no node of their own: their IRI hashes the four source fields, so the index
digest -> source is built from the graph (once per graph state, see ``SourceIndex``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, VOID

from app.domain.errors import NotFound
from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.graph.cypher.linked_data import rdf as q
from app.graph.port import GraphStore
from app.rdf import schemes, triples
from app.rdf.iris import (
    CURRENT_DATASET,
    DATASET_KIND,
    MAPPING_SET_KIND,
    RELEASE_KIND,
    SCHEME_KIND,
    Iris,
    source_digest,
    statement_type,
)
from app.rdf.terms import RDFLIB
from app.rdf.void import describe
from app.rdf.writers import PREFIXES
from app.services.linked_data import releases
from app.services.linked_data.entity_documents import graph_of

SSSOM = Namespace("https://w3id.org/sssom/")
LATEST = "latest"
SOURCE_FIELDS = ("document", "publisher", "year", "url")


@dataclass
class Resource:
    iri: URIRef
    kind: str
    graph: Callable[[], Graph]
    json: Callable[[], dict[str, Any]]


def _bound(graph: Graph) -> Graph:
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    graph.bind("sssom", SSSOM)
    graph.bind("void", VOID)
    graph.bind("dcat", DCAT)
    return graph


def service_root(base: str) -> str:
    """The service's own root for a base ending in ``/id/`` (links to its API)."""
    return base[:-3] if base.endswith("/id/") else base


# --- sources --------------------------------------------------------------------------------

@dataclass
class SourceEntry:
    key: tuple[Any, ...]
    cited_by: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, code, iri)


class SourceIndex:
    """digest -> source, for one graph state (rebuilt when the state token changes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._built: tuple[str, str, dict[str, SourceEntry]] | None = None

    def get(self, store: GraphStore, iris: Iris, token: str) -> dict[str, SourceEntry]:
        with self._lock:
            if self._built and self._built[:2] == (token, iris.base):
                return self._built[2]
        index = build_source_index(store, iris)
        with self._lock:
            self._built = (token, iris.base, index)
        return index


def _cite(index: dict[str, SourceEntry], row: dict[str, Any], kind: str, code: str,
          iri: str) -> None:
    key = tuple(row[f] for f in SOURCE_FIELDS)
    entry = index.setdefault(source_digest(key), SourceEntry(key))
    entry.cited_by.append((kind, code, iri))


def build_source_index(store: GraphStore, iris: Iris) -> dict[str, SourceEntry]:
    """Exactly the sources the export links (``triples.Sources``): every node's, every
    qualified statement's and every level mapping's."""
    index: dict[str, SourceEntry] = {}
    for label in CATALOGUE_LABELS:
        for row in store.read(q.node_sources(label)):
            _cite(index, row, label.value, str(row["code"]),
                  str(iris.entity(label, str(row["code"]))))
    for rel_type, (_, ends, reified) in triples.RELATIONSHIPS.items():
        if not reified:
            continue
        for a, b in ends:
            for row in store.read(q.relationship_sources(rel_type, a, b)):
                code = f"{row['from_code']} {rel_type} {row['to_code']}"
                _cite(index, row, "QualifiedRelation", code,
                      str(iris.statement(rel_type, row["from_code"], row["to_code"])))
    for row in store.read(q.MAPPING_SOURCES):
        _cite(index, row, "Mapping", str(row["id"]), str(iris.mapping(str(row["id"]))))
    return index


def source(index: dict[str, SourceEntry], iris: Iris, digest: str) -> Resource:
    entry = index.get(digest)
    if entry is None:
        raise NotFound("Source", digest)
    props = {f"source_{f}": v for f, v in zip(SOURCE_FIELDS, entry.key, strict=True)}
    iri = iris.source(entry.key)

    def rdf() -> Graph:
        descriptions: list[Any] = []
        triples.Sources(iris).link(props, descriptions)
        descriptions += [(URIRef(c_iri), [(PROV.wasDerivedFrom, iri)])
                         for _, _, c_iri in entry.cited_by]
        return graph_of(descriptions)

    def as_json() -> dict[str, Any]:
        return {"iri": str(iri), "kind": "Source",
                **dict(zip(SOURCE_FIELDS, entry.key, strict=True)),
                "cited_by": [{"kind": k, "code": c, "iri": i}
                             for k, c, i in sorted(entry.cited_by)]}

    return Resource(iri, "Source", rdf, as_json)


# --- qualified statements -------------------------------------------------------------------

def statement(store: GraphStore, iris: Iris, slug: str, from_code: str,
              to_code: str) -> Resource:
    rel_type = statement_type(slug)
    spec = triples.RELATIONSHIPS.get(rel_type)
    if spec is None or not spec[2] or slug != rel_type.lower().replace("_", "-"):
        raise NotFound("Statement", f"{slug}/{from_code}/{to_code}")
    for from_label, to_label in spec[1]:
        rows = store.read(q.statement(rel_type, from_label, to_label),
                          {"from": from_code, "to": to_code})
        if rows:
            props = rows[0]["props"]
            break
    else:
        raise NotFound("Statement", f"{slug}/{from_code}/{to_code}")
    iri = iris.statement(rel_type, from_code, to_code)

    def rdf() -> Graph:
        return graph_of(triples.relationship(rel_type, from_label, from_code, to_label,
                                             to_code, props, iris, triples.Sources(iris)))

    def as_json() -> dict[str, Any]:
        return {"iri": str(iri), "kind": "QualifiedRelation", "relationship": rel_type,
                "subject": str(iris.entity(from_label, from_code)),
                "object": str(iris.entity(to_label, to_code)),
                "from": {"kind": from_label.value, "code": from_code},
                "to": {"kind": to_label.value, "code": to_code}, "attributes": props}

    return Resource(iri, "QualifiedRelation", rdf, as_json)


# --- concept schemes ------------------------------------------------------------------------

def _top_concepts(store: GraphStore, iris: Iris, code: str) -> list[URIRef]:
    if code == schemes.PROFICIENCY_SCHEME:
        return [iris.entity(NodeLabel.PROFICIENCY_LEVEL, str(r["code"]))
                for r in store.read(q.PROFICIENCY_CODES)]
    if code in schemes.FLAT_LABEL_OF:
        label = schemes.FLAT_LABEL_OF[code]
        return [iris.entity(label, str(r["code"])) for r in store.read(q.codes_of(label))]
    return [iris.entity(NodeLabel.COMPETENCY, str(r["code"]))
            for r in store.read(q.TOP_COMPETENCIES) if schemes.competency_scheme(r) == code]


def scheme(store: GraphStore, iris: Iris, code: str) -> Resource:
    if code not in schemes.SCHEMES:
        raise NotFound("ConceptScheme", code)
    iri = iris.other(SCHEME_KIND, code)
    subject, pairs = next(d for d in schemes.scheme_descriptions(iris, RDFLIB) if d[0] == iri)

    def rdf() -> Graph:
        tops = _top_concepts(store, iris, code)
        return graph_of([(subject, pairs)] + [d for c in tops for d in
                                              schemes.top_concept(c, subject, RDFLIB)])

    def as_json() -> dict[str, Any]:
        name, definition = schemes.SCHEMES[code]
        return {"iri": str(iri), "kind": "ConceptScheme", "code": code, "name": name,
                "description": definition,
                "top_concepts": [str(c) for c in _top_concepts(store, iris, code)]}

    return Resource(iri, "ConceptScheme", rdf, as_json)


# --- releases, mapping sets, the current dataset --------------------------------------------

def release(releases_dir: Path, iris: Iris, version: str) -> Resource:
    manifest = releases.manifest(releases_dir, version)
    iri = iris.other(RELEASE_KIND, version)
    dumps = [f for f in manifest["files"] if f["format"] != "void"]

    def rdf() -> Graph:
        graph = describe(manifest, str(iri), releases.download_base(iris.base, version), dumps)
        graph.add((iri, VOID.sparqlEndpoint,
                   URIRef(f"{service_root(iris.base)}sparql?release={version}")))
        graph.add((iri, RDFS.seeAlso, iris.other(MAPPING_SET_KIND, version)))
        return _bound(graph)

    def as_json() -> dict[str, Any]:
        return {"iri": str(iri), "kind": "Release", **manifest}

    return Resource(iri, "Release", rdf, as_json)


def mapping_set(store: GraphStore, releases_dir: Path, iris: Iris, version: str) -> Resource:
    """The SSSOM ``mapping_set_id``: ``latest`` (the live graph's) or a release's."""
    if version != LATEST:
        releases.manifest(releases_dir, version)  # NotFound for an unknown release
    iri = iris.other(MAPPING_SET_KIND, version)
    root = service_root(iris.base)
    download = (f"{root}api/v1/export/mappings.sssom.tsv" if version == LATEST else
                releases.download_base(iris.base, version)
                + releases.DUMPS["sssom"][0].format(v=version))

    def members() -> list[URIRef]:
        return ([iris.mapping(str(r["id"])) for r in store.read(q.MAPPING_IDS)]
                if version == LATEST else [])

    def rdf() -> Graph:
        graph = Graph(bind_namespaces="none")
        graph.add((iri, RDF.type, SSSOM.MappingSet))
        graph.add((iri, DCTERMS.title, Literal(f"CQF level mappings ({version})", lang="en")))
        graph.add((iri, DCTERMS.license, URIRef(releases.LICENCE)))
        graph.add((iri, DCAT.downloadURL, URIRef(download)))
        graph.add((iri, DCAT.mediaType,
                   URIRef("https://www.iana.org/assignments/media-types/"
                          "text/tab-separated-values")))
        if version != LATEST:
            graph.add((iri, DCTERMS.isPartOf, iris.other(RELEASE_KIND, version)))
        for member in members():
            graph.add((iri, DCTERMS.hasPart, member))
        return _bound(graph)

    def as_json() -> dict[str, Any]:
        return {"iri": str(iri), "kind": "MappingSet", "version": version,
                "download": download, "licence": releases.LICENCE,
                "mappings": [str(m) for m in members()]}

    return Resource(iri, "MappingSet", rdf, as_json)


def dataset(iris: Iris, code: str) -> Resource:
    """``dataset/current``: the live graph (the default graph of ``/sparql``)."""
    if code != CURRENT_DATASET:
        raise NotFound("Dataset", code)
    iri = iris.other(DATASET_KIND, code)
    root = service_root(iris.base)

    def rdf() -> Graph:
        graph = Graph(bind_namespaces="none")
        graph.add((iri, RDF.type, VOID.Dataset))
        graph.add((iri, RDF.type, DCAT.Dataset))
        graph.add((iri, DCTERMS.title, Literal("CQF Graph: the current data", lang="en")))
        graph.add((iri, VOID.sparqlEndpoint, URIRef(f"{root}sparql")))
        graph.add((iri, VOID.dataDump, URIRef(f"{root}api/v1/export")))
        graph.add((iri, VOID.uriSpace, Literal(iris.base)))
        graph.add((iri, DCTERMS.license, URIRef(releases.LICENCE)))
        return _bound(graph)

    def as_json() -> dict[str, Any]:
        return {"iri": str(iri), "kind": "Dataset", "sparql": f"{root}sparql",
                "export": f"{root}api/v1/export", "uri_space": iris.base}

    return Resource(iri, "Dataset", rdf, as_json)

"""Single-entity RDF documents (the only place an rdflib Graph is built): the entity's own
description, its outgoing relationships (qualified where they carry evidence), the direct
triples pointing at it, and for a level the mappings in and out."""

from __future__ import annotations

from typing import Any

from rdflib import Graph, URIRef

from app.domain.errors import NotFound
from app.domain.vocab import NodeLabel
from app.graph.cypher.linked_data import rdf as q
from app.graph.port import GraphStore
from app.rdf import schemes, triples
from app.rdf.iris import SCHEME_KIND, Iris
from app.rdf.ontology import level_alignments
from app.rdf.terms import RDFLIB
from app.rdf.triples import Description, Sources
from app.rdf.writers import PREFIXES


def graph_of(descriptions: list[Description]) -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    for subject, pairs in descriptions:
        for p, o in pairs:
            graph.add((subject, p, o))
    return graph


def _label(value: Any) -> NodeLabel | None:
    try:
        return NodeLabel(value)
    except ValueError:
        return None


def _relationships(store: GraphStore, iris: Iris, sources: Sources, label: NodeLabel,
                   code: str, props: dict[str, Any]) -> list[Description]:
    out: list[Description] = []
    rows = store.read(q.outgoing(label), {"code": code})
    if label is NodeLabel.COMPETENCY and not any(r["type"] == "BROADER" for r in rows):
        scheme = iris.other(SCHEME_KIND, schemes.competency_scheme(props))
        out += schemes.top_concept(iris.entity(label, code), scheme, RDFLIB)
    for row in rows:
        spec, other = triples.RELATIONSHIPS.get(row["type"]), _label(row["other_label"])
        if spec and other and (label, other) in spec[1]:
            out += triples.relationship(row["type"], label, code, other, row["other_code"],
                                        row["props"], iris, sources)
    for row in store.read(q.incoming(label), {"code": code}):
        spec, other = triples.RELATIONSHIPS.get(row["type"]), _label(row["other_label"])
        if spec and other and (other, label) in spec[1]:
            out.append((iris.entity(other, row["other_code"]),
                        [(spec[0], iris.entity(label, code))]))
    return out


def entity_document(store: GraphStore, iris: Iris, label: NodeLabel,
                    code: str) -> tuple[URIRef, Graph]:
    rows = store.read(q.node_props(label), {"code": code})
    if not rows:
        raise NotFound(label.value, code)
    sources = Sources(iris)
    descriptions = triples.node(label, rows[0]["props"], iris, sources, level_alignments())
    descriptions += _relationships(store, iris, sources, label, code, rows[0]["props"])
    if label is NodeLabel.LEVEL:
        for row in store.read(q.LEVEL_MAPPINGS, {"code": code}):
            descriptions += triples.mapping(row["from_code"], row["to_code"], row["props"],
                                            iris, sources)
    return iris.entity(label, code), graph_of(descriptions)


def mapping_document(store: GraphStore, iris: Iris, mapping_id: str) -> tuple[URIRef, Graph]:
    rows = store.read(q.MAPPING_BY_ID, {"id": mapping_id})
    if not rows:
        raise NotFound("Mapping", mapping_id)
    row = rows[0]
    descriptions = triples.mapping(row["from_code"], row["to_code"], row["props"], iris,
                                   Sources(iris))
    return iris.mapping(mapping_id), graph_of(descriptions)


def mapping_json(store: GraphStore, iris: Iris, mapping_id: str) -> dict[str, Any]:
    rows = store.read(q.MAPPING_BY_ID, {"id": mapping_id})
    if not rows:
        raise NotFound("Mapping", mapping_id)
    row = rows[0]
    return {"iri": str(iris.mapping(mapping_id)), "kind": "Mapping",
            "from_level": row["from_code"], "to_level": row["to_code"], **row["props"]}

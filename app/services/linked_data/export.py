"""Streamed linked-data export: the store read page by page, each page written as text.

Memory holds one page of rows (plus the set of sources and direct mapping triples already
written, both bounded by the number of sources and level mappings, not by the graph's size).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from functools import partial
from typing import Any, LiteralString

import pyoxigraph as ox

from app.domain.vocab import CATALOGUE_LABELS, NodeLabel
from app.graph.cypher.linked_data import rdf as q
from app.graph.port import GraphStore, Row
from app.rdf import schemes, triples
from app.rdf import sssom as tsv
from app.rdf.iris import SCHEME_KIND, Iris
from app.rdf.ontology import level_alignments, ontology_descriptions
from app.rdf.oxstream import serialized
from app.rdf.terms import RDFLIB, NTriplesTerms, OxigraphTerms, Terms
from app.rdf.triples import Description, Sources
from app.rdf.writers import PREFIXES, WRITERS
from app.services.catalog.codes import CodeResolver
from app.services.linked_data.prefetch import prefetched
from app.services.linked_data.scope import Scope

L_COMPETENCY = NodeLabel.COMPETENCY
PAGE_SIZE = 1000
READERS = 2  # pages of one kind read at once (FalkorDB)
PAGES_AHEAD = 3  # pages asked for before the first of them is handed on
OnPage = Callable[[str, int], None]  # (what was read, how many graph rows)
Page = tuple[str, int, list[Description]]  # (what, rows read, descriptions)


def check_framework(store: GraphStore, framework: str | None) -> str | None:
    """The canonical code of the framework to export (typed in any case), or None."""
    if framework is None:
        return None
    if store.read(q.FRAMEWORK_EXISTS, {"code": framework}):
        return framework
    return CodeResolver(store).require(NodeLabel.FRAMEWORK, framework)


def _in_terms(descriptions: Iterable[Description], terms: Terms) -> list[Description]:
    """rdflib descriptions (ontology, alignments) converted to ``terms``."""
    return [(terms.node(s), [(terms.node(p), terms.node(o)) for p, o in pairs])
            for s, pairs in descriptions]


def _paged(store: GraphStore, bounds: LiteralString, page: Callable[[bool], LiteralString],
           params: Mapping[str, Any], step: int,
           pool: ThreadPoolExecutor | None = None) -> Iterator[list[Row]]:
    """The rows of each page, in code order: the bounds query gives every ``step``-th code,
    each page reads ``$lo <= code < $hi`` (``page(True)``: the last, open-ended one). With a
    ``pool``, up to ``PAGES_AHEAD`` pages are read at once (the store answers them in
    parallel), still handed on in order."""
    codes = store.read(bounds, {**params, "step": max(1, step)})[0]["bounds"]
    inner, last = page(False), page(True)
    calls: Iterator[tuple[LiteralString, dict[str, Any]]] = (
        (inner, {**params, "lo": lo, "hi": codes[i + 1]}) if i + 1 < len(codes)
        else (last, {**params, "lo": lo}) for i, lo in enumerate(codes))
    if pool is None:
        for query, values in calls:
            yield store.read(query, values)
        return
    window: deque[Future[list[Row]]] = deque()
    for query, values in calls:
        window.append(pool.submit(store.read, query, values))
        if len(window) >= PAGES_AHEAD:
            yield window.popleft().result()
    while window:
        yield window.popleft().result()


# What the reading thread hands over: (section, what it is of, rows)
Read = tuple[str, Any, list[Row]]


def _reads(store: GraphStore, framework: str | None, page_size: int) -> Iterator[Read]:
    """Every page of rows the data export needs, in its order (store reads only)."""
    params = {"framework": framework}
    # FalkorDB's store is a connection pool, so pages can be read in parallel; a Neo4j
    # snapshot is one transaction, which takes one statement at a time.
    parallel = getattr(store, "backend", None) == "falkordb"
    with ThreadPoolExecutor(READERS if parallel else 1, "export-read") as executor:
        pool = executor if parallel else None
        if framework is None:
            for rows in _paged(store, q.node_bounds(L_COMPETENCY), q.top_competency_page,
                               params, page_size, pool):
                yield "top", None, rows
        for label in CATALOGUE_LABELS if framework is None else tuple(q.FRAMEWORK_KEY):
            for rows in _paged(store, q.node_bounds(label), partial(q.node_page, label),
                               params, page_size, pool):
                yield "node", label, rows
        for rel_type, (_, ends, _) in triples.RELATIONSHIPS.items():
            if framework is not None and rel_type != "IN_FRAMEWORK":
                continue
            for from_label, to_label in ends:
                bounds = q.relationship_bounds(rel_type, from_label, to_label)
                query = partial(q.relationship_page, rel_type, from_label, to_label)
                for rows in _paged(store, bounds, query, params, page_size, pool):
                    yield "relationship", (rel_type, from_label, to_label), rows
    after = ""
    while True:
        rows = store.read(q.MAPPING_PAGE, {**params, "after": after, "limit": page_size})
        if rows:
            yield "mapping", None, rows
            after = str(rows[-1]["props"]["id"])
        if len(rows) < page_size:
            break


class _Described:
    """Rows -> descriptions, per section; remembers the sources and direct mapping triples
    already written."""

    def __init__(self, iris: Iris, terms: Terms) -> None:
        self.iris, self.terms = iris, terms
        self.sources = Sources(iris, terms)
        self.alignments = {code: [(terms.node(p), terms.node(o)) for p, o in pairs]
                           for code, pairs in level_alignments().items()}
        self.direct_seen: set[tuple[Any, ...]] = set()

    def __call__(self, section: str, of: Any, rows: list[Row]) -> Page:
        iris, sources, terms, page = self.iris, self.sources, self.terms, []
        if section == "top":
            for row in rows:
                concept = terms.iri(iris.entity(L_COMPETENCY, str(row["code"])))
                scheme = terms.iri(iris.other(SCHEME_KIND, schemes.competency_scheme(row)))
                page += schemes.top_concept(concept, scheme, terms)
            return "top concepts", 0, page  # competencies, already counted as nodes
        if section == "node":
            for row in rows:
                page += triples.node(of, row["props"], iris, sources, self.alignments)
            return of.value, len(rows), page
        if section == "relationship":
            rel_type, from_label, to_label = of
            for row in rows:
                page += triples.relationship(rel_type, from_label, row["from_code"], to_label,
                                             row["to_code"], row["props"], iris, sources)
            return rel_type, len(rows), page
        for row in rows:
            key = (row["from_code"], row["props"].get("match_type"), row["to_code"])
            page += triples.mapping(row["from_code"], row["to_code"], row["props"], iris,
                                    sources, with_direct=key not in self.direct_seen)
            self.direct_seen.add(key)
        return "MAPS_TO", len(rows), page


def data_pages(store: GraphStore, iris: Iris, framework: str | None = None,
               page_size: int = PAGE_SIZE, terms: Terms = RDFLIB) -> Iterator[Page]:
    """``(what, rows read, descriptions)`` per page: nodes, relationships, level mappings;
    terms are rdflib terms, or N-Triples text with ``terms=NTriplesTerms()``. The store is
    read a page ahead on a helper thread (``prefetched``), so the store's work and the wait
    for its answer overlap the making of the descriptions."""
    if terms is not RDFLIB:
        iris = iris.as_text()
    if framework is None:
        yield "ConceptScheme", 0, schemes.scheme_descriptions(iris, terms)
    described = _Described(iris, terms)
    for section, of, rows in prefetched(_reads(store, framework, page_size)):
        what, count, page = described(section, of, rows)
        if page or count:
            yield what, count, page


def export_size(store: GraphStore, framework: str | None = None) -> int:
    """How many nodes, relationships and mappings ``data_pages`` reads: the unit of its
    counts, so a progress bar's total is what the pages will add up to."""
    total = 0
    labels = CATALOGUE_LABELS if framework is None else tuple(q.FRAMEWORK_KEY)
    for label in labels:
        total += store.read(q.count_nodes(label), {"framework": framework})[0]["total"]
    for rel_type, (_, ends, _) in triples.RELATIONSHIPS.items():
        if framework is not None and rel_type != "IN_FRAMEWORK":
            continue
        for from_label, to_label in ends:
            total += store.read(q.count_relationships(rel_type, from_label, to_label),
                                {"framework": framework})[0]["total"]
    return total + store.read(q.COUNT_MAPPINGS, {"framework": framework})[0]["total"]


# Serialised by pyoxigraph (Rust), fed the same pages as pyoxigraph terms: measured faster
# than the hand-written writers these replaced, at flat memory (docs/benchmarks.md).
OXIGRAPH = {"turtle": ox.RdfFormat.TURTLE, "jsonld": ox.RdfFormat.JSON_LD,
            "rdfxml": ox.RdfFormat.RDF_XML}
FORMATS = (*WRITERS, *OXIGRAPH)


def _pages(store: GraphStore, iris: Iris, scope: Scope, framework: str | None, page_size: int,
           terms: Terms, on_page: OnPage | None) -> Iterator[list[Description]]:
    """The ontology (when in scope), then the data, page by page, in ``terms``."""
    if scope in (Scope.ONTOLOGY, Scope.ALL):
        descriptions = ontology_descriptions()
        yield list(descriptions) if terms is RDFLIB else _in_terms(descriptions, terms)
        if on_page:
            on_page("ontology", 0)
    if scope in (Scope.DATA, Scope.ALL):
        for what, count, page in data_pages(store, iris, framework, page_size, terms):
            yield page
            if on_page:
                on_page(what, count)


def export(store: GraphStore, iris: Iris, fmt: str, scope: Scope = Scope.ALL,
           framework: str | None = None, page_size: int = PAGE_SIZE,
           on_page: OnPage | None = None) -> Iterator[str]:
    """Text chunks of the export in ``fmt`` (one of ``FORMATS``)."""
    if fmt in OXIGRAPH:
        pages = _pages(store, iris, scope, framework, page_size, OxigraphTerms(), on_page)
        stream = (ox.Triple(s, p, o) for page in pages for s, pairs in page for p, o in pairs)
        yield from serialized(stream, OXIGRAPH[fmt], PREFIXES)
        return
    writer = WRITERS[fmt]()
    terms: Terms = NTriplesTerms() if writer.lexical else RDFLIB
    yield writer.header()
    for page in _pages(store, iris, scope, framework, page_size, terms, on_page):
        yield writer.chunk(page)
    yield writer.footer()


def mapping_count(store: GraphStore, framework: str | None = None) -> int:
    """How many rows ``sssom`` writes: its progress bar's total."""
    return int(store.read(q.COUNT_MAPPINGS, {"framework": framework})[0]["total"])


def sssom(store: GraphStore, base_iri: str, framework: str | None = None,
          page_size: int = PAGE_SIZE, version: str = "latest",
          on_page: OnPage | None = None) -> Iterator[str]:
    """The level mappings as SSSOM TSV, page by page (``on_page("mappings", rows)`` after
    each)."""
    yield tsv.header(base_iri, version)
    after = ""
    while True:
        rows = store.read(q.MAPPING_PAGE, {"after": after, "limit": page_size,
                                           "framework": framework})
        yield tsv.rows(rows)
        if on_page:
            on_page("mappings", len(rows))
        if len(rows) < page_size:
            break
        after = str(rows[-1]["props"]["id"])

"""The SPARQL worker process: evaluates queries on a read-only on-disk pyoxigraph store and
renders the SPARQL 1.1 result formats. Kept lean (pyoxigraph and the negotiation helper only)
so a worker starts quickly; the API side kills a worker whose query overruns its deadline.

Protocol over a ``multiprocessing`` pipe: the parent sends ``(store path, query, accept,
max results, default graphs, named graphs)`` (graphs: IRIs, or None when the request named
none); the worker answers ``("ok", body, media type)`` or ``(error kind, detail)`` with kind
``malformed``, ``too-many`` or ``not-acceptable``.

Negotiation (SPARQL 1.1 Protocol): SELECT as JSON, XML, CSV or TSV; ASK as JSON or XML (the
CSV and TSV result formats have no boolean form, so an ASK asked only in them is
``not-acceptable``, never an invented table); CONSTRUCT and DESCRIBE as Turtle, N-Triples,
RDF/XML or JSON-LD; nothing acceptable is ``not-acceptable``.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import (
    BlankNode,
    DefaultGraph,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    RdfFormat,
    Store,
    serialize,
)

from app.rdf.negotiation import choose

JSON, XML, CSV, TSV = ("application/sparql-results+json", "application/sparql-results+xml",
                       "text/csv", "text/tab-separated-values")
TURTLE, NTRIPLES = "text/turtle", "application/n-triples"
RDFXML, JSONLD = "application/rdf+xml", "application/ld+json"
SELECT_MEDIA = [JSON, XML, CSV, TSV]
# SPARQL 1.1 CSV and TSV results define no boolean form: an ASK is JSON or XML only.
ASK_MEDIA = [JSON, XML]
GRAPH_MEDIA = [TURTLE, NTRIPLES, RDFXML, JSONLD]
# Generic names clients send for the same formats (e.g. SPARQLWrapper's Accept lists).
ALIASES = {"application/json": JSON, "application/xml": XML, "text/xml": XML,
           "application/turtle": TURTLE, "application/x-turtle": TURTLE,
           "application/x-json+ld": JSONLD}
GRAPH_FORMATS = {TURTLE: RdfFormat.TURTLE, NTRIPLES: RdfFormat.N_TRIPLES,
                 RDFXML: RdfFormat.RDF_XML, JSONLD: RdfFormat.JSON_LD}


def _json_term(term: Any) -> dict[str, str]:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    return {"type": "literal", "value": str(term)}


def _xml_term(term: Any) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        attr = (f" xml:lang={quoteattr(term.language)}" if term.language else
                f" datatype={quoteattr(term.datatype.value)}"
                if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string" else "")
        return f"<literal{attr}>{escape(term.value)}</literal>"
    return f"<literal>{escape(str(term))}</literal>"


def _tsv_term(term: Any) -> str:
    """SPARQL 1.1 TSV: terms in their Turtle / N-Triples form (pyoxigraph's ``str``)."""
    return "" if term is None else str(term).replace("\t", "\\t")


def render_select(variables: list[str], rows: list[list[Any]], media: str) -> bytes:
    if media == TSV:
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines += ["\t".join(_tsv_term(t) for t in row) for row in rows]
        return ("\n".join(lines) + "\n").encode("utf-8")
    if media == CSV:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(variables)
        writer.writerows([["" if t is None else t.value for t in row] for row in rows])
        return out.getvalue().encode("utf-8")
    if media == XML:
        head = "".join(f"<variable name={quoteattr(v)}/>" for v in variables)
        body = "".join(
            "<result>" + "".join(f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                                 for v, t in zip(variables, row, strict=True) if t is not None)
            + "</result>\n" for row in rows)
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head>{head}</head>\n<results>\n{body}</results></sparql>\n").encode()
    bindings = [{v: _json_term(t) for v, t in zip(variables, row, strict=True) if t is not None}
                for row in rows]
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False).encode("utf-8")


def render_ask(value: bool, media: str) -> bytes:
    if media == XML:
        return ('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head/><boolean>{'true' if value else 'false'}</boolean></sparql>\n").encode()
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


def _take(items: Iterator[Any], limit: int) -> list[Any]:
    out = []
    for item in items:
        out.append(item)
        if len(out) > limit:
            break
    return out


def _media(accept: str | None, offered: list[str]) -> str | None:
    """The offered format the client prefers (an alias counts as its format); the first
    offered when the client states no preference; None when nothing offered is acceptable."""
    media = choose(accept, offered + [a for a, m in ALIASES.items() if m in offered])
    return ALIASES.get(media, media) if media else None


def _dataset(default: tuple[str, ...] | None,
             named: tuple[str, ...] | None) -> dict[str, Any]:
    """Without ``default-graph-uri``/``named-graph-uri`` the store's one graph is the default
    graph (and FROM clauses of the query apply); with them, exactly the graphs named."""
    if default is None and named is None:
        return {"use_default_graph_as_union": True}
    return {"default_graph": [NamedNode(g) for g in default] if default else DefaultGraph(),
            "named_graphs": [NamedNode(g) for g in named or ()]}


def evaluate(store: Store, query: str, accept: str | None, limit: int,
             default: tuple[str, ...] | None = None,
             named: tuple[str, ...] | None = None) -> tuple[Any, ...]:
    try:
        result = store.query(query, **_dataset(default, named))
    except SyntaxError as exc:
        return ("malformed", str(exc).splitlines()[0][:300] if str(exc) else "syntax error")
    offered = (ASK_MEDIA if isinstance(result, QueryBoolean) else
               SELECT_MEDIA if isinstance(result, QuerySolutions) else GRAPH_MEDIA)
    media = _media(accept, offered)
    if media is None:
        return ("not-acceptable", ", ".join(offered))
    if isinstance(result, QueryBoolean):
        return ("ok", render_ask(bool(result), media), media)
    if isinstance(result, QuerySolutions):
        names = [v.value for v in result.variables]
        rows = _take(iter(result), limit)
        if len(rows) > limit:
            return ("too-many", str(limit))
        return ("ok", render_select(names, [[s[n] for n in names] for s in rows], media), media)
    triples = _take(iter(result), limit)
    if len(triples) > limit:
        return ("too-many", str(limit))
    return ("ok", serialize(triples, format=GRAPH_FORMATS[media]) or b"", media)


def serve(conn: Connection) -> None:
    """The worker's loop: one read-only store per path, kept while queries use it."""
    opened: tuple[str, Store] | None = None
    while True:
        try:
            path, query, accept, limit, default, named = conn.recv()
        except (EOFError, OSError):
            return
        try:
            if opened is None or opened[0] != path:
                opened = (path, Store.read_only(path))
            conn.send(evaluate(opened[1], query, accept, limit, default, named))
        except Exception as exc:  # noqa: BLE001 - reported as a generic failure, not leaked
            conn.send(("failed", type(exc).__name__))

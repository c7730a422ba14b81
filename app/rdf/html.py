"""A readable, server-rendered HTML page for one entity's RDF description (all text escaped)."""

from __future__ import annotations

from html import escape

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.term import Node

from app.domain.vocab import EvidenceStatus
from app.rdf.writers import PREFIXES

_STYLE = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
          "padding:0 1rem;color:#222}table{border-collapse:collapse;width:100%}"
          "td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left;vertical-align:top}"
          ".lang{color:#777;font-size:.8em}.notice{background:#fff3cd;padding:.5rem}")


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


def _cell(term: Node) -> str:
    if isinstance(term, URIRef):
        return f'<a href="{escape(str(term))}">{escape(_short(str(term)))}</a>'
    if isinstance(term, Literal) and term.language:
        return f'{escape(str(term))} <span class="lang">@{escape(term.language)}</span>'
    return escape(str(term))


def render(graph: Graph, subject: URIRef, alternates: dict[str, str]) -> str:
    """``alternates``: media type -> link to the same resource in that format."""
    title = next((str(o) for o in graph.objects(subject, SKOS.prefLabel)
                  if getattr(o, "language", None) == "en"), str(subject))
    rows = "".join(f"<tr><td>{escape(_short(str(p)))}</td><td>{_cell(o)}</td></tr>"
                   for p, o in sorted(graph.predicate_objects(subject)))
    incoming = "".join(f"<tr><td>{_cell(s)}</td><td>{escape(_short(str(p)))}</td></tr>"
                       for s, p in sorted(graph.subject_predicates(subject)))
    notice = ""
    if any(str(o) == EvidenceStatus.ILLUSTRATIVE for o in graph.objects(subject, None)):
        notice = ('<p class="notice">Illustrative example data written for this service; '
                  "not an official WCO, EU or national statement.</p>")
    links = " · ".join(f'<a href="{escape(href)}">{escape(media)}</a>'
                       for media, href in alternates.items())
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f"<title>{escape(title)} · CQF</title><style>{_STYLE}</style></head><body>"
            f"<h1>{escape(title)}</h1><p><code>{escape(str(subject))}</code></p>{notice}"
            f"<table><tr><th>property</th><th>value</th></tr>{rows}</table>"
            f"<h2>Referenced by</h2><table><tr><th>subject</th><th>property</th></tr>"
            f"{incoming}</table><p>Also as: {links}</p></body></html>")


def describe(graph: Graph, subject: URIRef, lang: str = "en") -> dict[str, object]:
    """The same description as plain data for a styled page: a title (the label in ``lang``,
    else English, else the IRI), the properties and the resources that point here, each value
    ``{"text", "href", "lang"}`` (``href`` for an IRI, ``lang`` for a tagged literal)."""
    labels = {getattr(o, "language", None): str(o) for o in graph.objects(subject, SKOS.prefLabel)}
    title = labels.get(lang) or labels.get("en") or str(subject)

    def value(term: Node) -> dict[str, str | None]:
        if isinstance(term, URIRef):
            return {"text": _short(str(term)), "href": str(term), "lang": None}
        language = term.language if isinstance(term, Literal) else None
        return {"text": str(term), "href": None, "lang": language}

    return {
        "title": title, "title_lang": None if title in (labels.get(lang), str(subject))
        else "en",
        "properties": [{"property": _short(str(p)), "value": value(o)}
                       for p, o in sorted(graph.predicate_objects(subject))],
        "incoming": [{"property": _short(str(p)), "value": value(s)}
                     for s, p in sorted(graph.subject_predicates(subject))],
        "illustrative": any(str(o) == EvidenceStatus.ILLUSTRATIVE
                            for o in graph.objects(subject, None)),
    }

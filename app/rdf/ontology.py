"""The ontology and alignment files as RDF descriptions (read on first use, then cached)."""

from __future__ import annotations

import csv
from collections import defaultdict
from functools import lru_cache
from typing import Any

from rdflib import Graph, URIRef

from app.paths import ONTOLOGY_DIR
from app.rdf.triples import Description, Pair, match_predicate

ONTOLOGY_FILE = ONTOLOGY_DIR / "cqf.ttl"
SHAPES_DIR = ONTOLOGY_DIR / "shapes"
ALIGNMENTS_DIR = ONTOLOGY_DIR / "alignments"


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


@lru_cache(maxsize=1)
def ontology_descriptions() -> tuple[Description, ...]:
    """The ontology grouped by subject, in a stable order."""
    graph = ontology_graph()
    by_subject: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for s, p, o in sorted(graph):
        by_subject[s].append((p, o))
    return tuple(by_subject.items())


def shapes_graph() -> Graph:
    graph = Graph()
    for path in sorted(SHAPES_DIR.glob("*.ttl")):
        graph.parse(path, format="turtle")
    return graph


@lru_cache(maxsize=1)
def level_alignments() -> dict[str, list[Pair]]:
    """Level code -> ``(skos:<match>, external IRI)`` pairs from ``ontology/alignments``."""
    out: dict[str, list[Pair]] = defaultdict(list)
    for path in sorted(ALIGNMENTS_DIR.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                out[row["level"]].append((match_predicate(row["match_type"]),
                                          URIRef(row["target"])))
    return dict(out)

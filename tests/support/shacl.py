"""pyshacl's validation with each SHACL-SPARQL query prepared once.

pyshacl runs a SPARQL-based constraint once per focus node, with the same query text each time
(``$this`` given as an initial binding), and rdflib parsed and translated that text again on
every call: about 85 % of a validation of the seed graph's export (1,412 parses of five
queries). Here each text is prepared once per validation and the prepared query evaluated for
every focus node, as ``rdflib.plugins.sparql.prepareQuery`` is meant to be used; what is
evaluated, against what, is unchanged.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from unittest import mock

import pyshacl
from rdflib import Graph
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.plugins.sparql.sparql import Query


@contextmanager
def _queries_prepared_once() -> Iterator[None]:
    evaluate = SPARQLProcessor.query
    prepared: dict[tuple[str, str | None, tuple[tuple[str, Any], ...]], Query] = {}

    def query(self: SPARQLProcessor, str_or_query: str | Query,
              initBindings: Mapping[str, Any] | None = None,  # noqa: N803 - rdflib's names
              initNs: Mapping[str, Any] | None = None,  # noqa: N803
              base: str | None = None, DEBUG: bool = False) -> Any:  # noqa: N803
        if isinstance(str_or_query, str):
            key = (str_or_query, base, tuple(sorted((initNs or {}).items())))
            if key not in prepared:
                prepared[key] = translateQuery(parseQuery(str_or_query), base, initNs)
            str_or_query = prepared[key]
        return evaluate(self, str_or_query, initBindings, initNs, base, DEBUG)

    with mock.patch.object(SPARQLProcessor, "query", query):
        yield


def validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    """``pyshacl.validate`` of ``data`` against ``shapes``, no inference: (conforms, report)."""
    with _queries_prepared_once():
        conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), report

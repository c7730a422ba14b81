"""Export benchmark: the streamed export vs. pyoxigraph.serialize vs. an rdflib Graph.

    python -m benchmarks.export --quick        # two small graphs (seconds)
    python -m benchmarks.export --scale 1.0    # the ESCO-sized graph of design.md

Generates a graph (profiles, competencies, REQUIRES edges with proficiency and source) in an
embedded FalkorDB, then for each format measures, in the same run, triples per second and
peak Python heap (tracemalloc) of (a) ``app.services.linked_data.export.export`` written to a null
sink (hand-written N-Triples; Turtle, JSON-LD and RDF/XML through pyoxigraph on a helper
thread), (b) the same pages as pyoxigraph terms streamed straight into
``pyoxigraph.serialize`` (for N-Triples: the serializer the hand-written writer is kept
against) and (c) the same descriptions added to an rdflib Graph, then ``Graph.serialize``.
pyoxigraph's own buffers are Rust memory, which tracemalloc does not see; its serializer
writes 8 KiB blocks as it goes (it holds no graph).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from app.domain.vocab import NodeLabel
from app.graph.cypher.operations.seed import merge_nodes, merge_relationships
from app.graph.embedded import EmbeddedFalkorDB
from app.graph.falkordb_store import FalkorDBStore
from app.graph.port import GraphStore
from app.rdf.iris import Iris
from app.rdf.terms import OxigraphTerms
from app.rdf.writers import PREFIXES
from app.services.linked_data.export import Scope, data_pages, export

ESCO = {"profiles": 3000, "competencies": 14000, "requires": 120000}
FORMATS = {"ntriples": "nt", "turtle": "turtle", "jsonld": "json-ld", "rdfxml": "xml"}
SOURCE = {"status": "illustrative", "source_document": "benchmark generator",
          "source_publisher": "CQF Graph", "source_year": 2026}


def _node(prefix: str, i: int) -> dict:
    return {"code": f"{prefix}{i:06d}", "name": f"{prefix} {i}", "name_fr": f"{prefix} fr {i}",
            "description": f"generated {prefix} number {i}", **SOURCE}


def generate(store: GraphStore, scale: float, batch: int = 5000) -> None:
    rnd = random.Random(7)
    n_prof, n_comp = int(ESCO["profiles"] * scale), int(ESCO["competencies"] * scale)
    sets = [(NodeLabel.JOB_PROFILE, [_node("JP", i) for i in range(n_prof)]),
            (NodeLabel.COMPETENCY, [{**_node("C", i), "group": "ESCO", "trade_only": False}
                                    for i in range(n_comp)]),
            (NodeLabel.PROFICIENCY_LEVEL, [{**_node("P", 0), "code": "trained", "rank": 2}])]
    for label, rows in sets:
        for start in range(0, len(rows), batch):
            store.write_rows(merge_nodes(label), rows[start:start + batch])
    pairs = {(rnd.randrange(n_prof), rnd.randrange(n_comp))
             for _ in range(int(ESCO["requires"] * scale))}
    rels = [{"from": f"JP{a:06d}", "to": f"C{b:06d}", "props": {"proficiency": "trained",
                                                                  **SOURCE}}
            for a, b in sorted(pairs)]
    query = merge_relationships("REQUIRES", NodeLabel.JOB_PROFILE, NodeLabel.COMPETENCY)
    for start in range(0, len(rels), batch):
        store.write_rows(query, rels[start:start + batch])


class NullSink:
    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass


OX_FORMATS = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE,
              "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


def oxigraph(store: GraphStore, fmt: str) -> int:
    """The same pages as pyoxigraph terms, streamed into ``pyoxigraph.serialize``."""
    triples = (ox.Triple(s, p, o)
               for _, _, page in data_pages(store, Iris("http://bench.test/id/"),
                                            terms=OxigraphTerms())
               for s, pairs in page for p, o in pairs)
    sink = NullSink()
    ox.serialize(triples, sink, OX_FORMATS[fmt],
                 prefixes=PREFIXES if fmt in ("turtle", "rdfxml", "jsonld") else None)
    return sink.size


def streamed(store: GraphStore, fmt: str) -> int:
    size = 0
    for chunk in export(store, Iris("http://bench.test/id/"), fmt, Scope.DATA):
        size += len(chunk)
    return size


def rdflib_graph(store: GraphStore, fmt: str) -> int:
    graph = Graph()
    for _, _, page in data_pages(store, Iris("http://bench.test/id/")):
        for subject, pairs in page:
            for p, o in pairs:
                graph.add((subject, p, o))
    return len(graph.serialize(format=FORMATS[fmt]))


def peak_mib(run: Callable[[], int]) -> float:
    """Peak Python heap of one traced run."""
    tracemalloc.start()
    run()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return peak


def best_seconds(runs: dict[str, Callable[[], int]], repeat: int) -> dict[str, float]:
    """The best of ``repeat`` untraced runs of each path, the paths interleaved, so a busy
    spell of a shared machine hits every path alike rather than one."""
    best = {name: float("inf") for name in runs}
    for _ in range(repeat):
        for name, run in runs.items():
            start = time.perf_counter()
            run()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def count_triples(store: GraphStore) -> int:
    text = "".join(export(store, Iris("http://bench.test/id/"), "ntriples", Scope.DATA))
    return text.count("\n")


def bench(store: GraphStore, scale: float, formats: list[str], repeat: int = 3) -> list[str]:
    triples = count_triples(store)
    lines = []
    for fmt in formats:
        runs = {"streamed": lambda f=fmt: streamed(store, f),
                "pyoxigraph": lambda f=fmt: oxigraph(store, f),
                "rdflib": lambda f=fmt: rdflib_graph(store, f)}
        seconds = best_seconds(runs, repeat)
        mem = {name: peak_mib(run) for name, run in runs.items()}
        s_time, o_time, g_time = seconds["streamed"], seconds["pyoxigraph"], seconds["rdflib"]
        lines.append(f"| {scale} | {triples:,} | {fmt} | {triples / s_time:,.0f} | "
                     f"{triples / o_time:,.0f} | {triples / g_time:,.0f} | "
                     f"{g_time / s_time:.1f}x | {o_time / s_time:.2f}x | "
                     f"{mem['streamed']:.1f} | {mem['pyoxigraph']:.1f} | {mem['rdflib']:.1f} |")
        print(lines[-1], flush=True)
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="scales 0.01 and 0.03")
    parser.add_argument("--scale", type=float, action="append",
                        help="fraction of the ESCO-sized graph (repeatable)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3,
                        help="best of N interleaved runs per path (a shared machine is noisy)")
    args = parser.parse_args()
    scales = args.scale or ([0.01, 0.03] if args.quick else [0.1, 1.0])
    print("| scale | triples | format | streamed triples/s | pyoxigraph.serialize triples/s | "
          "rdflib Graph triples/s | streamed vs rdflib | streamed vs pyoxigraph | "
          "streamed peak MiB | pyoxigraph peak MiB | rdflib peak MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        server = EmbeddedFalkorDB(Path(tmp))
        server.start()
        try:
            for i, scale in enumerate(scales):
                store = FalkorDBStore.from_url(server.url, f"bench{i}", timeout=120)
                store.apply_schema()
                generate(store, scale)
                bench(store, scale, args.formats.split(","), args.repeat)
                store.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()

"""Export at the speed of the store? (issue 26.3) The service's full N-Triples export of the
generated graph (``app.services.linked_data.export.export``, every page read from the
embedded FalkorDB, written to a file) against pyoxigraph loading the same triples from that
file into an in-memory store and dumping them again as N-Triples, in the same run.

    python -m benchmarks.export_ratio [--scale F]

Wall time and this process's CPU time are both printed: the export's wall time includes the
store's own work (another process), pyoxigraph's is all in this process (Rust).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox
from rich.console import Console

from app.rdf.iris import Iris
from app.services.linked_data.export import Scope, export
from benchmarks.export import NullSink


def measure(store: object, out: Path) -> dict[str, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    size = 0
    with out.open("w", encoding="utf-8") as handle:
        for chunk in export(store, Iris("http://bench.test/id/"), "ntriples",  # type: ignore[arg-type]
                            Scope.ALL):
            size += handle.write(chunk)
    export_wall, export_cpu = time.perf_counter() - wall, time.process_time() - cpu
    wall, cpu = time.perf_counter(), time.process_time()
    oxi = ox.Store()
    oxi.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
    sink = NullSink()
    oxi.dump(sink, format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph())
    ox_wall, ox_cpu = time.perf_counter() - wall, time.process_time() - cpu
    return {"triples": len(oxi), "bytes": size, "export_wall_s": round(export_wall, 1),
            "export_cpu_s": round(export_cpu, 1), "pyoxigraph_wall_s": round(ox_wall, 1),
            "pyoxigraph_cpu_s": round(ox_cpu, 1),
            "ratio_wall": round(export_wall / ox_wall, 2),
            "ratio_cpu": round(export_cpu / ox_cpu, 2)}


def main() -> None:
    from benchmarks.runner import Options, _generate, _load_average, embedded_store

    parser = argparse.ArgumentParser(prog="python -m benchmarks.export_ratio")
    parser.add_argument("--scale", type=float, default=None)
    args = parser.parse_args()
    console = Console()
    with embedded_store() as (_, store), tempfile.TemporaryDirectory() as tmp:
        _generate(console, store, Options(scale=args.scale))
        before = _load_average()
        figures = measure(store, Path(tmp) / "export.nt")
    console.print({**figures, "load_before": before, "load_after": _load_average()})


if __name__ == "__main__":
    main()

"""Export at the speed of the store? (issue 26.3) The service's full export of the generated
graph (``app.services.linked_data.export.export``, every page read from the embedded
FalkorDB) against pyoxigraph loading the same triples into an in-memory store and dumping
them again, in the same run, for N-Triples and Turtle.

    python -m benchmarks.export_ratio [--scale F] [--formats ntriples,turtle]

N-Triples: the export is written to a file; pyoxigraph ``bulk_load``s that file and
``dump``s N-Triples. Turtle: the export is written to a null sink; pyoxigraph loads the same
N-Triples file and dumps Turtle. Wall time and this process's CPU time are both printed: the
export's wall time includes the store's own work (another process), pyoxigraph's is all in
this process (Rust). Memory: the process's resident set before each step and its peak during
the step (sampled every 20 ms), so a step that holds the graph shows as growth.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

import pyoxigraph as ox
from rich.console import Console

from app.rdf.iris import Iris
from app.services.linked_data.export import Scope, export
from benchmarks.export import NullSink

OXIGRAPH = {"ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * _PAGE / 2**20


@contextmanager
def _measured(into: dict[str, float], name: str) -> Iterator[None]:
    """Wall s, this process's CPU s, RSS MB before and peak RSS MB during the block."""
    peak, stop = [_rss_mb()], threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], _rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    before, wall, cpu = peak[0], time.perf_counter(), time.process_time()
    sampler.start()
    try:
        yield
    finally:
        stop.set()
        sampler.join()
        into[f"{name}_wall_s"] = round(time.perf_counter() - wall, 1)
        into[f"{name}_cpu_s"] = round(time.process_time() - cpu, 1)
        into[f"{name}_rss_before_mb"] = round(before, 0)
        into[f"{name}_rss_peak_mb"] = round(max(peak[0], _rss_mb()), 0)


def _write(chunks: Iterator[str], sink: Callable[[str], int]) -> int:
    return sum(sink(chunk) for chunk in chunks)


def measure(store: object, out: Path, fmt: str) -> dict[str, float]:
    """One format: the service's export, then pyoxigraph's load of the N-Triples file and
    dump in ``fmt`` (``out`` must already hold the N-Triples export unless ``fmt`` is it)."""
    figures: dict[str, float] = {}
    chunks = export(store, Iris("http://bench.test/id/"), fmt, Scope.ALL)  # type: ignore[arg-type]
    with _measured(figures, "export"):
        if fmt == "ntriples":
            with out.open("w", encoding="utf-8") as handle:
                figures["bytes"] = _write(chunks, handle.write)
        else:
            figures["bytes"] = _write(chunks, len)
    with _measured(figures, "pyoxigraph"):
        oxi = ox.Store()
        oxi.bulk_load(path=str(out), format=ox.RdfFormat.N_TRIPLES)
        sink = cast(IO[bytes], NullSink())  # counts what it is given, keeps nothing
        oxi.dump(sink, format=OXIGRAPH[fmt], from_graph=ox.DefaultGraph())
    figures["triples"] = len(oxi)
    del oxi
    figures["ratio_wall"] = round(figures["export_wall_s"] / figures["pyoxigraph_wall_s"], 2)
    figures["ratio_cpu"] = round(figures["export_cpu_s"] / max(figures["pyoxigraph_cpu_s"],
                                                               0.01), 2)
    return figures


def main() -> None:
    from benchmarks.runner import Options, _generate, _load_average, embedded_store

    parser = argparse.ArgumentParser(prog="python -m benchmarks.export_ratio")
    parser.add_argument("--scale", type=float, default=None)
    parser.add_argument("--formats", default="ntriples,turtle",
                        help="comma-separated, from ntriples,turtle (N-Triples always runs "
                             "first: the others load its file)")
    args = parser.parse_args()
    formats = ["ntriples", *[f for f in args.formats.split(",") if f and f != "ntriples"]]
    console = Console()
    with embedded_store() as (_, store), tempfile.TemporaryDirectory() as tmp:
        _generate(console, store, Options(scale=args.scale))
        for fmt in formats:
            before = _load_average()
            figures = measure(store, Path(tmp) / "export.nt", fmt)
            console.print({"format": fmt, **figures, "load_before": before,
                           "load_after": _load_average()})


if __name__ == "__main__":
    main()

"""``cqf export``: write the linked-data export (or the SSSOM mappings) to a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from app import runtime as runtime_mod
from app.graph.cypher.catalog import NODE_COUNTS, REL_COUNTS
from app.rdf.iris import Iris
from app.services.rdf_export import Scope, check_framework, export, sssom
from app.settings import Settings

console = Console(stderr=True)
FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "sssom")


def export_command(
    format: Annotated[str, typer.Option(help="turtle, ntriples, jsonld, rdfxml or sssom")]
    = "turtle",
    out: Annotated[Path | None, typer.Option(help="output file (default: standard output)")]
    = None,
    scope: Annotated[Scope, typer.Option(help="ontology, data or all")] = Scope.ALL,
    framework: Annotated[str | None, typer.Option(help="only this framework")] = None,
    base_iri: Annotated[str | None, typer.Option(help="IRI base (default CQF_BASE_IRI)")]
    = None,
) -> None:
    """Export the ontology and data as RDF, streamed from the store page by page."""
    if format not in FORMATS:
        console.print(f"[red]unknown format[/red] {format!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    settings = Settings()
    base = base_iri or settings.base_iri or f"http://{settings.host}:{settings.port}/id/"
    runtime = runtime_mod.connect(settings)
    try:
        store = runtime.store
        check_framework(store, framework)
        total = sum(r["total"] for r in store.read(NODE_COUNTS) + store.read(REL_COUNTS))
        handle = out.open("w", encoding="utf-8") if out else sys.stdout
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("export", total=total if scope != Scope.ONTOLOGY else 0)
            advance = lambda what, n: progress.update(task, advance=n, description=what)  # noqa: E731
            chunks = (sssom(store, base, framework) if format == "sssom" else
                      export(store, Iris(base), format, scope, framework, on_page=advance))
            for chunk in chunks:
                handle.write(chunk)
        if out:
            handle.close()
            console.print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    finally:
        runtime.close()

"""``cqf export``: write the linked-data export (or the SSSOM mappings) to a file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import base_iri_for, console, load_settings, open_store, progress_bar
from app.services.linked_data.scope import Scope

FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml", "sssom")


def export_command(
    format: Annotated[str, typer.Option(help="turtle, ntriples, jsonld, rdfxml or sssom")]
    = "turtle",
    out: Annotated[Path | None, typer.Option(help="output file (default: standard output)")]
    = None,
    scope: Annotated[Scope, typer.Option(help="ontology, data or all")] = Scope.ALL,
    framework: Annotated[str | None, typer.Option(help="only this framework")] = None,
    base_iri: Annotated[str | None, typer.Option(
        help="IRI base (default: the service's, see `cqf base-iri show`)")] = None,
) -> None:
    """Export the ontology and data as RDF, streamed from the store page by page."""
    if format not in FORMATS:
        console.print(f"[red]unknown format[/red] {format!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    from app.rdf.iris import Iris
    from app.services.linked_data.export import (
        check_framework,
        export,
        export_size,
        mapping_count,
        sssom,
    )

    settings = load_settings()
    with open_store(settings) as runtime:
        store = runtime.store
        base = base_iri_for(runtime, settings, base_iri)
        framework = check_framework(store, framework)
        # The bar's total is what the pages will add up to, so it ends full.
        total = (mapping_count(store, framework) if format == "sssom" else
                 export_size(store, framework) if scope != Scope.ONTOLOGY else 0)
        handle = out.open("w", encoding="utf-8") if out else sys.stdout
        with progress_bar() as progress:
            task = progress.add_task("export", total=total)
            advance = lambda what, n: progress.update(task, advance=n, description=what)  # noqa: E731
            chunks = (sssom(store, base, framework, on_page=advance) if format == "sssom" else
                      export(store, Iris(base), format, scope, framework, on_page=advance))
            for chunk in chunks:
                handle.write(chunk)
        if out:
            handle.close()
            console.print(f"wrote {out} ({out.stat().st_size:,} bytes)")

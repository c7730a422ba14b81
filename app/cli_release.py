"""``cqf release VERSION``: write a versioned dump set with checksums and a VoID/DCAT file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from app import runtime as runtime_mod
from app.domain.errors import DomainError
from app.graph.cypher.catalog import NODE_COUNTS, REL_COUNTS
from app.services.releases import make_release
from app.settings import Settings

console = Console(stderr=True)
FORMATS_WRITTEN = 3  # the RDF dumps each read the whole graph once


def release_command(
    version: Annotated[str, typer.Argument(help="MAJOR.MINOR or MAJOR.MINOR.PATCH")],
    allow_drop: Annotated[bool, typer.Option(
        "--allow-drop", help="release even if mappings per framework pair dropped")] = False,
    out: Annotated[Path | None, typer.Option(help="releases directory (default "
                                                   "CQF_RELEASES_DIR)")] = None,
    base_iri: Annotated[str | None, typer.Option(help="IRI base (default CQF_BASE_IRI)")]
    = None,
) -> None:
    """Write release VERSION: Turtle, N-Triples, JSON-LD, SSSOM TSV, SHA256SUMS, void.ttl."""
    settings = Settings()
    base = base_iri or settings.base_iri or f"http://{settings.host}:{settings.port}/id/"
    releases_dir = out or settings.releases_dir
    runtime = runtime_mod.connect(settings)
    try:
        store = runtime.store
        rows = sum(r["total"] for r in store.read(NODE_COUNTS) + store.read(REL_COUNTS))
        with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=console) as progress:
            task = progress.add_task("release", total=rows * FORMATS_WRITTEN)
            advance = lambda what, n: progress.update(task, advance=n, description=what)  # noqa: E731
            info = make_release(store, releases_dir, version, base, allow_drop, advance)
    except DomainError as exc:
        console.print(f"[red]release refused:[/red] {exc}")
        raise typer.Exit(1) from exc
    finally:
        runtime.close()
    table = Table("file", "bytes", "sha256", title=f"release {version} in {releases_dir}")
    for file in info["files"]:
        table.add_row(file["name"], f"{file['bytes']:,}", file["sha256"][:16] + "…")
    Console().print(table)
    console.print(f"{info['triples']:,} triples; checksums in SHA256SUMS")

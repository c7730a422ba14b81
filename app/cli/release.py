"""``cqf release VERSION``: write a versioned dump set with checksums and a VoID/DCAT file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import base_iri_for, console, load_settings, open_store, progress_bar


def release_command(
    version: Annotated[str, typer.Argument(help="MAJOR.MINOR or MAJOR.MINOR.PATCH")],
    allow_drop: Annotated[bool, typer.Option(
        "--allow-drop", help="release even if mappings per framework pair dropped")] = False,
    out: Annotated[Path | None, typer.Option(help="releases directory (default "
                                                   "CQF_RELEASES_DIR)")] = None,
    base_iri: Annotated[str | None, typer.Option(
        help="IRI base (default: the service's, see `cqf base-iri show`)")] = None,
) -> None:
    """Write release VERSION: Turtle, N-Triples, JSON-LD, SSSOM TSV, SHA256SUMS, void.ttl."""
    from rich.console import Console
    from rich.table import Table

    from app.services.linked_data.export import export_size
    from app.services.linked_data.releases import DUMPS, make_release

    # Dumps that read the whole graph page by page and report it (SSSOM reads mappings only).
    rdf_dumps = sum(1 for fmt in DUMPS if fmt != "sssom")
    settings = load_settings()
    releases_dir = out or settings.releases_dir
    with open_store(settings, errors_exit=1) as runtime:
        store = runtime.store
        base = base_iri_for(runtime, settings, base_iri)
        with progress_bar() as progress:
            # The total is in the unit the dumps report: graph items read, once per RDF dump.
            task = progress.add_task("release", total=export_size(store) * rdf_dumps)
            advance = lambda what, n: progress.update(task, advance=n, description=what)  # noqa: E731
            info = make_release(store, releases_dir, version, base, allow_drop, advance)
    table = Table("file", "bytes", "sha256", title=f"release {version} in {releases_dir}")
    for file in info["files"]:
        table.add_row(file["name"], f"{file['bytes']:,}", file["sha256"][:16] + "…")
    Console().print(table)
    console.print(f"{info['triples']:,} triples; checksums in SHA256SUMS")

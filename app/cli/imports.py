"""``cqf import mappings FILE --institution CODE``: the bulk upload from the command line,
through the same validate-then-write-once code path as the API, with a progress bar."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import console, open_store, stderr_console
from app.domain.auth import Principal
from app.domain.errors import InvalidInput
from app.domain.vocab import RoleKind

import_app = typer.Typer(help="Import data files into the graph.", no_args_is_help=True)
STEPS = ("read", "validate and compare", "write", "done")


@import_app.command("mappings")
def import_mappings(
        file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True)],
        institution: Annotated[str, typer.Option(help="code of the institution the file maps")],
        dry_run: Annotated[bool, typer.Option("--dry-run", help="validate only")] = False,
) -> None:
    """Apply FILE (CSV or JSON) as the institution's complete course mappings.

    Runs with operator (admin) rights, recorded in the audit trail as key ``cli``."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from app.services.institutions import uploads as course_mappings

    principal = Principal(key_id="cli", role=RoleKind.ADMIN.value)
    try:
        with open_store(prepare=True, passthrough=(InvalidInput,)) as runtime, Progress(
                TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                console=stderr_console()) as progress:
            task = progress.add_task(STEPS[0], total=len(STEPS) - 1)
            data = file.read_bytes()
            content_type = "application/json" if file.suffix.lower() == ".json" else "text/csv"
            raw = course_mappings.parse_upload(data, content_type)
            progress.update(task, advance=1, description=f"{STEPS[1]} ({len(raw)} rows)")
            report = course_mappings.apply(
                runtime.store, principal, institution, raw, dry_run=dry_run,
                digest=hashlib.sha256(data).hexdigest(), audit_action="cli_import")
            progress.update(task, advance=1, description=STEPS[2])
            progress.update(task, advance=1, description=STEPS[3])
    except InvalidInput as exc:
        _print_problems(exc)
        raise typer.Exit(1) from exc
    note = " (dry run: nothing written)" if dry_run else ""
    table = Table("rows", "added", "changed", "removed", "unchanged", "courses written",
                  title=f"{report['institution']}{note}")
    table.add_row(*(str(report[k]) for k in ("rows", "added", "changed", "removed", "unchanged",
                                             "courses_written")))
    Console().print(table)


def _print_problems(exc: InvalidInput) -> None:
    from rich.console import Console
    from rich.table import Table

    console.print(f"[red]{exc.summary}[/red]")
    table = Table("line", "column", "problem", "value")
    for p in exc.problems:
        table.add_row(str(p.line or ""), p.column or p.location, p.message,
                      "" if p.value is None else str(p.value))
    Console(stderr=True).print(table)

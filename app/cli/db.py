"""``cqf db``: migrate, start/stop a detached embedded store, status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from app.cli.common import console, load_settings, open_store

db_app = typer.Typer(help="Manage the graph store.", no_args_is_help=True)


@db_app.command("migrate")
def migrate() -> None:
    """Apply constraints and indexes, then bring stored data up to the current model (e.g.
    programme and course codes scoped by institution, codes unique in any letter case);
    idempotent, safe beside a running service. Codes already in the graph that differ only
    in letter case are listed with how to resolve them (exit status 1)."""
    from app.services.operations.migrations import duplicate_codes, migrate_data

    with open_store() as runtime:
        created = runtime.store.apply_schema()
        changed = migrate_data(runtime.store)
        duplicates = duplicate_codes(runtime.store)
    if not created and not any(changed.values()) and not duplicates:
        console.print("schema and data up to date: nothing to do")
        return
    console.print(f"schema: {len(created)} new object(s)" if created else "schema: up to date")
    for statement in created:
        console.print(f"  created: {' '.join(statement.split())}", style="dim")
    for name, count in changed.items():
        if count:
            console.print(f"data: {name}: {count} node(s) changed")
    for duplicate in duplicates:
        console.print(f"[red]duplicate:[/red] {duplicate.advice()}")
    if duplicates:
        console.print(f"{len(duplicates)} code(s) name more than one thing; until resolved "
                      "they keep no case-insensitive key")
        raise typer.Exit(1)


@db_app.command("start")
def db_start() -> None:
    """Start the embedded FalkorDB in the background (``cqf serve`` then uses it)."""
    from app.graph.embedded import EmbeddedFalkorDB, StoreBusy
    from app.settings import Backend

    settings = load_settings()
    if settings.backend is not Backend.EMBEDDED:
        console.print("the configured backend is not embedded; nothing to start")
        raise typer.Exit(1)
    try:
        port = EmbeddedFalkorDB(settings.data_dir / "falkordb").start(detached=True)
    except StoreBusy as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"embedded FalkorDB listening on 127.0.0.1:{port}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded FalkorDB started by ``cqf db start`` (never a service's store)."""
    from app.graph.embedded import EmbeddedFalkorDB

    settings = load_settings()
    server = EmbeddedFalkorDB(settings.data_dir / "falkordb")
    record = server.running()
    if record is not None and record.owner_pid is not None:
        console.print(f"[red]refused:[/red] the store is owned by {record.describe()}; "
                      "stop that process instead")
        raise typer.Exit(1)
    console.print("stopped" if server.stop() else "not running")


@db_app.command("backup")
def db_backup(out: Annotated[Path, typer.Argument(help="snapshot file to write")]) -> None:
    """Snapshot the embedded store while it serves (BGSAVE: point in time, no pause)."""
    from app.graph.backup import backup
    from app.settings import Backend

    settings = load_settings()
    if settings.backend is not Backend.EMBEDDED:
        console.print("backups of an external FalkorDB or Neo4j use their own tools "
                      "(see README, Operating it)")
        raise typer.Exit(1)
    with open_store(settings) as runtime:
        owner = runtime.attached or runtime.embedded
        port = owner.port if owner is not None else None
        assert port is not None
        size = backup(port, settings.data_dir / "falkordb", out)
    console.print(f"wrote {out} ({size:,} bytes)")


@db_app.command("restore")
def db_restore(snapshot: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Restore a snapshot into CQF_DATA_DIR, which must be new or empty (then `cqf serve`)."""
    from app.graph.backup import restore

    settings = load_settings()
    try:
        restore(snapshot, settings.data_dir / "falkordb")
    except (FileExistsError, RuntimeError) as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(1) from exc
    console.print(f"restored {snapshot} into {settings.data_dir}")


@db_app.command("status")
def db_status() -> None:
    """Say who runs the store, whether it answers, and what the graph holds."""
    from rich.console import Console
    from rich.table import Table

    from app.graph.embedded import EmbeddedFalkorDB
    from app.services.operations.status import node_counts
    from app.settings import Backend

    settings = load_settings()
    if settings.backend is Backend.EMBEDDED:
        record = EmbeddedFalkorDB(settings.data_dir / "falkordb").running()
        if record is None:
            console.print("embedded FalkorDB: not running (cqf serve starts it)")
            raise typer.Exit(1)
        console.print(f"embedded FalkorDB on 127.0.0.1:{record.port}, owned by "
                      f"{record.describe()}")
    with open_store(settings) as runtime:
        counts = node_counts(runtime.store)
    table = Table("label", "nodes", title=f"{settings.backend} store: up")
    for label, total in sorted(counts.items()):
        table.add_row(str(label), str(total))
    Console().print(table)

"""The ``cqf`` command line: serve, manage the store, seed."""

from __future__ import annotations

import os
import sys
from collections import Counter
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.table import Table

from app import runtime as runtime_mod
from app.cli_export import export_command
from app.cli_import import import_app
from app.cli_keys import keys_app
from app.graph.embedded import EmbeddedFalkorDB
from app.logs import configure_logging
from app.seed.catalog import load_seed_bundle
from app.seed.loader import total_rows, write_bundle
from app.settings import Backend, Settings

app = typer.Typer(help="CQF Graph: the Customs Qualifications Framework knowledge graph.",
                  no_args_is_help=True)
db_app = typer.Typer(help="Manage the graph store.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.command("export")(export_command)
app.command("release")(__import__("app.cli_release").cli_release.release_command)
app.add_typer(keys_app, name="keys")
app.add_typer(import_app, name="import")
app.add_typer(__import__("app.cli_bench").cli_bench.bench_app, name="bench")
console = Console(stderr=True)


def _settings() -> Settings:
    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            console.print(f"[red]configuration error:[/red] {error['msg']}")
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, settings.log_json)
    return settings


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=console)


@app.command()
def serve(host: str | None = None, port: int | None = None,
          workers: Annotated[int, typer.Option(min=1, max=64, help=(
              "uvicorn worker processes (each with its own caches, refreshed within "
              "CQF_MAPPING_CACHE_SECONDS)"))] = 1) -> None:
    """Start the store (embedded unless configured), migrate, seed if empty, serve the API."""
    settings = _settings()
    settings = settings.model_copy(update={k: v for k, v in {"host": host, "port": port}.items()
                                           if v is not None})
    from app.main import create_app
    from app.serving import run

    console.print(f"CQF Graph on http://{settings.host}:{settings.port}/docs "
                  f"(backend: {settings.backend}, workers: {workers})")
    if workers == 1:
        run(create_app(settings), host=settings.host, port=settings.port)
        return
    # Several workers: this process starts (and prepares) the store once, then each worker
    # builds its app from the environment and connects to that store.
    runtime = runtime_mod.start(settings)
    try:
        os.environ.update(worker_environment(settings, runtime))
        run("app.main:app_from_env", host=settings.host, port=settings.port, workers=workers,
            factory=True)
    finally:
        runtime.close()


def worker_environment(settings: Settings, runtime: runtime_mod.Runtime) -> dict[str, str]:
    """What a worker process needs to reach the store the parent started."""
    env = {"CQF_SEED_ON_START": "false"}
    if runtime.embedded is not None:
        env |= {"CQF_BACKEND": Backend.FALKORDB.value,
                "CQF_FALKORDB_URL": f"redis://{runtime.store.address}",  # type: ignore[attr-defined]
                "CQF_GRAPH_NAME": settings.graph_name}
    return env


@app.command("seed")
def seed_command() -> None:
    """Load seed_data/ into the graph (idempotent: a second run changes nothing)."""
    settings = _settings()
    bundle = load_seed_bundle(settings.seed_dir)
    runtime = runtime_mod.connect(settings)
    try:
        runtime.store.apply_schema()
        with _progress() as progress:
            task = progress.add_task("seeding", total=total_rows(bundle))
            write_bundle(runtime.store, bundle,
                         lambda what, n: progress.update(task, advance=n, description=what))
    finally:
        runtime.close()
    table = Table("status", "rows")
    for status, count in sorted(bundle.count_by_status().items()):
        table.add_row(status, str(count))
    Console().print(table)


@db_app.command("migrate")
def migrate() -> None:
    """Apply constraints and indexes (idempotent)."""
    settings = _settings()
    runtime = runtime_mod.connect(settings)
    try:
        created = runtime.store.apply_schema()
    finally:
        runtime.close()
    console.print(f"schema applied ({len(created)} new objects)")


@db_app.command("start")
def db_start() -> None:
    """Start the embedded FalkorDB in the background (``cqf serve`` then reuses it)."""
    settings = _settings()
    if settings.backend is not Backend.EMBEDDED:
        console.print("the configured backend is not embedded; nothing to start")
        raise typer.Exit(1)
    port = EmbeddedFalkorDB(settings.data_dir / "falkordb").start(detached=True)
    console.print(f"embedded FalkorDB listening on 127.0.0.1:{port}")


@db_app.command("stop")
def db_stop() -> None:
    """Stop the embedded FalkorDB started by ``cqf db start``."""
    settings = _settings()
    stopped = EmbeddedFalkorDB(settings.data_dir / "falkordb").stop()
    console.print("stopped" if stopped else "not running")


@db_app.command("status")
def db_status() -> None:
    """Say whether the store answers, and what the graph holds."""
    settings = _settings()
    if settings.backend is Backend.EMBEDDED:
        record = EmbeddedFalkorDB(settings.data_dir / "falkordb").running()
        if record is None:
            console.print("embedded FalkorDB: not running (cqf serve starts it)")
            raise typer.Exit(1)
        settings = settings.model_copy(update={"backend": Backend.FALKORDB,
                                               "falkordb_url": f"redis://127.0.0.1:{record.port}"})
    runtime = runtime_mod.connect(settings)
    try:
        from app.graph.cypher.catalog import NODE_COUNTS

        counts = Counter({r["label"]: r["total"] for r in runtime.store.read(NODE_COUNTS)})
    finally:
        runtime.close()
    table = Table("label", "nodes", title=f"{settings.backend} store: up")
    for label, total in sorted(counts.items()):
        table.add_row(str(label), str(total))
    Console().print(table)


def main() -> None:
    app(prog_name="cqf")


if __name__ == "__main__":
    sys.exit(main())

"""``cqf seed``: load seed_data/ into the graph (idempotent)."""

from __future__ import annotations

from app.cli.common import load_settings, open_store, progress_bar


def seed_command() -> None:
    """Load seed_data/ into the graph (idempotent: a second run changes nothing)."""
    from rich.console import Console
    from rich.table import Table

    from app.seed.catalog import load_seed_bundle
    from app.seed.loader import total_rows, write_bundle

    settings = load_settings()
    bundle = load_seed_bundle(settings.seed_dir)
    with open_store(settings) as runtime:
        runtime.store.apply_schema()
        with progress_bar() as progress:
            task = progress.add_task("seeding", total=total_rows(bundle))
            write_bundle(runtime.store, bundle,
                         lambda what, n: progress.update(task, advance=n, description=what))
    table = Table("status", "rows")
    for status, count in sorted(bundle.count_by_status().items()):
        table.add_row(status, str(count))
    Console().print(table)

"""What every ``cqf`` command shares: settings, the console, progress bars, and the one way
of opening the store.

``open_store`` is the reason this module exists: a command run beside a service that owns
the embedded store *uses* that store and never stops it; with no service running it starts
its own and stops it at the end (app/runtime.py, ``Mode.SHARE``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import typer

from app.domain.errors import DomainError

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from app import runtime as runtime_mod
    from app.settings import Settings


@functools.cache
def stderr_console() -> Console:
    """rich's console on stderr, the one every command writes its messages to."""
    from rich.console import Console

    return Console(stderr=True)


class _Console:
    """The commands' console (stderr: stdout carries only a command's result), made on first
    use so that a command's ``--help`` does not import rich; hand ``stderr_console()`` itself
    to rich (a progress bar)."""

    def __getattr__(self, name: str) -> Any:
        return getattr(stderr_console(), name)


console: Console = _Console()  # type: ignore[assignment]  # rich's Console, made lazily


def load_settings() -> Settings:
    from pydantic import ValidationError

    from app.logs import configure_logging
    from app.settings import Settings

    try:
        settings = Settings()
    except ValidationError as exc:
        for error in exc.errors():
            console.print(f"[red]configuration error:[/red] {error['msg']}")
        raise typer.Exit(2) from exc
    configure_logging(settings.log_level, settings.log_json, to_stderr=True)  # stdout: results
    return settings


def progress_bar() -> Progress:
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=stderr_console())


@contextmanager
def open_store(settings: Settings | None = None, *, prepare: bool = False,
               errors_exit: int = 2,
               passthrough: tuple[type[DomainError], ...] = ()) -> Iterator[runtime_mod.Runtime]:
    """The runtime for one command. ``prepare``: schema, seed when empty and base IRI, as
    ``cqf serve`` would (so a key made on a fresh install does not leave a non-empty graph
    that serve would never seed). Domain errors end the command with ``errors_exit``."""
    from app import runtime as runtime_mod
    from app.graph.embedded import StoreBusy
    from app.graph.port import StoreUnavailable

    settings = settings or load_settings()
    try:
        runtime = runtime_mod.connect(settings, runtime_mod.Mode.SHARE)
    except (StoreBusy, StoreUnavailable, RuntimeError) as exc:
        console.print(f"[red]store not available:[/red] {exc}")
        raise typer.Exit(3) from exc
    try:
        if runtime.attached is not None:
            console.print(f"using the running store ({runtime.attached.describe()})",
                          style="dim")
        if prepare:
            runtime_mod.prepare(runtime, settings)
        yield runtime
    except DomainError as exc:
        if isinstance(exc, passthrough):
            raise  # the command reports these itself (e.g. every problem of a file)
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(errors_exit) from exc
    except StoreUnavailable as exc:
        console.print(f"[red]store not available:[/red] {exc}")
        raise typer.Exit(3) from exc
    finally:
        runtime.close()  # stops the embedded server only if this command started it


def base_iri_for(runtime: runtime_mod.Runtime, settings: Settings, given: str | None) -> str:
    """The base IRI a command mints with: ``--base-iri``, else the service's own (the same
    ``cqf serve`` uses: configured, or fixed in the graph at first start)."""
    from app.services.linked_data import identity

    if given:
        return identity.normalise(given)
    return runtime.base_iri or identity.resolve_base_iri(runtime.store, settings)

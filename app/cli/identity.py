"""``cqf base-iri``: show or deliberately change the base every IRI is minted under."""

from __future__ import annotations

from typing import Annotated

import typer

from app.cli.common import console, load_settings, open_store

base_iri_app = typer.Typer(help="The base IRI of every minted identifier.",
                           no_args_is_help=True)


@base_iri_app.command("show")
def show() -> None:
    """Print the base IRI in use (configured, or fixed in the graph at first start)."""
    from app.services.linked_data import identity

    settings = load_settings()
    with open_store(settings) as runtime:
        base = identity.resolve_base_iri(runtime.store, settings)
    typer.echo(base)


@base_iri_app.command("set")
def set_(new: Annotated[str, typer.Argument(help="absolute http(s) base, e.g. "
                                                 "https://cqf.example.org/id/")],
         yes: Annotated[bool, typer.Option("--yes", help="do not ask to confirm")] = False,
         ) -> None:
    """Change the base IRI stored in the graph. Every published IRI changes with it."""
    from app.services.linked_data import identity

    settings = load_settings()
    try:
        new = identity.normalise(new)
    except ValueError as exc:
        console.print(f"[red]refused:[/red] {exc}")
        raise typer.Exit(2) from exc
    if settings.base_iri:
        console.print("[red]refused:[/red] CQF_BASE_IRI is set and wins over the stored "
                      "base; change that variable instead")
        raise typer.Exit(2)
    with open_store(settings) as runtime:
        old = identity.stored_base_iri(runtime.store)
        if old == new:
            console.print(f"the base IRI is already {new}")
            return
        console.print(f"[yellow]warning:[/yellow] every IRI published under {old} (datasets, "
                      f"releases, CASE uris) changes to {new}; links to the old ones break.")
        if not yes and not typer.confirm("change the base IRI?"):
            raise typer.Exit(1)
        identity.store_base_iri(runtime.store, new)
        if runtime.attached is not None:
            console.print("the running service uses the new base after its next restart")
    console.print(f"base IRI is now {new}")

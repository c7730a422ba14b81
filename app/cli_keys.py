"""``cqf keys``: create, revoke and list API keys from the command line."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from app import runtime as runtime_mod
from app.domain.errors import DomainError
from app.services import keys

keys_app = typer.Typer(help="Manage API keys (stored only as hashes).", no_args_is_help=True)
console = Console(stderr=True)


def _store_call(action):  # type: ignore[no-untyped-def]
    from app.cli import _settings

    settings = _settings()
    runtime = runtime_mod.connect(settings)
    try:
        # Like `cqf serve`: schema, then the seed if the graph is empty, so that a key made
        # on a fresh install does not leave a non-empty graph that serve would never seed.
        runtime_mod.prepare(runtime, settings)
        return action(runtime.store)
    except DomainError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    finally:
        runtime.close()


@keys_app.command("create")
def create(role: Annotated[str, typer.Option(help="admin, reviewer, institution:CODE or "
                                                  "administration:CODE")],
           label: Annotated[str | None, typer.Option(help="whose key it is")] = None) -> None:
    """Create a key and print it once; only its hash is stored."""
    made = _store_call(lambda store: keys.create_key(store, role, label))
    console.print(f"key id {made['key_id']} ({made['role']}); the key is shown only now:")
    typer.echo(made["key"])


@keys_app.command("revoke")
def revoke(key_id: str) -> None:
    """Revoke a key by its id."""
    done = _store_call(lambda store: keys.revoke_key(store, key_id))
    console.print(f"revoked {done['key_id']} at {done['revoked_at']}")


@keys_app.command("list")
def list_() -> None:
    """List keys (never their secrets)."""
    rows = _store_call(keys.list_keys)
    table = Table("id", "role", "label", "created", "last used", "revoked")
    for r in rows:
        table.add_row(r["key_id"], r["role"], r["label"] or "", r["created_at"] or "",
                      r["last_used_at"] or "", r["revoked_at"] or "")
    Console().print(table)

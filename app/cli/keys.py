"""``cqf keys``: create, revoke and list API keys from the command line."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from app.cli.common import console, open_store

keys_app = typer.Typer(help="Manage API keys (stored only as hashes).", no_args_is_help=True)


@keys_app.command("create")
def create(role: Annotated[str, typer.Option(help="admin, reviewer, institution:CODE or "
                                                  "administration:CODE")],
           label: Annotated[str | None, typer.Option(help="whose key it is")] = None) -> None:
    """Create a key and print it once; only its hash is stored."""
    from app.services.access import keys

    with open_store(prepare=True) as runtime:
        made = keys.create_key(runtime.store, role, label)
    console.print(f"key id {made['key_id']} ({made['role']}); the key is shown only now:")
    typer.echo(made["key"])


@keys_app.command("revoke")
def revoke(key_id: str) -> None:
    """Revoke a key by its id."""
    from app.services.access import keys

    with open_store(prepare=True) as runtime:
        done = keys.revoke_key(runtime.store, key_id)
    console.print(f"revoked {done['key_id']} at {done['revoked_at']}")


@keys_app.command("list")
def list_(as_json: Annotated[bool, typer.Option("--json", help="one JSON array on stdout, "
                                                "for scripts")] = False) -> None:
    """List keys (never their secrets); ids are whole at any width, for revoke."""
    from rich.console import Console
    from rich.table import Column, Table

    from app.services.access import keys

    with open_store(prepare=True) as runtime:
        rows = keys.list_keys(runtime.store)
    if as_json:
        fields = ("key_id", "role", "label", "created_at", "last_used_at", "revoked_at")
        typer.echo(json.dumps([{f: r.get(f) for f in fields} for r in rows], indent=2))
        return
    # The id never wraps nor shrinks: the other columns give way.
    table = Table(Column("id", no_wrap=True, overflow="ignore",
                         min_width=max((len(r["key_id"]) for r in rows), default=2)),
                  Column("role", overflow="fold"), "label", "created", "last used", "revoked")
    for r in rows:
        table.add_row(r["key_id"], r["role"], r["label"] or "", r["created_at"] or "",
                      r["last_used_at"] or "", r["revoked_at"] or "")
    Console().print(table)

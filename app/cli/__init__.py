"""The ``cqf`` command line. Each command lives in its own module; all of them open the
store through ``app.cli.common.open_store``."""

from __future__ import annotations

import typer

from app.cli import db, export, identity, imports, keys, release, seed, serve

app = typer.Typer(help="CQF Graph: the Customs Qualifications Framework knowledge graph.",
                  no_args_is_help=True)
app.command("serve")(serve.serve)
app.command("seed")(seed.seed_command)
app.command("export")(export.export_command)
app.command("release")(release.release_command)
app.add_typer(db.db_app, name="db")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(imports.import_app, name="import")
app.add_typer(identity.base_iri_app, name="base-iri")


def main() -> None:
    app(prog_name="cqf")


if __name__ == "__main__":
    main()

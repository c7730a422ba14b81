"""The ``cqf`` command line. Each command lives in its own module; all of them open the
store through ``app.cli.common.open_store``.

The modules are imported only when their command runs: ``cqf --help`` lists the commands
from the table below, so it does not load the store adapters, the RDF library and the seed
loader (which took it to 1.3 s). A test checks that the table's words match each command's
own help."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import typer
from typer._click.core import Command, Context  # typer's own click (vendored)
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

# name: (module, attribute, short help). An attribute ending in ``_app`` is a command group.
COMMANDS: dict[str, tuple[str, str, str]] = {
    "serve": ("app.cli.serve", "serve",
              "Start the store (embedded unless configured), migrate, seed if empty, serve "
              "the API."),
    "seed": ("app.cli.seed", "seed_command",
             "Load seed_data/ into the graph (idempotent: a second run changes nothing)."),
    "export": ("app.cli.export", "export_command",
               "Export the ontology and data as RDF, streamed from the store page by page."),
    "release": ("app.cli.release", "release_command",
                "Write release VERSION: Turtle, N-Triples, JSON-LD, SSSOM TSV, SHA256SUMS, "
                "void.ttl."),
    "db": ("app.cli.db", "db_app", "Manage the graph store."),
    "keys": ("app.cli.keys", "keys_app", "Manage API keys (stored only as hashes)."),
    "import": ("app.cli.imports", "import_app", "Import data files into the graph."),
    "base-iri": ("app.cli.identity", "base_iri_app", "The base IRI of every minted identifier."),
}


def load_command(name: str) -> Command:
    """The click command of ``name``, importing its module now."""
    module, attribute, _ = COMMANDS[name]
    found: Any = getattr(import_module(module), attribute)
    if isinstance(found, typer.Typer):
        command: Command = typer.main.get_group(found)  # a group even of one command
    else:
        single = typer.Typer()
        single.command(name)(found)
        command = typer.main.get_command(single)
    command.name = name
    return command


class LazyGroup(TyperGroup):
    def list_commands(self, ctx: Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        return load_command(cmd_name) if cmd_name in COMMANDS else None

    def format_commands(self, ctx: Context, formatter: HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, text) for name, (_, _, text) in COMMANDS.items()])


app = typer.Typer(cls=LazyGroup, rich_markup_mode=None, no_args_is_help=True,
                  help="CQF Graph: the Customs Qualifications Framework knowledge graph.")


@app.callback()
def _root() -> None:
    """CQF Graph: the Customs Qualifications Framework knowledge graph."""


def main() -> None:
    app(prog_name="cqf")


if __name__ == "__main__":
    main()

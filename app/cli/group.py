"""The ``cqf`` command group on typer: each command's module is imported only when that
command runs or shows its help (``COMMANDS`` in ``app.cli``)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

import typer
from typer._click.core import Command, Context  # typer's own click (vendored)
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

from app.cli import COMMANDS, HELP


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


app = typer.Typer(cls=LazyGroup, rich_markup_mode=None, no_args_is_help=True, help=HELP)


@app.callback()
def _root() -> None:
    """CQF Graph: the Customs Qualifications Framework knowledge graph."""

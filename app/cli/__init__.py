"""The ``cqf`` command line. Each command lives in its own module; all of them open the
store through ``app.cli.common.open_store``.

Nothing is imported before it is needed: ``cqf --help`` is written here from the table below
in click's layout, without importing typer, click or rich (typer alone took 1.3 s on a busy
machine); any other command line goes to the typer group (``app.cli.group``), which imports a
command's module only when that command runs or shows its help. Tests check that this help is
the group's own, character for character, and that the table's words are each command's own
help."""

from __future__ import annotations

import shutil
import sys
import textwrap
from typing import Any

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
HELP = "CQF Graph: the Customs Qualifications Framework knowledge graph."
# The options typer gives the group (shell completion) and click's own --help.
OPTIONS = (
    ("--install-completion", "Install completion for the current shell."),
    ("--show-completion",
     "Show completion for the current shell, to copy it or customize the installation."),
    ("--help", "Show this message and exit."),
)
# typer's objects, built on first use (``from app.cli import app``).
LAZY = ("app", "LazyGroup", "load_command")


def _definitions(rows: tuple[tuple[str, str], ...], width: int) -> list[str]:
    """click's ``HelpFormatter.write_dl`` inside a section (indent 2, spacing 2, first
    column at most 30), for rows whose text has no paragraph breaks."""
    first_col = min(max(len(first) for first, _ in rows), 30) + 2
    wrapper = textwrap.TextWrapper(max(width - first_col - 2, 10), replace_whitespace=False)
    lines = []
    for first, text in rows:
        wrapped = wrapper.wrap(" ".join(text.split()))
        if len(first) <= first_col - 2:
            lines.append(f"  {first}{' ' * (first_col - len(first))}{wrapped[0]}")
        else:
            lines += [f"  {first}", f"{' ' * (first_col + 2)}{wrapped[0]}"]
        lines += [f"{' ' * (first_col + 2)}{line}" for line in wrapped[1:]]
    return lines


def root_help(width: int | None = None) -> str:
    """``cqf --help`` as the typer group writes it, at click's width (the terminal's, at most
    80 columns, less 2, at least 50)."""
    if width is None:
        width = max(min(shutil.get_terminal_size().columns, 80) - 2, 50)
    about = textwrap.fill(HELP, width, initial_indent="  ", subsequent_indent="  ")
    commands = tuple((name, text) for name, (_, _, text) in COMMANDS.items())
    return "\n".join(["Usage: cqf [OPTIONS] COMMAND [ARGS]...", "", about, "", "Options:",
                      *_definitions(OPTIONS, width), "", "Commands:",
                      *_definitions(commands, width)]) + "\n"


def main() -> None:
    if sys.argv[1:] == ["--help"]:
        sys.stdout.write(root_help())
        return
    from app.cli.group import app as group

    group(prog_name="cqf")


def __getattr__(name: str) -> Any:
    if name in LAZY:
        from app.cli import group

        return getattr(group, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


if __name__ == "__main__":
    main()

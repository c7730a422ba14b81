"""The command line's own surface: ``cqf --help`` lists every command without loading what
the commands need (the store adapters, RDF, the seed loader) nor typer, exactly as the typer
group would; a command's ``--help`` loads typer and that command's module only; the words are
each command's own. (How long it takes: ``python -m benchmarks.cli_startup``.)"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.cli import COMMANDS, load_command, root_help

HEAVY = ("app.runtime", "app.graph.neo4j_store", "rdflib", "neo4j", "redis", "app.seed.loader",
         "app.main", "fastapi", "uvicorn", "pyoxigraph", "app.settings", "falkordb")


def test_help_lists_every_command_without_loading_what_they_need() -> None:
    script = ("import sys; from app.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              f"print({HEAVY!r}.__class__(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "()"
    for name in COMMANDS:
        assert f"  {name} " in done.stdout
    light = ("import sys; from app.cli import main; main()\n"
             "print([m for m in ('typer', 'click', 'rich') if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", light, "--help"], capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("columns", ["40", "80", "120"])
def test_the_quick_help_is_the_typer_groups_own(columns: str) -> None:
    """Written without typer, ``cqf --help`` is what the typer group writes, at any width of
    the terminal (click reads it from ``COLUMNS``)."""
    env = {**os.environ, "COLUMNS": columns}
    quick, group = (subprocess.run([sys.executable, "-c", script, "--help"], env=env,
                                   capture_output=True, text=True, timeout=120, check=True)
                    for script in ("from app.cli import main; main()",
                                   "from app.cli.group import app; app(prog_name='cqf')"))
    assert quick.stdout == group.stdout
    assert quick.stdout == root_help(max(min(int(columns), 80) - 2, 50))


def test_a_commands_help_loads_only_that_command() -> None:
    """``cqf keys --help``, ``cqf serve --help``...: typer and the command's own module, never
    the app, the store drivers, RDF or the settings."""
    lines = [[name, "--help"] for name in COMMANDS] + [["db", "status", "--help"],
                                                        ["keys", "create", "--help"]]
    script = ("import sys\nfrom app.cli import main\n"
              f"for line in {lines!r}:\n    sys.argv = ['cqf', *line]\n"
              "    try:\n        main()\n    except SystemExit as done:\n"
              "        assert not done.code, line\n"
              f"print([m for m in {HEAVY!r} if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"
    assert "--role" in done.stdout and "--workers" in done.stdout


def test_the_listed_words_are_each_commands_own_help() -> None:
    for name, (_, _, text) in COMMANDS.items():
        own = load_command(name).help or ""
        assert " ".join(own.split()).startswith(" ".join(text.split())), name

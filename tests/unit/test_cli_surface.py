"""The command line's own surface: ``cqf --help`` lists every command without loading what
the commands need (the store adapters, RDF, the seed loader), and its words are each
command's own."""

from __future__ import annotations

import subprocess
import sys

from app.cli import COMMANDS, load_command

HEAVY = ("app.runtime", "app.graph.neo4j_store", "rdflib", "neo4j", "redis", "app.seed.loader")


def test_help_lists_every_command_without_loading_what_they_need() -> None:
    script = ("import sys; from app.cli import main\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              f"print({HEAVY!r}.__class__(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", script, "--help"], capture_output=True,
                          text=True, timeout=120, check=True)
    assert done.stdout.strip().splitlines()[-1] == "()"
    for name in COMMANDS:
        assert f"  {name} " in done.stdout


def test_the_listed_words_are_each_commands_own_help() -> None:
    for name, (_, _, text) in COMMANDS.items():
        own = load_command(name).help or ""
        assert " ".join(own.split()).startswith(" ".join(text.split())), name

"""How long ``cqf --help`` (and a command's help) takes, against ``python -c pass`` measured
in the same run, interleaved, so a busy machine weighs on both alike (issue 25: within 0.3 s).

``python -m benchmarks.cli_startup [--runs N]``: prints one line per command line, the
median wall time of N runs and its ratio to the bare interpreter's median.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

ENTRY = "from app.cli import main; main()"  # what the ``cqf`` console script runs
LINES = {"python -c pass": [sys.executable, "-c", "pass"],
         "cqf --help": [sys.executable, "-c", ENTRY, "--help"],
         # the same help written by the typer group (the way it was before issue 25)
         "typer group --help": [sys.executable, "-c", "from app.cli.group import app; "
                                "app(prog_name='cqf')", "--help"],
         "cqf keys --help": [sys.executable, "-c", ENTRY, "keys", "--help"],
         "cqf serve --help": [sys.executable, "-c", ENTRY, "serve", "--help"]}


def _once(command: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - began


def measure(runs: int) -> dict[str, float]:
    """The median seconds of each command line, the lines run in turn ``runs`` times."""
    times: dict[str, list[float]] = {name: [] for name in LINES}
    for command in LINES.values():  # warm the file cache first
        _once(command)
    for _ in range(runs):
        for name, command in LINES.items():
            times[name].append(_once(command))
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cli_startup")
    parser.add_argument("--runs", type=int, default=15)
    medians = measure(parser.parse_args().runs)
    bare = medians["python -c pass"]
    for name, seconds in medians.items():
        print(f"{name:<20} {seconds * 1000:7.0f} ms  {seconds / bare:5.2f} x python -c pass")


if __name__ == "__main__":
    main()

"""``cqf bench``: the core benchmark suite (the same as ``python -m benchmarks``)."""

from __future__ import annotations

from typing import Annotated

import typer

bench_app = typer.Typer(help="Benchmarks (figures recorded in docs/benchmarks.md).")


@bench_app.callback(invoke_without_command=True)
def bench(
    quick: Annotated[bool, typer.Option(help="1/10 graph, short runs (CI)")] = False,
    only: Annotated[list[str] | None, typer.Option(help="http, writes or domain")] = None,
    seed: Annotated[int, typer.Option(help="generator seed")] = 42,
    record: Annotated[bool | None, typer.Option(
        help="write docs/benchmarks.md (default: in full mode only)")] = None,
    note: Annotated[str, typer.Option(help="a note recorded with the figures")] = "",
) -> None:
    """Generate an ESCO-sized graph and measure lookup, equivalence, portability and writes."""
    try:
        from benchmarks.runner import Options, run
    except ImportError as exc:  # the benchmarks package lives beside app/ in the repository
        raise typer.BadParameter("run from the repository root (benchmarks/ not found)") from exc
    run(Options(quick=quick, only=only or [], seed=seed, record=record, note=note))

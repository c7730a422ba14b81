"""``python -m benchmarks [--quick] [--only NAME...] [--seed N]``."""

from __future__ import annotations

import argparse

from benchmarks.runner import MEASUREMENTS, Options, run


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks",
                                     description="CQF Graph core benchmark suite")
    parser.add_argument("--quick", action="store_true", help="1/10 graph, short runs (CI)")
    parser.add_argument("--only", nargs="+", choices=MEASUREMENTS, default=[],
                        help="run only these measurements")
    parser.add_argument("--seed", type=int, default=42, help="generator seed")
    parser.add_argument("--scale", type=float, default=None, help="graph scale (1.0 = ESCO)")
    record = parser.add_mutually_exclusive_group()
    record.add_argument("--record", dest="record", action="store_true", default=None,
                        help="write docs/benchmarks.md (default in full mode)")
    record.add_argument("--no-record", dest="record", action="store_false")
    parser.add_argument("--note", default="", help="a note recorded with the figures")
    args = parser.parse_args()
    run(Options(quick=args.quick, only=args.only, seed=args.seed, record=args.record,
                note=args.note, scale=args.scale))


if __name__ == "__main__":
    main()

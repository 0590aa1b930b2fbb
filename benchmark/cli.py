"""The ``percee`` command: parses arguments, calls one module, prints. Heavy libraries load inside commands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.errors import InputError
from benchmark.paths import ANNOTATIONS, BUILD_CONFIGS, BUILT, RAW


def cmd_build(args: argparse.Namespace) -> int:
    from benchmark.data.build import build, format_stats

    print(format_stats(build(output=args.output, raw=args.raw, annotations=args.annotations, lexicons=args.lexicons)))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="percee", description="PERCÉE: expectation-stance benchmark "
                                     "(expects a breakthrough / expects none / no claim).")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build = commands.add_parser("build", help="build the dataset from datasets/raw and datasets/annotations")
    build.add_argument("--output", type=Path, default=BUILT, help="output folder (default: datasets/percee)")
    build.add_argument("--raw", type=Path, default=RAW, help="raw corpora folder (default: datasets/raw)")
    build.add_argument("--annotations", type=Path, default=ANNOTATIONS, help="gold annotation files folder")
    build.add_argument("--lexicons", type=Path, default=BUILD_CONFIGS, help="cue lexicon folder (configs/build)")
    build.set_defaults(handler=cmd_build)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``percee`` console script; returns the exit code (2 for bad input)."""
    args = _parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as exc:
        print(f"percee {args.command}: error: {exc}", file=sys.stderr)
        return 2


def run() -> None:
    """Console-script wrapper: exit with ``main``'s code."""
    sys.exit(main())


if __name__ == "__main__":
    run()

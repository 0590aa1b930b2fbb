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


def _gold_and_digest(args: argparse.Namespace) -> tuple[dict, str | None]:
    """Gold statements from ``--labels`` (a JSONL file) or the built dataset's split, and the digest to check."""
    from benchmark.data import digest, gold

    if args.labels is None:
        return gold(args.config, args.split, args.dataset), digest(args.dataset)
    from benchmark.fileio import read_jsonl

    labels = {}
    for line, row in read_jsonl(args.labels):
        if "id" not in row or "label" not in row:
            raise InputError('each gold row needs "id" and "label"', path=args.labels, line=line)
        labels[str(row["id"])] = {"label": row["label"], "lang": row.get("lang", "?"), "source": row.get("source", "?")}
    return labels, None


def cmd_score(args: argparse.Namespace) -> int:
    import json

    from benchmark.scoring.report import format_report, score

    gold, expected = _gold_and_digest(args)
    report = score(args.task, gold, args.predictions, expected_digest=expected, force=args.force)
    print(json.dumps(report, indent=1) if args.json else format_report(report))
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    import json

    from benchmark.scoring.report import compare, format_comparison

    gold, expected = _gold_and_digest(args)
    result = compare(args.task, gold, args.a, args.b, expected_digest=expected, force=args.force)
    print(json.dumps(result, indent=1) if args.json else format_comparison(result))
    return 0


def _scoring_options(command: argparse.ArgumentParser) -> None:
    from benchmark.labels import TASKS

    command.add_argument("--task", choices=list(TASKS), default="claim_stance")
    command.add_argument("--split", default="test", help="split of the built dataset holding the gold (default test)")
    command.add_argument("--config", default="default", help="dataset configuration (default: default)")
    command.add_argument("--dataset", type=Path, default=BUILT, help="built dataset folder")
    command.add_argument("--labels", type=Path, help="score against this gold JSONL (id, label, lang, source) instead")
    command.add_argument("--force", action="store_true", help="score even if the dataset digest differs")
    command.add_argument("--json", action="store_true", help="print the report as JSON")


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

    score = commands.add_parser("score", help="score a predictions file with the official scorer")
    score.add_argument("--predictions", type=Path, required=True, help="predictions JSONL (id, label, scores)")
    _scoring_options(score)
    score.set_defaults(handler=cmd_score)

    compare = commands.add_parser("compare", help="paired bootstrap test between two predictions files")
    compare.add_argument("a", type=Path, help="predictions file A")
    compare.add_argument("b", type=Path, help="predictions file B")
    _scoring_options(compare)
    compare.set_defaults(handler=cmd_compare)
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

"""The ``percee`` command: parses arguments, calls one module, prints. Heavy libraries load inside commands."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmark.errors import InputError
from benchmark.paths import (ANNOTATIONS, BASELINES_LOCK, BUILD_CONFIGS, BUILT, CONTRAST, LEADERBOARD, RAW, RECALL,
                             SUBMISSIONS, TRANSLATIONS)


def cmd_build(args: argparse.Namespace) -> int:
    from benchmark.data.build import build, format_stats

    print(f"percee build: {args.raw} + {args.annotations} -> {args.output} (about 2 minutes on 2 cores)", flush=True)
    print(format_stats(build(output=args.output, raw=args.raw, annotations=args.annotations, lexicons=args.lexicons,
                             contrast=args.contrast, recall=args.recall, translations_folder=args.translations)))
    return 0


def _gold_and_digest(args: argparse.Namespace, predictions: Path) -> tuple[dict, str | None]:
    """Gold statements from ``--labels`` (a JSONL file, optionally after a ``_meta`` row with the dataset digest,
    as ``percee export --labels`` writes) or the built dataset's split, and the digest to check. The split and
    configuration default to those the predictions' ``_meta`` names, else test of default."""
    from benchmark.data import digest, gold

    if args.labels is None:
        from benchmark.scoring.predictions import read_meta

        meta = read_meta(predictions)
        split = args.split or meta.get("split") or "test"
        config = args.config or meta.get("config") or meta.get("data") or "default"
        return gold(config, split, args.dataset, args.force), digest(args.dataset, args.force)
    from benchmark.errors import shorten
    from benchmark.fileio import read_jsonl
    from benchmark.labels import LABELS

    labels, expected = {}, None
    for index, (line, row) in enumerate(read_jsonl(args.labels)):
        if index == 0 and isinstance(row.get("_meta"), dict):
            expected = row["_meta"].get("dataset_digest")
            continue
        if not isinstance(row.get("id"), str) or not row["id"] or "label" not in row:
            raise InputError('each gold row needs "id" (a non-empty string) and "label"', path=args.labels, line=line)
        if row["label"] not in LABELS:
            raise InputError(f"label {shorten(row['label'])} is not one of {', '.join(LABELS)}", path=args.labels,
                             line=line)
        for key in ("lang", "source"):
            if not isinstance(row.get(key, "?"), str):
                raise InputError(f'"{key}" must be a string, got {shorten(row[key])}', path=args.labels, line=line)
        if row["id"] in labels:
            raise InputError(f"id {shorten(row['id'])} appears twice; keep one gold label per id", path=args.labels,
                             line=line)
        labels[row["id"]] = {"label": row["label"], "lang": row.get("lang", "?"), "source": row.get("source", "?")}
    return labels, expected


def cmd_score(args: argparse.Namespace) -> int:
    import json

    if args.contrast:
        return _score_contrast(args)
    from benchmark.scoring.report import format_report, score

    gold, expected = _gold_and_digest(args, args.predictions)
    report = score(args.task, gold, args.predictions, expected_digest=expected, force=args.force)
    note = _forced_files(args, report)
    print(json.dumps(report, indent=1) if args.json else format_report(report) + note)
    return 0


def _forced_files(args: argparse.Namespace, report: dict) -> str:
    """Record in ``report`` the dataset files that differ from the manifest (only ever non-empty with --force);
    return the line the text report ends with ('' when the files are as built)."""
    if args.labels is not None:
        return ""
    from benchmark.data import check

    integrity = check(args.dataset, args.force)
    if integrity.modified:
        report["dataset_files_modified"] = list(integrity.modified)
    return f"\n{integrity.note}" if integrity.note else ""


def _score_contrast(args: argparse.Namespace) -> int:
    """``percee score --contrast``: per-capability metrics of predictions for the ``contrast`` configuration."""
    import json

    from benchmark.data import contrast_gold, digest, load
    from benchmark.scoring.contrast import contrast_report, format_contrast
    from benchmark.scoring.predictions import load_predictions

    rows = load("contrast", args.dataset, args.force)["test"]
    predictions = load_predictions(args.task, contrast_gold(rows), args.predictions, digest(args.dataset, args.force),
                                   args.force)
    predicted = {i: predictions.task.labels[p] for i, p in zip(predictions.ids, predictions.y_pred)}
    report = contrast_report(args.task, rows, predicted)
    note = _forced_files(args, report)
    print(json.dumps(report, indent=1) if args.json else format_contrast(report) + note)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    import json

    from benchmark.scoring.report import compare, format_comparison

    gold, expected = _gold_and_digest(args, args.a)
    result = compare(args.task, gold, args.a, args.b, expected_digest=expected, force=args.force)
    note = _forced_files(args, result)
    print(json.dumps(result, indent=1) if args.json else format_comparison(result) + note)
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from benchmark.verify import TOLERANCE, format_rows, read_lock, verify

    written = None if args.update else read_lock(args.lock).get("tolerance")  # a bad lock stops before any re-run
    rows, held = verify(args.lock, update=args.update)
    print(format_rows(rows))
    if written is not None and written != TOLERANCE:
        print(f"note: the lock says tolerance {written!r}; verify always uses {TOLERANCE:g}")
    print("all baselines hold" if held else "DRIFT: a baseline no longer reproduces its locked scores")
    return 0 if held else 1


def _scoring_options(command: argparse.ArgumentParser) -> None:
    from benchmark.labels import TASKS

    command.add_argument("--task", choices=list(TASKS), default="claim_stance")
    command.add_argument("--split", help="split of the built dataset holding the gold (default: the split the "
                         "predictions' _meta names, else test)")
    command.add_argument("--config", help="dataset configuration (default: the one the predictions' _meta names, "
                         "else default)")
    command.add_argument("--dataset", type=Path, default=BUILT, help="built dataset folder")
    command.add_argument("--labels", type=Path, help="score against this gold JSONL (id, label, lang, source) instead")
    command.add_argument("--force", action="store_true", help="score even if the dataset digest differs or the "
                         "dataset files differ from MANIFEST.json (the report says so)")
    command.add_argument("--json", action="store_true", help="print the report as JSON")


def _tracking_uri(given: str | None) -> str:
    """``--tracking-uri``, else ``$MLFLOW_TRACKING_URI``, else the embedded store ``percee run`` writes to."""
    import os

    if given:
        return given
    from benchmark.run import compose

    return os.environ.get("MLFLOW_TRACKING_URI") or compose(["tracking=local"]).tracking.uri


def cmd_predict(args: argparse.Namespace) -> int:
    from benchmark.predict import predict

    tracking_uri, own_store = args.tracking_uri, None
    if args.model.startswith(("runs:/", "models:/")):
        from benchmark.run import compose

        own_store = compose(["tracking=local"]).tracking.uri  # runs `percee run` recorded here are the user's own
        tracking_uri = _tracking_uri(tracking_uri)
    count = predict(args.model, args.output, statements=args.input, documents=args.documents,
                    tracking_uri=tracking_uri, trust=args.trust_model, own_store=own_store)
    print(f"{count} predictions -> {args.output}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from benchmark.export import export

    count = export(args.output, args.config, args.split, args.dataset, labels=args.labels)
    print(f"{count} {'gold labels' if args.labels else 'statements without labels'} of {args.config}/{args.split} "
          f"-> {args.output}")
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from benchmark.submissions import from_run, submit

    metadata = {"name": args.name, "authors": args.author, "tasks": args.task, "config": args.config,
                "contact_or_url": args.contact_or_url, "description": args.description,
                "training_data": args.training_data, "parameter_count": args.parameter_count,
                "mlflow_run_id": args.run_id, "git_commit": args.git_commit, "created": args.created,
                "baseline": args.baseline, "code_url": args.code_url, "paper_url": args.paper_url,
                "mlflow_run_url": args.mlflow_run_url}
    if args.run_id:
        metadata = from_run(metadata, _tracking_uri(args.tracking_uri))
    folder = submit(args.predictions, {key: value for key, value in metadata.items() if value is not None},
                    root=args.submissions, dataset=args.dataset, replace_existing=args.replace, force=args.force,
                    contrast=args.contrast_predictions)
    print(f"submitted {args.name!r} -> {folder}")
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    from benchmark.leaderboard.build import build_leaderboard
    from benchmark.leaderboard.render import write_leaderboard

    from benchmark.submissions import latest_date

    generated = args.generated or latest_date(args.submissions)  # the same pages for the same submissions
    board = build_leaderboard(args.submissions, args.dataset, force=args.force, generated=generated)
    output = write_leaderboard(board, args.output)
    if board.get("dataset_files_modified"):
        print(f"WARNING: ranked with --force on a dataset whose files differ from its MANIFEST.json: "
              f"{', '.join(board['dataset_files_modified'])}")
    print(f"{sum(len(table['entries']) for table in board['tables'])} entries in {len(board['tables'])} table(s) "
          f"-> {output}")
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
    build.add_argument("--contrast", type=Path, default=CONTRAST, help="contrast set folder (datasets/contrast)")
    build.add_argument("--recall", type=Path, default=RECALL, help="recall samples folder (datasets/recall)")
    build.add_argument("--translations", type=Path, default=TRANSLATIONS,
                       help="translated test statements folder (datasets/translations)")
    build.set_defaults(handler=cmd_build)

    commands.add_parser("run", add_help=False, help="fit, select and score a model composed from configs/ "
                        "(Hydra: `percee run --help`; sweeps with -m)")

    predict = commands.add_parser("predict", help="predict new statements (or raw documents) with a logged model")
    predict.add_argument("--model", required=True, help="runs:/<run id>/model, models:/<name>/<version> or a folder")
    source = predict.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", type=Path, help="statements JSONL: id, text, lang per line")
    source.add_argument("--documents", type=Path, help="raw documents JSONL (doc_id, lang, text): extract, then "
                        "predict every statement")
    predict.add_argument("--output", type=Path, required=True, help="predictions JSONL to write")
    predict.add_argument("--tracking-uri", help="MLflow tracking URI for runs:/ and models:/ (default: "
                         "$MLFLOW_TRACKING_URI, else the local store in .percee/)")
    predict.add_argument("--trust-model", action="store_true",
                         help="load a model that holds pickle data, code or classes outside the allow-list: this "
                         "runs any code its author put in it (needed for models from others; not for runs your "
                         "own `percee run` recorded in the local store)")
    predict.set_defaults(handler=cmd_predict)

    export = commands.add_parser("export", help="write a split's statements without labels (the blind file to "
                                 "predict), or with --labels its gold labels (kept by the maintainers)")
    export.add_argument("--split", default="test", choices=("test", "validation"), help="split (default: test)")
    export.add_argument("--config", default="default", help="dataset configuration (default: default)")
    export.add_argument("--output", type=Path, required=True, help="JSONL file to write")
    export.add_argument("--labels", action="store_true", help="write the gold labels (id, label, lang, source) "
                        "instead of the statements")
    export.add_argument("--dataset", type=Path, default=BUILT, help="built dataset folder")
    export.set_defaults(handler=cmd_export)

    score = commands.add_parser("score", help="score a predictions file with the official scorer")
    score.add_argument("--predictions", type=Path, required=True, help="predictions JSONL (id, label, scores)")
    score.add_argument("--contrast", action="store_true",
                       help="score predictions on the contrast sets: accuracy and consistency per capability")
    _scoring_options(score)
    score.set_defaults(handler=cmd_score)

    compare = commands.add_parser("compare", help="paired bootstrap test between two predictions files")
    compare.add_argument("a", type=Path, help="predictions file A")
    compare.add_argument("b", type=Path, help="predictions file B")
    _scoring_options(compare)
    compare.set_defaults(handler=cmd_compare)

    submit = commands.add_parser("submit", help="validate a predictions file and add it to experiments/submissions")
    submit.add_argument("--predictions", type=Path, required=True, help="predictions JSONL for the test split")
    submit.add_argument("--contrast-predictions", type=Path,
                        help="predictions JSONL for the contrast configuration (adds the capability columns)")
    submit.add_argument("--name", required=True, help="the system's name (its slug names the folder)")
    submit.add_argument("--author", action="append", required=True, help="an author (repeat for several)")
    submit.add_argument("--task", action="append", required=True, help="a task the predictions answer (repeatable)")
    submit.add_argument("--config", help="dataset configuration predicted (default: default)")
    submit.add_argument("--contact-or-url", help="an e-mail address or a web page")
    submit.add_argument("--description", help="what the system is")
    submit.add_argument("--training-data", help='what it was trained on, e.g. "percee default train (gold+weak)"')
    submit.add_argument("--parameter-count", type=int, help="number of trained parameters")
    submit.add_argument("--run-id", help="the MLflow run that made the predictions (checked in the store; its logged "
                        "model gives the parameter count)")
    submit.add_argument("--tracking-uri", help="the MLflow store holding --run-id (default: $MLFLOW_TRACKING_URI, else "
                        "the local store of percee run)")
    submit.add_argument("--code-url", help="http(s) address of the system's code (a link on the leaderboard)")
    submit.add_argument("--paper-url", help="http(s) address of the paper describing the system")
    submit.add_argument("--mlflow-run-url", help="http(s) address of the MLflow run, where it is public")
    submit.add_argument("--git-commit", help="commit of the code (default: git rev-parse HEAD when in a checkout)")
    submit.add_argument("--created", help="submission date YYYY-MM-DD (default: today)")
    submit.add_argument("--baseline", action="store_true", default=None, help="mark as one of PERCÉE's baselines")
    submit.add_argument("--replace", action="store_true", help="replace the submission with the same slug")
    submit.add_argument("--force", action="store_true", help="accept predictions made on another dataset digest")
    submit.add_argument("--dataset", type=Path, default=BUILT, help="built dataset folder")
    submit.add_argument("--submissions", type=Path, default=SUBMISSIONS, help="submissions folder")
    submit.set_defaults(handler=cmd_submit)

    leaderboard = commands.add_parser("leaderboard", help="score and rank every submission into "
                                      "experiments/leaderboard (README.md, index.html, leaderboard.json)")
    leaderboard.add_argument("--submissions", type=Path, default=SUBMISSIONS, help="submissions folder")
    leaderboard.add_argument("--dataset", type=Path, default=BUILT, help="built dataset folder")
    leaderboard.add_argument("--output", type=Path, default=LEADERBOARD, help="output folder")
    leaderboard.add_argument("--force", action="store_true", help="also rank submissions made on another digest")
    leaderboard.add_argument("--generated", help="a label printed on the pages, e.g. a date (default: the latest "
                             "submission's date)")
    leaderboard.set_defaults(handler=cmd_leaderboard)
    verify = commands.add_parser("verify", help="re-run every baseline and compare with experiments/baselines.lock.json")
    verify.add_argument("--lock", type=Path, default=BASELINES_LOCK, help="the baselines lock file")
    verify.add_argument("--update", action="store_true", help="rewrite the lock with the measured scores")
    verify.set_defaults(handler=cmd_verify)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``percee`` console script; returns the exit code (2 for bad input)."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["run"]:
        from benchmark.run import main as run_main

        return run_main(argv[1:])
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

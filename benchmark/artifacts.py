"""The files of one run (predictions, reports, confusion matrices, config), written atomically to its folder."""
from __future__ import annotations

import json
from pathlib import Path

from benchmark.experiment import Result, prediction_rows
from benchmark.fileio import dumps_jsonl, write_atomic

SPLITS = ("validation", "test")
CONFIG = "config.yaml"
REPORT_TEXT = "classification_report.txt"
CONFUSION = "confusion_matrix.svg"
SELECTION = "selection.json"
CONTRAST_REPORT = "report_contrast.json"


def predictions_file(split: str) -> str:
    return f"predictions_{split}.jsonl"


def report_file(split: str) -> str:
    return f"report_{split}.json"


def confusion_svg(result: Result) -> str:
    """Validation and test confusion matrices (rows gold, columns predicted) side by side, as an SVG image:
    text, no plotting library, so a run does not spend a second importing one."""
    from html import escape

    labels, cell, left, top = result.task.labels, 56, 150, 64
    side = left + cell * len(labels) + 24
    parts = []
    for panel, split in enumerate(SPLITS):
        counts = result.reports[split]["confusion_matrix"]["counts"]
        most = max(max(row) for row in counts) or 1
        x0 = panel * side
        parts.append(f'<text x="{x0 + left + cell * len(labels) / 2}" y="{top - 28}" text-anchor="middle" '
                     f'font-weight="bold">{escape(split)} (n = {result.reports[split]["n"]})</text>')
        parts.append(f'<text x="{x0 + left + cell * len(labels) / 2}" y="{top - 8}" text-anchor="middle" '
                     'font-size="11">predicted →</text>')
        for row, values in enumerate(counts):
            y = top + row * cell
            parts.append(f'<text x="{x0 + left - 6}" y="{y + cell / 2 + 4}" text-anchor="end" font-size="11">'
                         f"{escape(labels[row])}</text>")
            for column, count in enumerate(values):
                x, shade = x0 + left + column * cell, count / most
                fill = f"rgb({int(247 - 239 * shade)},{int(251 - 203 * shade)},{int(255 - 148 * shade)})"
                ink = "#fff" if shade > 0.5 else "#000"
                parts.append(f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{fill}" stroke="#fff"/>'
                             f'<text x="{x + cell / 2}" y="{y + cell / 2 + 4}" text-anchor="middle" fill="{ink}">'
                             f"{count}</text>")
        for column, label in enumerate(labels):
            x = x0 + left + column * cell + cell / 2
            y = top + cell * len(labels) + 10
            parts.append(f'<text x="{x}" y="{y}" font-size="11" transform="rotate(30 {x} {y})">{escape(label)}</text>')
    width, height = side * len(SPLITS), top + cell * len(labels) + 110
    title = escape(f"{result.model_name} | task {result.task.name} | {result.data['config']} (rows: gold)")
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif" font-size="13"><title>{title}</title>'
            f'<text x="8" y="18" font-size="12">{title}</text>{"".join(parts)}</svg>\n')


def write_outputs(result: Result, folder: Path, config_yaml: str) -> Path:
    """Write every file of the run into ``folder`` and return it."""
    from benchmark.scoring.report import format_report

    folder = Path(folder)
    for split in SPLITS:
        write_atomic(folder / predictions_file(split), dumps_jsonl(prediction_rows(result, split)))
        write_atomic(folder / report_file(split), json.dumps(result.reports[split], indent=1) + "\n")
    write_atomic(folder / REPORT_TEXT, "".join(f"== {split}\n{format_report(result.reports[split])}\n"
                                               for split in SPLITS))
    write_atomic(folder / CONFUSION, confusion_svg(result))
    write_atomic(folder / SELECTION, json.dumps({"chosen": result.params, "grid": result.selection}, indent=1) + "\n")
    write_atomic(folder / CONFIG, config_yaml)
    if result.contrast is not None:
        write_atomic(folder / predictions_file("contrast"), dumps_jsonl(prediction_rows(result, "contrast")))
        write_atomic(folder / CONTRAST_REPORT, json.dumps(result.contrast, indent=1) + "\n")
    return folder

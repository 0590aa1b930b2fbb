"""The files of one run (predictions, reports, confusion matrices, config), written atomically to its folder."""
from __future__ import annotations

import io
import json
from pathlib import Path

from benchmark.experiment import Result, prediction_rows
from benchmark.fileio import dumps_jsonl, write_atomic

SPLITS = ("validation", "test")
CONFIG = "config.yaml"
REPORT_TEXT = "classification_report.txt"
CONFUSION = "confusion_matrix.png"
SELECTION = "selection.json"
CONTRAST_REPORT = "report_contrast.json"


def predictions_file(split: str) -> str:
    return f"predictions_{split}.jsonl"


def report_file(split: str) -> str:
    return f"report_{split}.json"


def confusion_png(result: Result) -> bytes:
    """Validation and test confusion matrices (rows gold, columns predicted) side by side, as PNG bytes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    labels = result.task.labels
    figure = Figure(figsize=(4.2 * len(SPLITS), 4.2), layout="constrained")
    FigureCanvasAgg(figure)
    for axes, split in zip(figure.subplots(1, len(SPLITS)), SPLITS):
        counts = result.reports[split]["confusion_matrix"]["counts"]
        axes.imshow(counts, cmap="Blues")
        for row, values in enumerate(counts):
            for column, count in enumerate(values):
                axes.text(column, row, str(count), ha="center", va="center")
        axes.set(title=f"{split} (n = {result.reports[split]['n']})", xlabel="predicted", ylabel="gold",
                 xticks=range(len(labels)), yticks=range(len(labels)))
        axes.set_xticklabels(labels, rotation=30, ha="right")
        axes.set_yticklabels(labels)
    figure.suptitle(f"{result.model_name} | task {result.task.name} | {result.data['config']}")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def write_outputs(result: Result, folder: Path, config_yaml: str) -> Path:
    """Write every file of the run into ``folder`` and return it."""
    from benchmark.scoring.report import format_report

    folder = Path(folder)
    for split in SPLITS:
        write_atomic(folder / predictions_file(split), dumps_jsonl(prediction_rows(result, split)))
        write_atomic(folder / report_file(split), json.dumps(result.reports[split], indent=1) + "\n")
    write_atomic(folder / REPORT_TEXT, "".join(f"== {split}\n{format_report(result.reports[split])}\n"
                                               for split in SPLITS))
    write_atomic(folder / CONFUSION, confusion_png(result))
    write_atomic(folder / SELECTION, json.dumps({"chosen": result.params, "grid": result.selection}, indent=1) + "\n")
    write_atomic(folder / CONFIG, config_yaml)
    if result.contrast is not None:
        write_atomic(folder / predictions_file("contrast"), dumps_jsonl(prediction_rows(result, "contrast")))
        write_atomic(folder / CONTRAST_REPORT, json.dumps(result.contrast, indent=1) + "\n")
    return folder

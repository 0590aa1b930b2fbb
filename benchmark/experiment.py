"""One experiment: fit on train, choose hyperparameters on validation, predict and score validation and test.

Independent of Hydra's application machinery: it takes a plain resolved config (a dict with ``task``, ``model``,
``data`` and ``seed``), so tests and ``percee verify`` call it directly.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass

import numpy as np

from benchmark.errors import InputError
from benchmark.labels import LABELS, Task, get_task
from benchmark.models.inputs import FEATURES

#: What a model may train on: annotated statements only; every train statement with its weak label (the
#: majority vote); or annotated statements plus the weak ones as the label model's probabilistic labels (each
#: weak statement once per label, weighted by the label model's probability of it). ``auto``: each of these,
#: chosen on validation (a model config may narrow the choice with its own ``train_on`` list).
TRAIN_ON = ("gold", "gold+weak", "gold+weighted")
AUTO = "auto"
#: Keys of a model config that are not passed to its class: ``grid`` (values chosen on validation),
#: ``train_on`` (the training sets ``data.train_on=auto`` chooses from) and ``decision`` (``reweight``: class
#: weights on the scores chosen on validation for the headline, see :mod:`benchmark.models.decision`).
RESERVED = ("grid", "train_on", "decision")
#: Weak statements whose label-model probability of a label is below this are not trained on for that label.
MIN_WEIGHT = 0.01
#: Columns kept from the dataset for every statement.
COLUMNS = ("id", *FEATURES, "source", "label", "label_source", "weak_probs")
#: Progress (a line per stage and grid point): on the console and in the run's ``percee.log`` under Hydra.
log = logging.getLogger(__name__)


@dataclass
class Result:
    """What one experiment produced: the chosen fitted model, its predictions and the official score reports.

    ``frames[split]`` holds the split's statements in the task (id, text, lang, source, label, label_source and
    the task label ``y``); ``predictions[split]`` holds ``id``, ``label`` and ``scores`` (``(n, K)`` in task
    label order, or None), also for ``contrast`` when the dataset has contrast sets; ``contrast`` is then the
    per-capability report; ``selection`` lists every grid point with its validation headline, in grid order.
    """

    task: Task
    model_name: str
    data: dict
    seed: int
    estimator: object
    params: dict
    selection: list[dict]
    frames: dict
    predictions: dict
    reports: dict
    scores_from: str | None
    dataset_digest: str
    contrast: dict | None = None


#: The fitted attributes that hold a classifier's trained weights (what :func:`parameter_count` counts).
WEIGHTS = ("coef_", "intercept_", "feature_log_prob_", "class_log_prior_")


def parameter_count(estimator) -> int:
    """The number of trained weights of an estimator: the sizes of its ``WEIGHTS`` attributes and those of every
    estimator inside it (pipeline steps, wrapped estimators); fitted statistics such as a vocabulary or idf
    weights are not parameters. The one count a run records in MLflow and a baseline submission states."""
    seen, stack, total = set(), [estimator], 0
    while stack:
        item = stack.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        total += sum(np.asarray(getattr(item, name)).size for name in WEIGHTS if hasattr(item, name))
        stack += [value for value in vars(item).values() if hasattr(value, "get_params")]
        stack += [step for _, step in getattr(item, "steps", [])]
    return int(total)


def model_name_of(model: dict) -> str:
    """A model config's name when none is given: its class name."""
    return str(model["_target_"]).rsplit(".", 1)[-1]


def candidates(model: dict) -> list[dict]:
    """The grid points of ``model["grid"]`` in a fixed order (one empty point when there is no grid)."""
    from sklearn.model_selection import ParameterGrid

    grid = model.get("grid") or {}
    return list(ParameterGrid({key: list(values) for key, values in grid.items()})) if grid else [{}]


def build_estimator(model: dict, **params):
    """Instantiate a model config (``_target_`` and its arguments, ``grid`` left out) with ``params`` on top."""
    from hydra.utils import instantiate

    arguments = {key: value for key, value in model.items() if key not in RESERVED}
    return instantiate({**arguments, **params}, _convert_="all")


def task_frames(task: Task, data: dict) -> tuple[dict, str]:
    """The statements of each split that belong to ``task``, as DataFrames with the task label in ``y``.

    ``data``: ``config`` (dataset configuration), ``path`` (built dataset) and ``train_on`` (one of
    :data:`TRAIN_ON` or ``auto``). The train frame keeps every statement (its weak ones unlabelled in the task
    are left out); :func:`training_set` picks the rows. Returns the frames and the dataset digest.
    """
    from benchmark.data import digest, read_split

    if data["train_on"] not in (*TRAIN_ON, AUTO):
        raise InputError(f"data.train_on is {data['train_on']!r}; use one of {', '.join((*TRAIN_ON, AUTO))}")
    dataset_digest = digest(data["path"])  # the files are checked against the manifest before they are read
    frames = {}
    for split in ("train", "validation", "test"):
        frame = read_split(data["config"], split, data["path"], list(COLUMNS))
        frame["y"] = [task.target(LABELS[label]) for label in frame["label"]]
        keep = frame["y"].notna()
        if split == "train" and data["train_on"] == "gold":
            keep &= frame["label_source"] == "gold"
        frame = frame[keep].reset_index(drop=True)
        if frame.empty:
            raise InputError(f"the {split} split of {data['config']!r} has no statement of task {task.name} "
                             f"(train_on={data['train_on']})", path=data["path"])
        frames[split] = frame
    return frames, dataset_digest


def train_options(model: dict, data: dict) -> list[str]:
    """The training sets to choose from: ``data.train_on``, or under ``auto`` the model's ``train_on`` list."""
    if data["train_on"] != AUTO:
        return [data["train_on"]]
    options = list(model.get("train_on") or TRAIN_ON)
    unknown = [option for option in options if option not in TRAIN_ON]
    if unknown:
        raise InputError(f"model train_on lists {unknown}; use values of {', '.join(TRAIN_ON)}")
    return options


def training_set(task: Task, train, train_on: str):
    """``(X, y, sample_weight)`` of the train frame for ``train_on`` (sample_weight None when all are 1)."""
    import pandas as pd

    gold = train[train["label_source"] == "gold"]
    weak = train[(train["label_source"] == "weak")]
    if train_on == "gold":
        rows = gold
    elif train_on == "gold+weak":
        rows = pd.concat([gold, weak[weak["y"].notna()]])
    else:
        expanded = []
        for label in task.labels:
            members = [statement for statement in LABELS if task.target(statement) == label]
            weight = sum(weak["weak_probs"].map(lambda p, i=LABELS.index(m): float(p[i])) for m in members)
            chosen = weak[weight >= MIN_WEIGHT].assign(y=label, weight=weight[weight >= MIN_WEIGHT])
            expanded.append(chosen)
        rows = pd.concat([gold.assign(weight=1.0), *expanded])
        return rows[list(FEATURES)].reset_index(drop=True), rows["y"].to_numpy(), rows["weight"].to_numpy()
    return rows[list(FEATURES)].reset_index(drop=True), rows["y"].to_numpy(), None


def fit_estimator(estimator, X, y, sample_weight=None):
    """``estimator.fit(X, y)``, passing ``sample_weight`` when there is one."""
    if sample_weight is None:
        return estimator.fit(X, y)
    return estimator.fit(X, y, sample_weight=sample_weight)


def class_scores(estimator, X, labels: tuple[str, ...]) -> tuple[np.ndarray | None, str | None]:
    """``(n, K)`` scores in ``labels`` order and where they came from: ``predict_proba``, the softmax of
    ``decision_function``, or ``(None, None)`` when the model offers neither (or no ``classes_`` to order them).
    Labels never seen in training get 0."""
    if not hasattr(estimator, "classes_"):
        return None, None
    if hasattr(estimator, "predict_proba"):
        raw, source = np.asarray(estimator.predict_proba(X), dtype=np.float64), "predict_proba"
    elif hasattr(estimator, "decision_function"):
        margins = np.asarray(estimator.decision_function(X), dtype=np.float64)
        if margins.ndim == 1:
            margins = np.column_stack([np.zeros_like(margins), margins])
        shifted = np.exp(margins - margins.max(axis=1, keepdims=True))
        raw, source = shifted / shifted.sum(axis=1, keepdims=True), "softmax(decision_function)"
    else:
        return None, None
    scores = np.zeros((raw.shape[0], len(labels)))
    for column, label in enumerate(np.asarray(estimator.classes_).tolist()):
        scores[:, labels.index(label)] = raw[:, column]
    return scores, source


def _headline(task: Task, frame, predicted) -> float:
    from benchmark.scoring.report import score_arrays

    return score_arrays(task, frame["y"].to_numpy(), np.asarray(predicted))["headline"]["value"]


def _model_fault(model: dict, step: str, fault: str) -> InputError:
    return InputError(f"model {model_name_of(model)} ({model['_target_']}) {step}: {fault}; fix the model or its "
                      "config")


def fit(model: dict, params: dict, X, y, sample_weight=None):
    """Build and fit one grid point; a model that cannot be built or raises in ``fit`` is an InputError naming it."""
    try:
        estimator = build_estimator(model, **params)
        fitted = fit_estimator(estimator, X, y, sample_weight)
    except Exception as exc:  # any fault of user code: one message, not a traceback
        raise _model_fault(model, f"failed in fit{f' with {params}' if params else ''}",
                           f"{type(exc).__name__}: {str(exc)[:300]}") from None
    return fitted if fitted is not None else estimator


def predict_labels(model: dict, estimator, X, task: Task) -> np.ndarray:
    """``estimator.predict(X)`` as task label strings, checked: one label of ``task`` per row."""
    try:
        predicted = estimator.predict(X)
    except Exception as exc:
        raise _model_fault(model, "failed in predict", f"{type(exc).__name__}: {str(exc)[:300]}") from None
    if predicted is None:
        raise _model_fault(model, "returned None from predict", "return one label per row")
    labels = np.asarray(predicted).astype(str).reshape(-1) if np.ndim(predicted) else np.asarray([])
    if np.ndim(predicted) != 1 or len(labels) != len(X):
        raise _model_fault(model, f"returned {np.size(predicted)} predictions for {len(X)} statements",
                           "return one label per row")
    outside = sorted(set(labels.tolist()) - set(task.labels))
    if outside:
        raise _model_fault(model, f"predicted label(s) outside task {task.name} ({', '.join(outside[:5])})",
                           f"predict one of {', '.join(task.labels)}")
    return labels


def select(task: Task, model: dict, frames: dict, data: dict | None = None
           ) -> tuple[object, dict, list[dict], np.ndarray]:
    """Fit every (training set, grid point) on train and keep the best validation headline (the first one on
    ties); with ``decision: reweight`` the class weights of each are chosen on validation too. The test split
    is not an input. Returns the chosen estimator, its parameters (they hold ``train_on``, and
    ``class_weights`` when re-weighted), every point's validation headline and the chosen estimator's
    validation labels."""
    from sklearn.utils.validation import has_fit_parameter

    from benchmark.models.decision import ReweightedClassifier, choose_weights

    train, validation = frames["train"], frames["validation"]
    X_validation = validation[list(FEATURES)]
    best, selection = None, []
    points = [(train_on, params) for train_on in train_options(model, data or {"train_on": "gold+weak"})
              for params in candidates(model)]
    sets = {}
    for number, (train_on, params) in enumerate(points, start=1):
        begin = time.perf_counter()
        if train_on not in sets:
            sets[train_on] = training_set(task, train, train_on)
        X, y, weight = sets[train_on]
        estimator = build_estimator(model, **params)
        if weight is not None and not has_fit_parameter(estimator, "sample_weight"):
            if (data or {}).get("train_on") != AUTO:
                raise InputError(f"data.train_on={train_on} needs a model whose fit takes sample_weight; "
                                 f"{type(estimator).__name__} does not: use gold or gold+weak")
            continue  # auto: a model without sample_weight chooses among the unweighted sets only
        estimator = fit(model, params, X, y, weight)
        chosen = {"train_on": train_on, **params}
        if model.get("decision") == "reweight":
            scores, _ = class_scores(estimator, X_validation, task.labels)
            weights, _ = choose_weights(task, scores, validation["y"].to_numpy())
            estimator = ReweightedClassifier(estimator, list(task.labels), [float(w) for w in weights])
            estimator.classes_ = np.asarray(task.labels)
            chosen["class_weights"] = dict(zip(task.labels, estimator.weights))
        labels = predict_labels(model, estimator, X_validation, task)
        value = _headline(task, validation, labels)
        selection.append({"params": chosen, "validation_headline": value})
        log.info("grid point %d/%d %s: validation %s %.4f (%.1f s)", number, len(points), chosen,
                 task.headline, value, time.perf_counter() - begin)
        if best is None or value > best[2]:
            best = (estimator, chosen, value, labels)
    return best[0], best[1], selection, best[3]


def run_experiment(config: dict, model_name: str | None = None) -> Result:
    """Run one experiment from a resolved config (``task.name``, ``model``, ``data``, ``seed``)."""
    from benchmark.scoring.report import score_arrays

    try:
        task = get_task(config["task"]["name"])
    except KeyError as exc:
        raise InputError(f"{exc.args[0]}; e.g. task=claim") from None
    if type(config.get("seed")) is not int:
        raise InputError(f"seed must be an integer, got {config.get('seed')!r}; e.g. seed=0")
    log.info("loading dataset configuration %s from %s", config["data"]["config"], config["data"]["path"])
    frames, dataset_digest = task_frames(task, config["data"])
    log.info("task %s: %s statements; fitting on train, choosing on validation",
             task.name, ", ".join(f"{split} {len(frame)}" for split, frame in frames.items()))
    estimator, params, selection, validation_labels = select(task, config["model"], frames, config["data"])
    log.info("chosen %s; predicting and scoring validation, test and the contrast sets", params or "(no grid)")
    predictions, reports, scores_from = {}, {}, None
    for split in ("validation", "test"):
        frame = frames[split]
        X = frame[list(FEATURES)]
        labels = validation_labels if split == "validation" else predict_labels(config["model"], estimator, X, task)
        scores, scores_from = class_scores(estimator, X, task.labels)
        predictions[split] = {"id": frame["id"].tolist(), "label": labels.tolist(), "scores": scores}
        reports[split] = score_arrays(task, frame["y"].to_numpy(), labels, frame["lang"].tolist(),
                                      frame["source"].tolist(), scores)
    contrast = contrast_rows(config["data"]["path"])
    contrast_report_ = None
    if contrast is not None:
        from benchmark.scoring.contrast import contrast_report

        X = contrast[list(FEATURES)]
        labels = predict_labels(config["model"], estimator, X, task)
        predictions["contrast"] = {"id": contrast["id"].tolist(), "label": labels.tolist(),
                                   "scores": class_scores(estimator, X, task.labels)[0]}
        contrast_report_ = contrast_report(task, contrast.to_dict("records"), dict(zip(contrast["id"], labels)))
    data = {**config["data"], "train_on": params["train_on"], "train_on_config": config["data"]["train_on"]}
    return Result(task=task, model_name=model_name or model_name_of(config["model"]), data=data,
                  seed=int(config["seed"]), estimator=estimator, params=params, selection=selection,
                  frames=frames, predictions=predictions, reports=reports, scores_from=scores_from,
                  dataset_digest=dataset_digest, contrast=contrast_report_)


def contrast_rows(path):
    """The contrast sets of the built dataset at ``path`` as a DataFrame, or None when it has none."""
    from benchmark.data import read_split
    from benchmark.data.manifest import read_manifest

    if "contrast" not in read_manifest(path).get("counts", {}):
        return None
    return read_split("contrast", "test", path)


def gold_of(frame) -> dict[str, dict]:
    """The scorer's gold mapping (``id -> label, lang, source``) of a split frame, with statement labels."""
    return {row.id: {"label": LABELS[row.label], "lang": row.lang, "source": row.source}
            for row in frame.itertuples(index=False)}


def prediction_rows(result: Result, split: str) -> list[dict]:
    """The predictions file rows of ``split``: a ``_meta`` row, then ``{"id", "label", "scores"}`` per statement."""
    meta = {"dataset_digest": result.dataset_digest, "task": result.task.name, "split": split,
            "data": result.data["config"], "model": result.model_name, "seed": result.seed,
            "scores": result.scores_from}
    block = result.predictions[split]
    rows = [{"_meta": meta}]
    for index, (statement_id, label) in enumerate(zip(block["id"], block["label"])):
        row = {"id": statement_id, "label": label}
        if block["scores"] is not None:
            row["scores"] = dict(zip(result.task.labels, block["scores"][index].tolist()))
        rows.append(row)
    return rows


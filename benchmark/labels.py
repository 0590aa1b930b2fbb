"""The label set and the tasks of PERCÉE: the one definition every other module imports.

See ``datasets/LABELS.md`` for what each label means.
"""
from __future__ import annotations

from dataclasses import dataclass

EXPECTS_BREAKTHROUGH = "expects_breakthrough"
EXPECTS_NONE = "expects_none"
NO_CLAIM = "no_claim"

#: The three statement labels, in ClassLabel order (index = class id).
LABELS: tuple[str, ...] = (EXPECTS_BREAKTHROUGH, EXPECTS_NONE, NO_CLAIM)

#: Labels that are claims (an expectation about an event's outcome).
CLAIM_LABELS: tuple[str, ...] = (EXPECTS_BREAKTHROUGH, EXPECTS_NONE)

CLAIM = "claim"


@dataclass(frozen=True)
class Task:
    """A classification task derived from the statement labels.

    Parameters
    ----------
    name: the task's name (``claim``, ``stance``, ``claim_stance``).
    labels: the task's label names, in order.
    positive: labels whose F1 scores are averaged into the headline metric.
    headline: the headline metric's name.
    """

    name: str
    labels: tuple[str, ...]
    positive: tuple[str, ...]
    headline: str
    description: str

    def target(self, statement_label: str) -> str | None:
        """Map a statement label to this task's label, or None when the statement is not in the task."""
        if self.name == "claim":
            return CLAIM if statement_label in CLAIM_LABELS else NO_CLAIM
        if self.name == "stance":
            return statement_label if statement_label in CLAIM_LABELS else None
        return statement_label


TASKS: dict[str, Task] = {
    "claim": Task(
        name="claim",
        labels=(CLAIM, NO_CLAIM),
        positive=(CLAIM,),
        headline="f1_claim",
        description="claim (expects_breakthrough or expects_none) vs no_claim, on all statements",
    ),
    "stance": Task(
        name="stance",
        labels=CLAIM_LABELS,
        positive=CLAIM_LABELS,
        headline="macro_f1",
        description="expects_breakthrough vs expects_none, on claims only",
    ),
    "claim_stance": Task(
        name="claim_stance",
        labels=LABELS,
        positive=CLAIM_LABELS,
        headline="f_avg",
        description="the three labels on all statements; F_avg = mean F1 of the two claim labels",
    ),
}


def get_task(name: str) -> Task:
    """Return the task called ``name`` or raise ``KeyError`` listing the known tasks."""
    try:
        return TASKS[name]
    except KeyError:
        raise KeyError(f"unknown task {name!r}; known tasks: {', '.join(TASKS)}") from None

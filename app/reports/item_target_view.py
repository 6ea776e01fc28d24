"""Item targets in the report and the console results: how far the questions given a target
answer still are from it, per dimension and overall, as short texts from scoring's unrounded
figures (scoring/item_targets.py). Empty where no question has a target."""

from __future__ import annotations

from app.reports.formatting import DASH
from scoring import AssessmentResult, ItemTargetProgress

__all__ = ["item_target_cell", "item_target_sentence"]


def _progress(result: AssessmentResult, subject: str) -> ItemTargetProgress | None:
    figures = result.item_targets
    if figures is None:
        return None
    found = (*figures.dimensions, figures.overall)
    return next((p for p in found if p.subject == subject), None)


def _percent(value: float | None) -> str:
    return DASH if value is None else f"{value:.0f}%"


def item_target_cell(result: AssessmentResult, subject: str) -> str:
    """A score table's cell: percent to target over the subject's questions with a target;
    empty when it has none (and then for every row when no question has one)."""
    progress = _progress(result, subject)
    if progress is None:
        return "" if result.item_targets is None else DASH
    return f"{_percent(progress.percent_to_target)} of {_questions(progress.item_count)}"


def item_target_sentence(result: AssessmentResult, subject: str) -> str:
    """The subject's percent to target, how it is measured and, with a baseline round, the
    progress since it; empty when no question of the subject has a target."""
    progress = _progress(result, subject)
    figures = result.item_targets
    if progress is None or figures is None:
        return ""
    start = (
        "every question at its lowest answer"
        if figures.reference == "zero"
        else ("the previous assessment's answers")
    )
    if progress.percent_to_target is None:
        sentence = (
            f"Targets by question ({_questions(progress.item_count)}): the starting point, "
            f"{start}, already met them, so there is no way to measure; the remaining gap is "
            f"{progress.gap:.2f}."
        )
    else:
        sentence = (
            f"Targets by question: {_percent(progress.percent_to_target)} of the way there "
            f"across {_questions(progress.item_count)}, measured from {start} (remaining gap "
            f"{progress.gap:.2f} of {progress.reference_gap:.2f}, each question scored 0–1)."
        )
    if progress.progress_to_date is not None:
        sentence += (
            f" Since the previous assessment: {progress.progress_to_date * 100:.0f}% of its "
            "distance to the targets covered."
        )
    return sentence


def _questions(count: int) -> str:
    return f"{count} question" + ("" if count == 1 else "s")

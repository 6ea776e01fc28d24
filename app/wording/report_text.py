"""Sentences of the HTML/PDF report about how firm the team's reading is: the overall score's
interval and contested dimensions, the quadrant while dimensions are contested, each dimension's
interval, and breakdowns that cannot be shown.

One whole template per sentence, with named placeholders, as in the rest of app/wording/.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.wording.agreement import interval_text
from app.wording.lists import joined
from scoring import AttributeBreakdown, ScoreInterval

__all__ = [
    "alignment_heading",
    "breakdown_not_shown",
    "contested_marker_note",
    "overall_contested_text",
    "quadrant_contested_text",
    "score_interval_text",
]

_SCORE_INTERVAL = "Overall score {score}, {interval}."
_DIMENSION_INTERVAL = "Team score {score}, {interval}."
_BORDERLINE = "The interval crosses a stage boundary, so this stage is borderline."
_OVERALL_CONTESTED_ONE = (
    "The overall stage rests on a contested dimension, {dimensions}: it averages readings "
    "that differ."
)
_OVERALL_CONTESTED_MANY = (
    "The overall stage rests on contested dimensions, {dimensions}: it averages readings "
    "that differ."
)
_QUADRANT_CONTESTED = (
    "This placement averages readings that differ on {dimensions}, so it may match no one's "
    "view of the team."
)
_CONTESTED_MARKER = "{dimension}: {reading}. The marker shows the team's average."
_HEADING_SPLIT = "Where the leadership team disagrees"
_HEADING_AGREED = "How far the leadership team agrees"
_NOT_SHOWN_COMPARISON = (
    "Not shown: beside the team's figures, any group shown would let a group of fewer than "
    "{k} people be worked out."
)
_NOT_SHOWN_SMALL = "Not shown: every group has fewer than {k} people."
_NOT_SHOWN_UNSTATED = "Not shown: no respondent said which group they belong to."


def score_interval_text(
    score: Decimal | None,
    interval: ScoreInterval | None,
    *,
    borderline: bool | None,
    overall: bool,
) -> str:
    """The score with its 95 % interval, or why there is none; then whether it is borderline."""
    template = _SCORE_INTERVAL if overall else _DIMENSION_INTERVAL
    text = template.format(score="–" if score is None else score, interval=interval_text(interval))
    return f"{text} {_BORDERLINE}" if borderline else text


def overall_contested_text(titles: Sequence[str]) -> str:
    """Empty when no dimension is contested."""
    if not titles:
        return ""
    template = _OVERALL_CONTESTED_ONE if len(titles) == 1 else _OVERALL_CONTESTED_MANY
    return template.format(dimensions=joined(titles))


def quadrant_contested_text(titles: Sequence[str]) -> str:
    """Said in place of the quadrant's description while any dimension is contested."""
    return _QUADRANT_CONTESTED.format(dimensions=joined(titles))


def contested_marker_note(title: str, reading: str) -> str:
    """Beside the stage ladder: a contested dimension's reading (app.wording.stage_reading)."""
    return _CONTESTED_MARKER.format(dimension=title, reading=reading)


def alignment_heading(any_contested: bool) -> str:
    return _HEADING_SPLIT if any_contested else _HEADING_AGREED


def breakdown_not_shown(breakdown: AttributeBreakdown, k: int) -> str:
    """Why a breakdown shows no group at all; empty when it shows some."""
    if breakdown.groups:
        return ""
    if breakdown.withheld_values:
        return _NOT_SHOWN_COMPARISON.format(k=k)
    if breakdown.pooled_values:
        return _NOT_SHOWN_SMALL.format(k=k)
    return _NOT_SHOWN_UNSTATED

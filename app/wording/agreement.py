"""Agreement labels, contested stages, intervals and breakdown notes in words."""

from __future__ import annotations

from scoring import (
    AgreementLevel,
    AttributeBreakdown,
    DimensionStats,
    Package,
    ScoreInterval,
    StagePlacement,
)

__all__ = [
    "AGREEMENT_LABELS",
    "agreement_label",
    "breakdown_note",
    "interval_text",
    "stage_reading",
]

AGREEMENT_LABELS: dict[AgreementLevel, str] = {
    "very_strong": "very strong agreement",
    "strong": "strong agreement",
    "moderate": "moderate agreement",
    "weak": "weak agreement",
    "none": "no real agreement",
}
_TOO_FEW = "too few answers to judge agreement"

_CONTESTED = "{stage}, contested: answers span {low} to {high}"
_INTERVAL = "{low}–{high} (95 % interval, {n} respondents)"
_NO_INTERVAL = "no interval: one respondent gives no measure of spread"
_POOLED = "Groups of fewer than {k} respondents are not shown on their own."
_WITHHELD = (
    "Some groups are withheld so that no group of fewer than {k} people can be worked out "
    "by comparing the figures shown."
)


def agreement_label(level: AgreementLevel | None) -> str:
    return _TOO_FEW if level is None else AGREEMENT_LABELS[level]


def stage_reading(
    package: Package, placement: StagePlacement | None, stats: DimensionStats | None
) -> str:
    """The stage's name, or, for a contested dimension, the name with the stages it spans."""
    if placement is None or placement.stage_index is None:
        return "–"
    names = package.stage_names
    stage = names[placement.stage_index]
    if stats is None or not stats.contested or stats.stage_span is None:
        return stage
    low, high = stats.stage_span
    return _CONTESTED.format(stage=stage, low=names[low], high=names[high])


def interval_text(interval: ScoreInterval | None) -> str:
    if interval is None:
        return _NO_INTERVAL
    return _INTERVAL.format(low=interval.low, high=interval.high, n=interval.n)


def breakdown_note(breakdown: AttributeBreakdown, k: int) -> str:
    notes = []
    if breakdown.pooled_values:
        notes.append(_POOLED.format(k=k))
    if breakdown.withheld_values:
        notes.append(_WITHHELD.format(k=k))
    return " ".join(notes)

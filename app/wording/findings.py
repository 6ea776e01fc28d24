"""The summary's findings in sentences: one whole template per finding code."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from app.wording.agreement import AGREEMENT_LABELS
from scoring import Finding, Package, TeamAggregate

__all__ = ["finding_sentence", "summary_sentences"]

_TEMPLATES = {
    "split_one": (
        "The team is split on {dimension}: individual answers span {low} to {high}, so its "
        "stage is contested and the average hides two readings."
    ),
    "split_many": (
        "The team is split on {dimensions}: individual answers span {spans}, so these stages "
        "are contested and their averages hide different readings."
    ),
    "group_gap": (
        "{high_group} (n = {high_n}) score {dimension} at {high_score}, {gap} points above "
        "{low_group} (n = {low_n}) at {low_score}."
    ),
    "provisional": (
        "Only {completeness} of the questions were answered, so this reading is provisional."
    ),
    "weakest": "{dimension} is the weakest dimension, at {score} ({stage}).",
    "strongest": "{dimension} is the strongest dimension, at {score} ({stage}).",
    "borderline": (
        "The overall score of {score} could lie anywhere from {low} to {high} (95 % interval "
        "over {n} respondents), which crosses a stage boundary: the overall stage is borderline."
    ),
    "interval": (
        "The overall score of {score} has a 95 % interval of {low}–{high} over {n} respondents, "
        "within one stage."
    ),
    "no_interval": (
        "With one respondent there is no interval around the score: it is one person's reading."
    ),
    "agreement_broad": (
        "The team reads every dimension alike: agreement is {level} or better on each, lowest "
        "on {dimension}."
    ),
    "agreement_narrow": (
        "On {dimension} the answers show {label}, although every respondent's score falls within "
        "one stage."
    ),
}
_SPAN = "{low} to {high} on {dimension}"


def _joined(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _title(package: Package, dimension_id: str) -> str:
    return package.dimension(dimension_id).title


def _points(value: object) -> str:
    return str(value) if isinstance(value, Decimal) else f"{value}"


def finding_sentence(package: Package, finding: Finding) -> str:
    """One finding in one sentence."""
    names = package.stage_names
    figures = finding.figures
    code = finding.code
    if code == "split":
        spans = figures["spans"]
        assert isinstance(spans, tuple)
        if len(spans) == 1:
            dimension_id, low, high = spans[0]
            return _TEMPLATES["split_one"].format(
                dimension=_title(package, dimension_id), low=names[low], high=names[high]
            )
        return _TEMPLATES["split_many"].format(
            dimensions=_joined([_title(package, d) for d, _, _ in spans]),
            spans=_joined(
                [
                    _SPAN.format(low=names[lo], high=names[hi], dimension=_title(package, d))
                    for d, lo, hi in spans
                ]
            ),
        )
    if code == "group_gap":
        return _TEMPLATES["group_gap"].format(
            dimension=_title(package, finding.dimension_ids[0]),
            **{key: _points(value) for key, value in figures.items()},
        )
    if code == "provisional":
        share = figures["completeness"]
        assert isinstance(share, float)
        return _TEMPLATES["provisional"].format(completeness=f"{share * 100:.0f}%")
    if code in ("weakest", "strongest"):
        stage = figures["stage_index"]
        return _TEMPLATES[code].format(
            dimension=_title(package, finding.dimension_ids[0]),
            score=_points(figures["score"]),
            stage="no stage" if not isinstance(stage, int) else names[stage],
        )
    if code == "agreement":
        level = figures["level"]
        assert isinstance(level, str)
        template = "agreement_broad" if level not in ("weak", "none") else "agreement_narrow"
        label = AGREEMENT_LABELS[level]  # type: ignore[index]
        return _TEMPLATES[template].format(
            level=label.removesuffix(" agreement"),
            label=label,
            dimension=_title(package, finding.dimension_ids[0]),
        )
    return _TEMPLATES[code].format(**{key: _points(value) for key, value in figures.items()})


def summary_sentences(package: Package, team: TeamAggregate) -> tuple[str, ...]:
    """The summary's findings, most important first (the order is the engine's)."""
    return tuple(finding_sentence(package, finding) for finding in team.findings)

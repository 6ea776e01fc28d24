"""The executive summary: the findings, the overall score's interval, strengths and risks with
their evidence, the quadrant, key figures."""

from __future__ import annotations

from collections.abc import Sequence

from app.reports.formatting import percent_text, score_text, unit_text
from app.reports.item_view import answer_text, distribution_segments
from app.reports.palette import Palette
from app.reports.quadrant_chart import QuadrantLabels, quadrant_plot
from app.reports.view_model import HighlightView, QuadrantView, ReportVariant, StageView
from app.wording import finding_sentence, quadrant_explanation, stage_reading
from app.wording.report_text import (
    contested_marker_note,
    overall_contested_text,
    quadrant_contested_text,
    score_interval_text,
)
from scoring import AssessmentResult, DimensionScore, ItemKind, Package, iter_dimensions

__all__ = [
    "HIGHLIGHTS_SHOWN",
    "contested_notes",
    "contested_titles",
    "highlights",
    "key_figures",
    "overall_texts",
    "quadrant_view",
    "summary_findings",
]

HIGHLIGHTS_SHOWN = 3


def _item_values(
    package: Package, result: AssessmentResult, dimension_id: str, variant: ReportVariant
) -> list[tuple[float, str]]:
    """(value, item id) of every scored item of a dimension that has a value."""
    values = []
    for dimension in iter_dimensions((package.dimension(dimension_id),)):
        for item in dimension.items:
            if item.kind is ItemKind.TEXT:
                continue
            if variant == "individual":
                value = result.respondents[0].answers[item.id].value
            else:
                value = result.team.item_stats[item.id].mean
            if value is not None:
                values.append((value, item.id))
    return values


def _evidence(
    package: Package, result: AssessmentResult, item_id: str, variant: ReportVariant, value: float
) -> str:
    item = package.items[item_id]
    if variant == "individual":
        answer = result.respondents[0].answers[item_id]
        return f"Your answer: {answer_text(item, answer, short=True)} (item score {unit_text(package, value)})."
    stats = result.team.item_stats[item_id]
    segments = [
        s
        for s in distribution_segments(package, item, stats.distribution, "#000000")
        if s.label not in ("Not applicable", "Don't know")
    ]
    common = max(segments, key=lambda s: s.count) if segments else None
    if common is None or not common.count:
        return f"Item score {unit_text(package, value)}."
    answered = sum(s.count for s in segments)
    return (
        f"Most common answer: {common.label} ({common.count} of {answered}); "
        f"item score {unit_text(package, value)}."
    )


def _pick(
    package: Package,
    result: AssessmentResult,
    ranked: Sequence[DimensionScore],
    variant: ReportVariant,
    *,
    best: bool,
) -> tuple[HighlightView, ...]:
    """Items taken in turn from each dimension (the best items of the strongest dimensions,
    or the weakest of the weakest), so that three highlights span as many dimensions as
    the questionnaire allows."""
    stats = result.team.dimension_stats
    sign = -1.0 if best else 1.0
    queues = [
        (
            dimension,
            sorted(
                _item_values(package, result, dimension.dimension_id, variant),
                key=lambda pair: sign * pair[0],  # stable: ties keep questionnaire order
            ),
        )
        for dimension in ranked
    ]
    picked: list[HighlightView] = []
    depth = 0
    while len(picked) < HIGHLIGHTS_SHOWN and any(depth < len(v) for _, v in queues):
        for dimension, values in queues:
            if depth < len(values) and len(picked) < HIGHLIGHTS_SHOWN:
                value, item_id = values[depth]
                dimension_stats = stats[dimension.dimension_id] if variant == "team" else None
                reading = stage_reading(package, dimension.stage, dimension_stats)
                picked.append(
                    HighlightView(
                        dimension_title=dimension.title,
                        stage_name="" if reading == "–" else reading,
                        contested=dimension_stats is not None and dimension_stats.contested,
                        score_text=score_text(dimension.score),
                        headline=package.items[item_id].prompt,
                        evidence=_evidence(package, result, item_id, variant, value),
                    )
                )
        depth += 1
    return tuple(picked)


def highlights(
    package: Package,
    result: AssessmentResult,
    variant: ReportVariant,
) -> tuple[tuple[HighlightView, ...], tuple[HighlightView, ...]]:
    """Strengths from the better half of the dimensions, risks from the weaker half."""
    order = {d.id: i for i, d in enumerate(package.questionnaire.dimensions)}
    scored = [d for d in result.team.dimensions if d.percent is not None]
    ranked = sorted(scored, key=lambda d: (-(d.percent or 0.0), order[d.dimension_id]))
    weakest = list(reversed(ranked))[: min(HIGHLIGHTS_SHOWN, max(1, len(ranked) // 2))]
    # With few dimensions the strengths may also draw on the middle ones, never the weakest.
    strongest = [d for d in ranked if d not in weakest][:HIGHLIGHTS_SHOWN] or ranked[:1]
    return (
        _pick(package, result, strongest, variant, best=True),
        _pick(package, result, weakest, variant, best=False),
    )


def quadrant_view(
    package: Package, result: AssessmentResult, palette: Palette, variant: ReportVariant
) -> QuadrantView | None:
    placement = result.team.quadrant
    quadrants = package.stage_model.quadrants
    if placement is None or quadrants is None:
        return None
    others = []
    if variant == "team" and len(result.respondents) >= max(result.anonymity_k, 2):
        others = [
            (r.quadrant.operations_percent, r.quadrant.execution_percent)
            for r in result.respondents
            if r.quadrant is not None
        ]
    labels = QuadrantLabels(
        low_low=quadrants.operations_low_execution_low.name,
        high_low=quadrants.operations_high_execution_low.name,
        low_high=quadrants.operations_low_execution_high.name,
        high_high=quadrants.operations_high_execution_high.name,
    )
    chart = quadrant_plot(
        labels,
        midpoint=float(quadrants.midpoint),
        team=(placement.operations_percent, placement.execution_percent),
        others=others,
        colour=palette.primary,
        tint=palette.faint,
        team_label="Team" if variant == "team" else "You",
        title=f"Operations against execution: {placement.name}",
    )
    contested = contested_titles(package, result) if variant == "team" else ()
    # The stage model's description reads the averaged position as the team's own ("an aligned
    # leadership team…"); while the team is split that would say what no one answered.
    description = quadrant_contested_text(contested) if contested else placement.description
    return QuadrantView(placement.name, description, quadrant_explanation(placement), chart)


def contested_titles(package: Package, result: AssessmentResult) -> tuple[str, ...]:
    """The contested dimensions' titles, in questionnaire order."""
    return tuple(package.dimension(d).title for d in result.team.overall_stats.contested_dimensions)


def summary_findings(
    package: Package, result: AssessmentResult, *, provisional_shown: bool
) -> tuple[str, ...]:
    """The findings in the engine's order (app.wording.summary_sentences), less the provisional
    one when the summary already carries the provisional note with its threshold."""
    return tuple(
        finding_sentence(package, finding)
        for finding in result.team.findings
        if not (provisional_shown and finding.code == "provisional")
    )


def overall_texts(
    package: Package, result: AssessmentResult, variant: ReportVariant
) -> tuple[str, str]:
    """The overall score with its interval (or why there is none), and the contested
    dimensions the overall stage rests on ("" when none is)."""
    team = result.team
    stats = team.overall_stats
    if stats.n == 0:
        interval = ""
    else:
        # Whether the stage is borderline is a finding, and a mark on the stage's key figure.
        interval = score_interval_text(
            team.overall.score, stats.interval, borderline=False, overall=True
        )
    contested = contested_titles(package, result) if variant == "team" else ()
    return interval, overall_contested_text(contested)


def contested_notes(package: Package, result: AssessmentResult) -> tuple[str, ...]:
    """One line per contested dimension, to stand beside the stage ladder."""
    team = result.team
    notes = []
    for dimension in team.dimensions:
        stats = team.dimension_stats[dimension.dimension_id]
        if stats.contested:
            reading = stage_reading(package, dimension.stage, stats)
            notes.append(contested_marker_note(dimension.title, reading))
    return tuple(notes)


def key_figures(
    package: Package,
    result: AssessmentResult,
    overall_stage: StageView | None,
    stage_count: int,
    variant: ReportVariant,
) -> tuple[tuple[str, str], ...]:
    model = package.stage_model
    scale = "points" if package.rollups.in_points else f"out of {model.scale.max}"
    figures = [
        (score_text(result.team.overall.score), f"Overall score, {scale}"),
        (
            "–" if overall_stage is None else f"{overall_stage.number} of {stage_count}",
            "Stage"
            if overall_stage is None
            else f"Stage: {overall_stage.name}"
            + (", borderline" if result.team.overall_stats.borderline else ""),
        ),
    ]
    if variant == "team":
        figures.append((str(len(result.respondents)), "Respondents"))
    figures.append((percent_text(result.team.completeness), "Questions answered"))
    return tuple(figures)

"""The executive summary: strengths and risks with their evidence, the quadrant, key figures."""

from __future__ import annotations

from collections.abc import Sequence

from app.reports.charts import QuadrantLabels, quadrant_plot
from app.reports.formatting import percent_text, score_text, unit_text
from app.reports.item_view import answer_text, distribution_segments
from app.reports.palette import Palette
from app.reports.view_model import HighlightView, QuadrantView, ReportVariant, StageView
from scoring import AssessmentResult, DimensionScore, ItemKind, Package, iter_dimensions

__all__ = ["HIGHLIGHTS_SHOWN", "highlights", "key_figures", "quadrant_view"]

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
        return (
            f"Your answer: {answer_text(item, answer, short=True)} (item score {unit_text(value)})."
        )
    stats = result.team.item_stats[item_id]
    segments = [
        s
        for s in distribution_segments(package, item, stats.distribution, "#000000")
        if s.label not in ("Not applicable", "Don't know")
    ]
    common = max(segments, key=lambda s: s.count) if segments else None
    if common is None or not common.count:
        return f"Item score {unit_text(value)}."
    answered = sum(s.count for s in segments)
    return (
        f"Most common answer: {common.label} ({common.count} of {answered}); "
        f"item score {unit_text(value)}."
    )


def _pick(
    package: Package,
    result: AssessmentResult,
    ranked: Sequence[DimensionScore],
    stages: tuple[StageView, ...],
    variant: ReportVariant,
    *,
    best: bool,
) -> tuple[HighlightView, ...]:
    """Items taken in turn from each dimension (the best items of the strongest dimensions,
    or the weakest of the weakest), so that three highlights span as many dimensions as
    the questionnaire allows."""
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
                stage = (
                    stages[dimension.stage.stage_index]
                    if dimension.stage is not None and dimension.stage.stage_index is not None
                    else None
                )
                picked.append(
                    HighlightView(
                        dimension_title=dimension.title,
                        stage_name="" if stage is None else stage.name,
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
    stages: tuple[StageView, ...],
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
        _pick(package, result, strongest, stages, variant, best=True),
        _pick(package, result, weakest, stages, variant, best=False),
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
    return QuadrantView(placement.name, placement.description, placement.explanation, chart)


def key_figures(
    package: Package,
    result: AssessmentResult,
    overall_stage: StageView | None,
    stage_count: int,
    variant: ReportVariant,
) -> tuple[tuple[str, str], ...]:
    model = package.stage_model
    scale = "points" if model.rollup == "sum" else f"out of {model.scale.max}"
    figures = [
        (score_text(result.team.overall.score), f"Overall score, {scale}"),
        (
            "–" if overall_stage is None else f"{overall_stage.number} of {stage_count}",
            "Stage" if overall_stage is None else f"Stage: {overall_stage.name}",
        ),
    ]
    if variant == "team":
        figures.append((str(len(result.respondents)), "Respondents"))
    figures.append((percent_text(result.team.completeness), "Questions answered"))
    return tuple(figures)

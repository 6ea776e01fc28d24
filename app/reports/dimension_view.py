"""One section per dimension: score, stage and what it means, targets, change and item results."""

from __future__ import annotations

from decimal import Decimal

from app.reports.formatting import DASH, mend_folded_hyphens, score_text, signed_text
from app.reports.item_target_view import item_target_sentence
from app.reports.item_view import individual_item_view, team_item_view
from app.reports.palette import stage_colours
from app.reports.view_model import DimensionView, ItemView, ReportVariant, StageView
from app.wording import agreement_label, placement_steps, stage_reading
from app.wording.report_text import score_interval_text
from scoring import (
    AssessmentResult,
    DimensionScore,
    ItemKind,
    Package,
    StagePlacement,
    iter_dimensions,
)
from scoring.rollup import display_range, percent_of_possible

__all__ = [
    "change_text",
    "dimension_view",
    "ladder_position",
    "reasoning_steps",
    "score_percent",
    "stage_description",
    "stage_view",
    "stage_views",
]


ITEMS_WITHOUT_A_PAGE = 2


def stage_views(package: Package, primary: str) -> tuple[StageView, ...]:
    stages = package.stage_model.stages
    colours = stage_colours(primary, len(stages))
    return tuple(
        StageView(
            number=index + 1,
            name=stage.name,
            summary=mend_folded_hyphens(stage.summary),
            headline=mend_folded_hyphens(first_sentence(stage.summary)),
            hallmarks=stage.hallmarks,
            feels_like=stage.feels_like,
            risk_of_staying=stage.risk_of_staying,
            colour=colours[index],
        )
        for index, stage in enumerate(stages)
    )


def stage_description(package: Package, dimension_id: str, stage_index: int) -> str:
    """What a stage looks like in a dimension: the stage model's text for that dimension, else
    the company-wide hallmarks, else the stage's summary."""
    stage = package.stage_model.stages[stage_index]
    own = package.stage_model.dimension_stages.get(dimension_id, {}).get(stage.id)
    if own is not None:
        return own
    return " ".join(stage.hallmarks) if stage.hallmarks else mend_folded_hyphens(stage.summary)


def first_sentence(text: str) -> str:
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


def reasoning_steps(package: Package, placement: StagePlacement) -> tuple[str, ...]:
    """The steps that placed a stage, without the closing "… stage: X." that the report
    already shows beside them."""
    steps = placement_steps(package, placement)
    return steps[:-1] if len(steps) > 1 else steps


def stage_view(stages: tuple[StageView, ...], placement: StagePlacement | None) -> StageView | None:
    if placement is None or placement.stage_index is None:
        return None
    return stages[placement.stage_index]


def _score_bounds(
    package: Package, thresholds: tuple[Decimal, ...], score: Decimal, percent: float | None
) -> tuple[Decimal, ...]:
    """Lower bounds of every stage, then the top of the scale."""
    floor, top = display_range(package, score, percent)
    if not thresholds:  # a model without stage bands: the scale alone
        return (floor, max(floor, score) if top is None else top)
    if top is None:
        top = thresholds[-1] * Decimal("1.25")
    return (floor, *thresholds, max(top, thresholds[-1]))


def ladder_position(
    package: Package,
    thresholds: tuple[Decimal, ...],
    score: Decimal | None,
    percent: float | None,
    placement: StagePlacement | None,
) -> float | None:
    """Where a score sits on a ladder of equal-width stage columns (0..stage count).

    A stage capped by a gate keeps its marker inside the stage it was placed in, at the edge
    nearest the stage its score alone would reach.
    """
    if score is None or placement is None or placement.stage_index is None:
        return None
    bounds = _score_bounds(package, thresholds, score, percent)
    by_threshold = sum(1 for threshold in thresholds if score >= threshold)
    low, high = bounds[by_threshold], bounds[by_threshold + 1]
    within = float((score - low) / (high - low)) if high > low else 1.0
    position = by_threshold + max(0.0, min(0.999, within))
    if placement.stage_index < by_threshold:
        position = placement.stage_index + 0.92
    return position


def score_percent(
    package: Package, dimension: DimensionScore, value: Decimal | None
) -> float | None:
    """A score on the display scale as a percentage of the possible score (for charts)."""
    if value is None:
        return None
    return percent_of_possible(package, value, dimension.score, dimension.percent)


def _target_text(package: Package, result: AssessmentResult, dimension_id: str) -> str:
    for gap in result.targets:
        if gap.subject == dimension_id:
            name = package.stage_model.stages[package.stage_index[gap.target_stage]].name
            if gap.met:
                return f"Target {name} (from {gap.target_score}): met."
            stages = "stage" if gap.stage_gap == 1 else "stages"
            return (
                f"Target {name} (from {gap.target_score}): {gap.stage_gap} {stages} to go, "
                f"{gap.percent_to_target:.0f}% of the way there."
            )
    return ""


def change_text(package: Package, result: AssessmentResult, subject: str) -> str:
    for change in result.progress:
        if change.subject == subject and change.baseline_score is not None:
            names = {stage.id: stage.name for stage in package.stage_model.stages}
            before = names.get(change.baseline_stage or "", DASH)
            after = names.get(change.current_stage or "", DASH)
            movement = f"{before} → {after}" if before != after else f"still {after}"
            stages = f"; {movement}" if package.places_stages else ""
            return (
                f"{signed_text(change.score_change)} since the previous assessment "
                f"({change.baseline_score} → {change.current_score}{stages})."
            )
    return ""


def _item_views(
    package: Package,
    result: AssessmentResult,
    dimension_id: str,
    variant: ReportVariant,
    primary: str,
) -> tuple[ItemView, ...]:
    views = []
    top = package.dimension(dimension_id)
    for dimension in iter_dimensions((top,)):
        for item in dimension.items:
            if item.kind is ItemKind.TEXT:
                if variant == "individual":
                    answer = result.respondents[0].answers[item.id]
                    if answer.status == "answered":
                        views.append(individual_item_view(package, item, answer))
                continue
            if variant == "individual":
                answer = result.respondents[0].answers[item.id]
                if answer.status != "hidden":
                    views.append(individual_item_view(package, item, answer))
            else:
                stats = result.team.item_stats[item.id]
                views.append(team_item_view(package, item, stats, len(result.respondents), primary))
    return tuple(views)


def dimension_view(
    package: Package,
    result: AssessmentResult,
    dimension: DimensionScore,
    *,
    number: int,
    stages: tuple[StageView, ...],
    variant: ReportVariant,
    primary: str,
) -> DimensionView:
    definition = package.dimension(dimension.dimension_id)
    stage = stage_view(stages, dimension.stage)
    next_stage = stages[stage.number] if stage is not None and stage.number < len(stages) else None
    stats = result.team.dimension_stats[dimension.dimension_id]
    team = variant == "team" and len(result.respondents) > 1
    item_count = sum(len(d.items) for d in iter_dimensions((definition,)))
    return DimensionView(
        number=number,
        has_page=item_count > ITEMS_WITHOUT_A_PAGE,
        title=dimension.title,
        description=definition.description,
        score_text=score_text(dimension.score),
        percent_text=DASH if dimension.percent is None else f"{dimension.percent:.0f}%",
        stage=stage,
        stage_text=stage_reading(package, dimension.stage, stats if team else None),
        contested=team and stats.contested,
        stage_reason=() if dimension.stage is None else reasoning_steps(package, dimension.stage),
        next_stage=next_stage,
        stage_description=(
            "" if stage is None else stage_description(package, definition.id, stage.number - 1)
        ),
        next_stage_description=(
            ""
            if next_stage is None
            else stage_description(package, definition.id, next_stage.number - 1)
        ),
        target_text=_target_text(package, result, dimension.dimension_id),
        change_text=change_text(package, result, dimension.dimension_id),
        agreement_text=(
            f"{agreement_label(stats.agreement_level)} (r*wg(J) {stats.agreement:.2f})"
            if team and stats.agreement is not None
            else ""
        ),
        spread_text=(
            f"Individual scores range from {stats.minimum} to {stats.maximum} (SD {stats.sd:.1f})."
            if team and stats.sd is not None
            else ""
        ),
        interval_text=(
            score_interval_text(
                dimension.score, stats.interval, borderline=stats.borderline, overall=False
            )
            if team and stats.n > 0
            else ""
        ),
        items=_item_views(package, result, dimension.dimension_id, variant, primary),
        item_target_text=item_target_sentence(result, dimension.dimension_id),
    )

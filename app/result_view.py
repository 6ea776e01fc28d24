"""Plain JSON-ready views of scoring results, shared by the CLI, the API and reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from app.wording import (
    breakdown_note,
    finding_sentence,
    interval_text,
    placement_steps,
    quadrant_explanation,
    recommendation_reason,
    stage_reading,
)
from scoring import (
    AssessmentResult,
    DimensionScore,
    Finding,
    ItemStats,
    ItemTargetProgress,
    ItemTargets,
    Package,
    RankedRecommendation,
    RespondentResult,
    ScoreInterval,
    StagePlacement,
)

__all__ = ["assessment_json", "number", "stage_json"]


def number(value: Decimal | float | None, digits: int = 3) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return round(value, digits)


def stage_json(
    package: Package, placement: StagePlacement | None, dimension_id: str | None = None
) -> dict[str, Any] | None:
    """A placement; its description is the dimension's own text for the stage when it has one."""
    if placement is None:
        return None
    model = package.stage_model
    stage = None if placement.stage_index is None else model.stages[placement.stage_index]
    return {
        "id": placement.stage_id,
        "name": None if stage is None else stage.name,
        "index": None if placement.stage_index is None else placement.stage_index + 1,
        "decided_by": placement.decided_by,
        "explanation": list(placement_steps(package, placement)),
        "description": (
            None
            if stage is None
            else model.stage_text(dimension_id, stage.id)
            if dimension_id
            else stage.summary
        ),
    }


def _dimension_json(package: Package, dimension: DimensionScore) -> dict[str, Any]:
    return {
        "id": dimension.dimension_id,
        "title": dimension.title,
        "score": number(dimension.score),
        "percent": number(dimension.percent, 1),
        "stage": stage_json(package, dimension.stage, dimension.dimension_id),
        "subdimensions": [_dimension_json(package, sub) for sub in dimension.subdimensions],
    }


def _item_stats_json(package: Package, stats: ItemStats) -> dict[str, Any]:
    return {
        "item_id": stats.item_id,
        "prompt": package.items[stats.item_id].prompt,
        "dimension_id": stats.dimension_id,
        "n": stats.n,
        "mean": number(stats.mean),
        "sd": number(stats.sd),
        "range": number(stats.range),
        "rwg": number(stats.rwg),
        "agreement_level": stats.agreement_level,
        "distribution": dict(stats.distribution),
    }


def _recommendation_json(package: Package, ranked: RankedRecommendation) -> dict[str, Any]:
    recommendation = ranked.recommendation
    return {
        "id": recommendation.id,
        "title": recommendation.title,
        "dimension_id": ranked.dimension_id,
        "priority": number(ranked.priority, 2),
        "reason": recommendation_reason(package, ranked),
        "rationale": recommendation.rationale,
        "steps": list(recommendation.steps),
        "owner_role": recommendation.owner_role,
        "horizon_days": recommendation.horizon,
        "effort": recommendation.effort,
        "impact": recommendation.impact,
        "depends_on": list(recommendation.depends_on),
        "trigger": recommendation.trigger is not None,
    }


def _respondent_json(package: Package, respondent: RespondentResult) -> dict[str, Any]:
    return {
        "id": respondent.respondent_id,
        "attributes": dict(respondent.attributes),
        "completeness": number(respondent.completeness),
        "provisional": respondent.provisional,
        "overall": {
            "score": number(respondent.overall.score),
            "stage": stage_json(package, respondent.overall.stage),
        },
        "dimensions": {d.dimension_id: number(d.score) for d in respondent.dimensions},
    }


def assessment_json(
    package: Package, result: AssessmentResult, *, include_respondents: bool = False
) -> dict[str, Any]:
    """The nested view of an assessment. Individual respondents appear only when asked for
    (offline use); breakdowns respect the anonymity threshold either way."""
    team = result.team
    quadrant = team.quadrant
    view: dict[str, Any] = {
        "questionnaire": {
            "id": result.questionnaire_id,
            "version": result.questionnaire_version,
            "content_hash": result.content_hash,
        },
        "respondent_count": len(result.respondents),
        "completeness": number(team.completeness),
        "provisional": team.provisional,
        "overall": {
            "score": number(team.overall.score),
            "percent": number(team.overall.percent, 1),
            "stage": stage_json(package, team.overall.stage),
            **_overall_reading_json(result),
        },
        "quadrant": None
        if quadrant is None
        else {
            "id": quadrant.quadrant_id,
            "name": quadrant.name,
            "description": quadrant.description,
            "operations_percent": number(quadrant.operations_percent, 1),
            "execution_percent": number(quadrant.execution_percent, 1),
            "explanation": quadrant_explanation(quadrant),
        },
        "dimensions": [
            {
                **_dimension_json(package, dimension),
                "spread": _spread_json(package, result, dimension),
            }
            for dimension in team.dimensions
        ],
        "findings": [_finding_json(package, f) for f in team.findings],
        "disputed_items": [_item_stats_json(package, s) for s in team.disputed_items],
        "breakdowns": [
            {
                "attribute_id": b.attribute_id,
                "label": b.label,
                "note": breakdown_note(b, result.anonymity_k),
                "groups": [
                    {
                        "value": g.value,
                        "label": g.label,
                        "n": g.n,
                        "overall": number(g.overall),
                        "dimensions": {k: number(v) for k, v in g.dimensions.items()},
                    }
                    for g in b.groups
                ],
            }
            for b in team.breakdowns
        ],
        "targets": [
            {
                "subject": g.subject,
                "current_stage": g.current_stage,
                "target_stage": g.target_stage,
                "stage_gap": g.stage_gap,
                "score": number(g.score),
                "target_score": number(g.target_score),
                "percent_to_target": g.percent_to_target,
                "met": g.met,
            }
            for g in result.targets
        ],
        "progress": [
            {
                "subject": p.subject,
                "baseline_score": number(p.baseline_score),
                "current_score": number(p.current_score),
                "score_change": number(p.score_change),
                "baseline_stage": p.baseline_stage,
                "current_stage": p.current_stage,
                "stage_change": p.stage_change,
            }
            for p in result.progress
        ],
        "item_targets": _item_targets_json(result.item_targets),
        "recommendations": [_recommendation_json(package, r) for r in result.recommendations],
        "roadmap": {str(h): [r.recommendation.id for r in rs] for h, rs in result.roadmap.items()},
        "anonymity_k": result.anonymity_k,
    }
    if include_respondents:
        view["respondents"] = [_respondent_json(package, r) for r in result.respondents]
    return view


def _item_target_progress_json(progress: ItemTargetProgress) -> dict[str, Any]:
    return {
        "subject": progress.subject,
        "item_count": progress.item_count,
        "gap": number(progress.gap, 6),
        "reference_gap": number(progress.reference_gap, 6),
        "percent_to_target": number(progress.percent_to_target, 4),
        "progress_to_date": number(progress.progress_to_date, 6),
    }


def _item_targets_json(figures: ItemTargets | None) -> dict[str, Any] | None:
    """Item targets, worked out unrounded in scoring; rounded here only to be shown."""
    if figures is None:
        return None
    return {
        "percent_to_target_from": figures.percent_to_target_from,
        "reference": figures.reference,
        "overall": _item_target_progress_json(figures.overall),
        "dimensions": [_item_target_progress_json(d) for d in figures.dimensions],
        "items": [
            {
                "item_id": item.item_id,
                "dimension_id": item.dimension_id,
                "target": item.target,
                "target_value": number(item.target_value, 6),
                "current_value": number(item.current_value, 6),
                "baseline_value": number(item.baseline_value, 6),
                "gap": number(item.gap, 6),
            }
            for item in figures.items
        ],
    }


def _interval_json(interval: ScoreInterval | None) -> dict[str, Any] | None:
    if interval is None:
        return None
    return {"low": number(interval.low), "high": number(interval.high), "n": interval.n}


def _stage_ref(package: Package, index: int | None) -> dict[str, Any] | None:
    if index is None:
        return None
    stage = package.stage_model.stages[index]
    return {"id": stage.id, "name": stage.name}


def _spread_json(
    package: Package, result: AssessmentResult, dimension: DimensionScore
) -> dict[str, Any]:
    """Spread, agreement and how firm the dimension's stage is. `rwg` is the deprecated name
    of `agreement` (r*wg(J)), kept for existing clients."""
    stats = result.team.dimension_stats[dimension.dimension_id]
    span = stats.stage_span
    return {
        "n": stats.n,
        "mean": number(stats.mean),
        "sd": number(stats.sd),
        "min": number(stats.minimum),
        "max": number(stats.maximum),
        "rwg": number(stats.agreement),
        "agreement": number(stats.agreement),
        "agreement_level": stats.agreement_level,
        "interval": _interval_json(stats.interval),
        "borderline": stats.borderline,
        "contested": stats.contested,
        "stage_span": None
        if span is None
        else {"low": _stage_ref(package, span[0]), "high": _stage_ref(package, span[1])},
        "reading": stage_reading(package, dimension.stage, stats),
    }


def _overall_reading_json(result: AssessmentResult) -> dict[str, Any]:
    overall = result.team.overall_stats
    return {
        "interval": _interval_json(overall.interval),
        "interval_note": interval_text(None) if overall.n == 1 else None,
        "borderline": overall.borderline,
        "contested_dimensions": list(overall.contested_dimensions),
    }


def _figure_json(value: object) -> Any:
    if isinstance(value, tuple):
        return [_figure_json(part) for part in value]
    if isinstance(value, Decimal | float):
        return number(value)
    return value


def _finding_json(package: Package, finding: Finding) -> dict[str, Any]:
    """A finding's code, subjects and sentence, with its figures as JSON: numbers as numbers,
    stages as {id, name}."""
    figures: dict[str, Any] = {}
    for key, value in finding.figures.items():
        if key == "spans" and isinstance(value, tuple):
            figures[key] = [
                {
                    "dimension_id": str(dimension_id),
                    "low": _stage_ref(package, int(low)),
                    "high": _stage_ref(package, int(high)),
                }
                for dimension_id, low, high in value
            ]
        elif key == "stage_index":
            figures["stage"] = _stage_ref(package, value if isinstance(value, int) else None)
        else:
            figures[key] = _figure_json(value)
    return {
        "code": finding.code,
        "dimension_ids": list(finding.dimension_ids),
        "text": finding_sentence(package, finding),
        "figures": figures,
    }

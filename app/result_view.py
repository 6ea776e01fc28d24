"""Plain JSON-ready views of scoring results, shared by the CLI, the API and reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from scoring import (
    AssessmentResult,
    DimensionScore,
    ItemStats,
    Package,
    RankedRecommendation,
    RespondentResult,
    StagePlacement,
)

__all__ = ["assessment_json", "number", "stage_json"]


def number(value: Decimal | float | None, digits: int = 3) -> float | None:
    if value is None:
        return None
    if isinstance(value, Decimal):
        return float(value)
    return round(value, digits)


def stage_json(package: Package, placement: StagePlacement | None) -> dict[str, Any] | None:
    if placement is None:
        return None
    stage = (
        None if placement.stage_index is None else package.stage_model.stages[placement.stage_index]
    )
    return {
        "id": placement.stage_id,
        "name": None if stage is None else stage.name,
        "index": None if placement.stage_index is None else placement.stage_index + 1,
        "decided_by": placement.decided_by,
        "explanation": list(placement.explanation),
    }


def _dimension_json(package: Package, dimension: DimensionScore) -> dict[str, Any]:
    return {
        "id": dimension.dimension_id,
        "title": dimension.title,
        "score": number(dimension.score),
        "percent": number(dimension.percent, 1),
        "stage": stage_json(package, dimension.stage),
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
        "distribution": dict(stats.distribution),
    }


def _recommendation_json(ranked: RankedRecommendation) -> dict[str, Any]:
    recommendation = ranked.recommendation
    return {
        "id": recommendation.id,
        "title": recommendation.title,
        "dimension_id": ranked.dimension_id,
        "priority": number(ranked.priority, 2),
        "reason": ranked.reason,
        "rationale": recommendation.rationale,
        "steps": list(recommendation.steps),
        "owner_role": recommendation.owner_role,
        "horizon_days": recommendation.horizon,
        "effort": recommendation.effort,
        "impact": recommendation.impact,
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
        },
        "quadrant": None
        if quadrant is None
        else {
            "id": quadrant.quadrant_id,
            "name": quadrant.name,
            "description": quadrant.description,
            "operations_percent": number(quadrant.operations_percent, 1),
            "execution_percent": number(quadrant.execution_percent, 1),
            "explanation": quadrant.explanation,
        },
        "dimensions": [
            {
                **_dimension_json(package, dimension),
                "spread": _spread_json(result, dimension.dimension_id),
            }
            for dimension in team.dimensions
        ],
        "disputed_items": [_item_stats_json(package, s) for s in team.disputed_items],
        "breakdowns": [
            {
                "attribute_id": b.attribute_id,
                "label": b.label,
                "note": b.note,
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
        "recommendations": [_recommendation_json(r) for r in result.recommendations],
        "roadmap": {str(h): [r.recommendation.id for r in rs] for h, rs in result.roadmap.items()},
        "anonymity_k": result.anonymity_k,
    }
    if include_respondents:
        view["respondents"] = [_respondent_json(package, r) for r in result.respondents]
    return view


def _spread_json(result: AssessmentResult, dimension_id: str) -> dict[str, Any]:
    stats = result.team.dimension_stats[dimension_id]
    return {
        "n": stats.n,
        "mean": number(stats.mean),
        "sd": number(stats.sd),
        "min": number(stats.minimum),
        "max": number(stats.maximum),
        "rwg": number(stats.rwg),
    }

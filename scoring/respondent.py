"""Scores one respondent: normalised items, dimension and overall scores and stages, completeness."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.answers import ItemAnswer
from scoring.package import Package
from scoring.results import DimensionScore, OverallScore, QuadrantPlacement

__all__ = ["RespondentResult", "score_respondent"]


@dataclass(frozen=True, slots=True)
class RespondentResult:
    respondent_id: str | None
    attributes: Mapping[str, str]
    answers: Mapping[str, ItemAnswer]
    dimension_raws: Mapping[str, float | None]
    dimensions: tuple[DimensionScore, ...]
    overall: OverallScore
    quadrant: QuadrantPlacement | None
    completeness: float
    provisional: bool


def score_respondent(
    package: Package,
    answers: Mapping[str, object],
    *,
    respondent_id: str | None = None,
    attributes: Mapping[str, str] | None = None,
) -> RespondentResult:
    """Score one respondent's answers (keyed by item id). Raises `AnswerError` on a bad answer.

    Completeness is the share of shown, required items that got an answer (N/A and
    "don't know" count as answers); below the stage model's `min_completeness` the result
    is provisional.
    """
    plan = package.plan  # the package's rules compiled for this (scoring/_plan.py)
    normalised, share = plan.normalise(answers, respondent_id)
    item_values = plan.item_values(normalised)
    raws = plan.rollups.raws(item_values)
    summary = plan.summarise(item_values, raws)
    return RespondentResult(
        respondent_id=respondent_id,
        attributes=dict(attributes or {}),
        answers=normalised,
        dimension_raws=dict(zip(plan.rollups.dimension_ids, raws, strict=True)),
        dimensions=summary.dimensions,
        overall=summary.overall,
        quadrant=summary.quadrant,
        completeness=share,
        provisional=share < package.stage_model.min_completeness,
    )

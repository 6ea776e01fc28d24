"""Scores and stages of dimensions and the whole organisation, from item values or team means.

One function serves a single respondent and a team alike, so both are placed by the same rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from scoring.package import Package
from scoring.questionnaire import Dimension
from scoring.rollup import overall_raw, to_display, to_percent
from scoring.stages import StagePlacement, place_dimension_stage, place_overall_stage

__all__ = [
    "DimensionScore",
    "OverallScore",
    "QuadrantPlacement",
    "ScoreSummary",
    "summarise_scores",
]


class DimensionScore(NamedTuple):
    dimension_id: str
    title: str
    raw: float | None
    score: Decimal | None
    percent: float | None
    stage: StagePlacement | None  # top-level dimensions only
    subdimensions: tuple[DimensionScore, ...] = ()


class OverallScore(NamedTuple):
    raw: float | None
    score: Decimal | None
    percent: float | None
    stage: StagePlacement


@dataclass(frozen=True, slots=True)
class QuadrantPlacement:
    quadrant_id: str
    name: str
    description: str
    operations_percent: float
    execution_percent: float
    midpoint: float  # an axis counts as high from this percent


@dataclass(frozen=True, slots=True)
class ScoreSummary:
    dimensions: tuple[DimensionScore, ...]
    overall: OverallScore
    quadrant: QuadrantPlacement | None


def summarise_scores(
    package: Package,
    item_values: Mapping[str, float | None],
    dimension_raws: Mapping[str, float | None],
) -> ScoreSummary:
    """Place every dimension and the organisation, given raw scores of every (sub-)dimension."""
    dimensions = tuple(
        _dimension_score(package, dimension, item_values, dimension_raws, top=True)
        for dimension in package.questionnaire.dimensions
    )
    raw = overall_raw(package, {d.dimension_id: d.raw for d in dimensions})
    score = None if raw is None else to_display(package, raw)
    stages = [(d.dimension_id, d.stage) for d in dimensions if d.stage is not None]
    overall = OverallScore(
        raw=raw,
        score=score,
        percent=None if raw is None else to_percent(package, None, raw),
        stage=place_overall_stage(package, score, item_values, stages),
    )
    return ScoreSummary(dimensions, overall, _quadrant(package, dimensions))


def _dimension_score(
    package: Package,
    dimension: Dimension,
    item_values: Mapping[str, float | None],
    dimension_raws: Mapping[str, float | None],
    *,
    top: bool,
) -> DimensionScore:
    raw = dimension_raws.get(dimension.id)
    score = None if raw is None else to_display(package, raw)
    return DimensionScore(
        dimension_id=dimension.id,
        title=dimension.title,
        raw=raw,
        score=score,
        percent=None if raw is None else to_percent(package, dimension, raw),
        stage=place_dimension_stage(package, dimension.id, score, item_values) if top else None,
        subdimensions=tuple(
            _dimension_score(package, sub, item_values, dimension_raws, top=False)
            for sub in dimension.dimensions
        ),
    )


def _quadrant(package: Package, dimensions: tuple[DimensionScore, ...]) -> QuadrantPlacement | None:
    quadrants = package.stage_model.quadrants
    if quadrants is None:
        return None
    axes: dict[str, list[tuple[float, float]]] = {"operations": [], "execution": []}
    for definition, result in zip(package.questionnaire.dimensions, dimensions, strict=True):
        if definition.axis is not None and result.percent is not None:
            axes[definition.axis].append((definition.weight, result.percent))
    if not axes["operations"] or not axes["execution"]:
        return None
    operations, execution = (
        sum(w * p for w, p in parts) / sum(w for w, _ in parts) for parts in axes.values()
    )
    midpoint = float(quadrants.midpoint)
    ops_level = "high" if round(operations, 9) >= midpoint else "low"
    exec_level = "high" if round(execution, 9) >= midpoint else "low"
    quadrant_id = f"operations_{ops_level}_execution_{exec_level}"
    quadrant = getattr(quadrants, quadrant_id)
    return QuadrantPlacement(
        quadrant_id, quadrant.name, quadrant.description, operations, execution, midpoint
    )

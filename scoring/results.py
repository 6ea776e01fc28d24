"""Scores and stages of dimensions and the whole organisation, from item values or team means.

`ScoringPlan.summarise` (scoring/_plan.py) builds them, for a single respondent and a team
alike, so both are placed by the same rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

from scoring.stages import StagePlacement

__all__ = [
    "DimensionScore",
    "OverallScore",
    "QuadrantPlacement",
    "ScoreSummary",
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

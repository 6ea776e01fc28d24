"""The stage model format: stages, thresholds, roll-up, gates, N/A policy, rounding, quadrants."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scoring._base import HASHED_WHEN_SET, DefinitionModel, Fraction01, Id, Version

__all__ = [
    "QUADRANT_IDS",
    "MissingAnswerRule",
    "MissingAnswers",
    "NAPolicy",
    "Quadrant",
    "Quadrants",
    "RequiredItem",
    "RequiresItemsGate",
    "Rollup",
    "Rounding",
    "Scale",
    "Stage",
    "StageModel",
    "Thresholds",
    "WeakestLinkGate",
]

Rollup = Literal["weighted_mean", "sum", "mean_of_means", "mean", "max", "min"]
StageThresholds = dict[str, Decimal]

QUADRANT_IDS = (
    "operations_low_execution_low",
    "operations_high_execution_low",
    "operations_low_execution_high",
    "operations_high_execution_high",
)


class Stage(DefinitionModel):
    id: Id
    name: str = Field(min_length=1)
    summary: str = Field(min_length=1, description="One paragraph: what this stage is.")
    hallmarks: tuple[str, ...] = ()
    feels_like: str = ""
    risk_of_staying: str = ""


class Scale(DefinitionModel):
    """The display scale of weighted_mean and mean_of_means scores (sum scores are raw points)."""

    min: Decimal = Decimal(0)
    max: Decimal = Decimal(100)

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError("scale min must be below max")
        return self


class Rounding(DefinitionModel):
    decimals: int = Field(default=1, ge=0, le=6)
    mode: Literal["half_up", "half_even"] = "half_up"


class Thresholds(DefinitionModel):
    """Minimum display score for each stage after the first, overall and per dimension."""

    overall: StageThresholds
    dimension_default: StageThresholds | None = None
    dimensions: dict[str, StageThresholds] = Field(default_factory=dict)
    rationale: str = ""


class NAPolicy(DefinitionModel):
    """What a "not applicable" answer counts as: left out, zero, or the target value."""

    mode: Literal["exclude", "zero", "target"] = "exclude"
    target_value: Fraction01 = 1.0
    rationale: str = ""


class MissingAnswerRule(DefinitionModel):
    """What a shown question left unanswered counts as: left out, zero, or a stated value."""

    mode: Literal["exclude", "zero", "value"] = Field(
        default="exclude",
        description="exclude: left out of the score; zero: counts as 0; value: counts as `value`.",
    )
    value: Fraction01 = Field(default=0.0, description="The 0..1 value for mode 'value'.")


class MissingAnswers(MissingAnswerRule):
    """The model's rule for unanswered questions, and overrides for dimensions (a dimension's
    override applies to the items beneath it; the nearest one wins)."""

    dimensions: dict[Id, MissingAnswerRule] = Field(
        default_factory=dict, description="Per dimension id (any level): its own rule."
    )
    rationale: str = ""


class WeakestLinkGate(DefinitionModel):
    kind: Literal["weakest_link"]
    max_stages_above: int = Field(default=1, ge=0)
    rationale: str = ""


class RequiredItem(DefinitionModel):
    item: Id
    min_value: Fraction01


class RequiresItemsGate(DefinitionModel):
    kind: Literal["requires_items"]
    stage: Id
    applies_to: str = Field(default="overall", description="'overall' or a dimension id.")
    items: tuple[RequiredItem, ...] = Field(min_length=1)
    rationale: str = ""


Gate = Annotated[WeakestLinkGate | RequiresItemsGate, Field(discriminator="kind")]


class Quadrant(DefinitionModel):
    name: str = Field(min_length=1)
    description: str = ""


class Quadrants(DefinitionModel):
    """Operations-vs-execution quadrant: an axis is high when its percent of the possible score
    (the weighted mean of its dimensions, 0-100) reaches the midpoint."""

    midpoint: Decimal = Field(default=Decimal(50), gt=0, lt=100)
    operations_low_execution_low: Quadrant
    operations_high_execution_low: Quadrant
    operations_low_execution_high: Quadrant
    operations_high_execution_high: Quadrant


class StageModel(DefinitionModel):
    id: Id
    version: Version
    title: str = Field(min_length=1)
    description: str = ""
    rollup: Rollup = Field(
        default="weighted_mean",
        description="How the overall score combines the dimensions, and every dimension's "
        "roll-up unless `rollup_levels` or `rollup_dimensions` say otherwise.",
    )
    rollup_levels: Annotated[tuple[Rollup, ...], HASHED_WHEN_SET] = Field(
        default=(),
        description="Roll-up by depth: the first for top-level dimensions, the next for their "
        "sub-dimensions, and so on; deeper levels use `rollup`.",
    )
    rollup_dimensions: Annotated[dict[Id, Rollup], HASHED_WHEN_SET] = Field(
        default_factory=dict, description="Roll-up of single dimensions, by id (any level)."
    )
    scale: Scale = Scale()
    rounding: Rounding = Rounding()
    na_policy: NAPolicy = NAPolicy()
    missing_answers: Annotated[MissingAnswers, HASHED_WHEN_SET] = Field(
        default_factory=MissingAnswers,
        description='What a shown question left unanswered counts as ("don\'t know" is '
        "always left out).",
    )
    min_completeness: Fraction01 = Field(
        default=0.8, description="Below this share of answered items a result is provisional."
    )
    stages: tuple[Stage, ...] = Field(min_length=2)
    thresholds: Thresholds
    gates: tuple[Gate, ...] = ()
    quadrants: Quadrants | None = None
    dimension_stages: Annotated[dict[Id, dict[Id, str]], HASHED_WHEN_SET] = Field(
        default_factory=dict,
        description="Per top-level dimension id and stage id: what that stage looks like in this "
        "dimension, as observable behaviour. Where a dimension has none, the stage's summary is used.",
    )

    def stage_text(self, dimension_id: str, stage_id: str) -> str:
        """What `stage_id` looks like in this dimension: its own text, else the stage's summary."""
        text = self.dimension_stages.get(dimension_id, {}).get(stage_id)
        if text is not None:
            return text
        return next(stage.summary for stage in self.stages if stage.id == stage_id)

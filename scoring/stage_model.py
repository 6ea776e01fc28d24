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
    """One stage of maturity, described so that a reader recognises their own company."""

    id: Id = Field(
        description="Stable id of the stage, e.g. emerging; thresholds, gates and "
        "recommendations name it."
    )
    name: str = Field(min_length=1, description="The stage's name, as reports show it.")
    summary: str = Field(
        min_length=1,
        description="One paragraph: what this stage is. It stands in where a dimension has no "
        "text of its own for the stage.",
    )
    hallmarks: tuple[str, ...] = Field(
        default=(),
        description="Three to five signs a reader can check against their own company; "
        "default none.",
    )
    feels_like: str = Field(
        default="", description="What the stage feels like from inside; default empty."
    )
    risk_of_staying: str = Field(
        default="", description="What staying in this stage risks; default empty."
    )


class Scale(DefinitionModel):
    """The display scale of weighted_mean and mean_of_means scores (sum scores are raw points)."""

    min: Decimal = Field(default=Decimal(0), description="The lowest display score; default 0.")
    max: Decimal = Field(
        default=Decimal(100), description="The highest display score, above min; default 100."
    )

    @model_validator(mode="after")
    def _ordered(self) -> Scale:
        if self.min >= self.max:
            raise ValueError("scale min must be below max")
        return self


class Rounding(DefinitionModel):
    """How display scores are rounded; stages compare the rounded score."""

    decimals: int = Field(
        default=1, ge=0, le=6, description="Decimal places of display scores, 0 to 6; default 1."
    )
    mode: Literal["half_up", "half_even"] = Field(
        default="half_up",
        description="half_up rounds a last 5 up (79.25 -> 79.3); half_even rounds it to the even "
        "digit (79.25 -> 79.2). Default half_up.",
    )


class Thresholds(DefinitionModel):
    """Minimum display score for each stage after the first, overall and per dimension."""

    overall: StageThresholds = Field(
        description="Stage id -> the minimum overall score to reach it, for exactly the stages "
        "after the first, rising strictly (in points once a sum roll-up is used)."
    )
    dimension_default: StageThresholds | None = Field(
        default=None,
        description="Thresholds of every top-level dimension without its own in `dimensions`; "
        "default none, and then every top-level dimension needs its own.",
    )
    dimensions: dict[str, StageThresholds] = Field(
        default_factory=dict,
        description="Per top-level dimension id: its own thresholds, in place of "
        "dimension_default; default none.",
    )
    rationale: str = Field(
        default="", description="Why these thresholds, e.g. why 60 and not 55; default empty."
    )


class NAPolicy(DefinitionModel):
    """What a "not applicable" answer counts as: left out, zero, or the target value."""

    mode: Literal["exclude", "zero", "target"] = Field(
        default="exclude",
        description="exclude: left out of the mean (the default); zero: counts as 0; target: "
        "counts as target_value.",
    )
    target_value: Fraction01 = Field(
        default=1.0, description="The 0..1 value an N/A answer counts as in mode target; default 1."
    )
    rationale: str = Field(default="", description="Why this policy; default empty.")


class MissingAnswerRule(DefinitionModel):
    """What a shown question left unanswered counts as: left out, zero, or a stated value."""

    mode: Literal["exclude", "zero", "value"] = Field(
        default="exclude",
        description="exclude: left out of the score (the default); zero: counts as 0; value: "
        "counts as `value`.",
    )
    value: Fraction01 = Field(
        default=0.0, description="The 0..1 value for mode 'value'; default 0."
    )


class MissingAnswers(MissingAnswerRule):
    """The model's rule for unanswered questions, and overrides for dimensions (a dimension's
    override applies to the items beneath it; the nearest one wins)."""

    dimensions: dict[Id, MissingAnswerRule] = Field(
        default_factory=dict,
        description="Per dimension id (any level): its own rule, for the items beneath it; the "
        "nearest one wins. Default none.",
    )
    rationale: str = Field(default="", description="Why this rule; default empty.")


class WeakestLinkGate(DefinitionModel):
    """The overall stage may be at most `max_stages_above` stages above the weakest dimension's."""

    kind: Literal["weakest_link"] = Field(description="Always weakest_link for this gate.")
    max_stages_above: int = Field(
        default=1,
        ge=0,
        description="How many stages the overall stage may sit above the weakest dimension's "
        "(gated) stage, 0 or more; default 1.",
    )
    rationale: str = Field(default="", description="Why this gate; default empty.")


class RequiredItem(DefinitionModel):
    """An item a requires_items gate needs, and the value it needs."""

    item: Id = Field(description="Id of a scored item of the questionnaire.")
    min_value: Fraction01 = Field(
        description="The lowest 0..1 value after reverse keying that meets the gate (for a team, "
        "the mean of those who answered); an unanswered item does not meet it."
    )


class RequiresItemsGate(DefinitionModel):
    """To reach `stage`, each named item needs its `min_value`; else the stage is capped below."""

    kind: Literal["requires_items"] = Field(description="Always requires_items for this gate.")
    stage: Id = Field(
        description="Id of the stage (after the first) that the items guard: without them the "
        "result stays at the stage below."
    )
    applies_to: str = Field(
        default="overall",
        description="'overall' (the default) or a top-level dimension id: whose stage the gate "
        "caps.",
    )
    items: tuple[RequiredItem, ...] = Field(
        min_length=1, description="The items needed and their minimum values, at least one."
    )
    rationale: str = Field(default="", description="Why this gate; default empty.")


Gate = Annotated[WeakestLinkGate | RequiresItemsGate, Field(discriminator="kind")]


class Quadrant(DefinitionModel):
    """One quadrant of the operations-vs-execution chart."""

    name: str = Field(
        min_length=1, description="The quadrant's name in plain words, e.g. Driven but fragile."
    )
    description: str = Field(
        default="", description="What it means and what to do next in it; default empty."
    )


class Quadrants(DefinitionModel):
    """Operations-vs-execution quadrant: an axis is high when its percent of the possible score
    (the weighted mean of its dimensions, 0-100) reaches the midpoint."""

    midpoint: Decimal = Field(
        default=Decimal(50),
        gt=0,
        lt=100,
        description="The percent (above 0, below 100) from which an axis counts as high; "
        "default 50.",
    )
    operations_low_execution_low: Quadrant = Field(
        description="The quadrant where both operations and execution are low."
    )
    operations_high_execution_low: Quadrant = Field(
        description="The quadrant where operations is high and execution low."
    )
    operations_low_execution_high: Quadrant = Field(
        description="The quadrant where operations is low and execution high."
    )
    operations_high_execution_high: Quadrant = Field(
        description="The quadrant where both operations and execution are high."
    )


class StageModel(DefinitionModel):
    """stage_model.yaml: stages, thresholds, roll-up, gates, N/A policy, rounding, quadrants."""

    id: Id = Field(description="Id of the stage model, e.g. the package's id.")
    version: Version = Field(
        description="Semantic version (1.1.0), raised with the package's in a new version folder."
    )
    title: str = Field(min_length=1, description="The stage model's name.")
    description: str = Field(
        default="", description="What the stages measure, in a few sentences; default empty."
    )
    rollup: Rollup = Field(
        default="weighted_mean",
        description="How the overall score combines the dimensions, and every dimension's "
        "roll-up unless `rollup_levels` or `rollup_dimensions` say otherwise. Default "
        "weighted_mean.",
    )
    rollup_levels: Annotated[tuple[Rollup, ...], HASHED_WHEN_SET] = Field(
        default=(),
        description="Roll-up by depth: the first for top-level dimensions, the next for their "
        "sub-dimensions, and so on; deeper levels use `rollup`. Default none.",
    )
    rollup_dimensions: Annotated[dict[Id, Rollup], HASHED_WHEN_SET] = Field(
        default_factory=dict,
        description="Roll-up of single dimensions, by id (any level); default none.",
    )
    scale: Scale = Field(
        default=Scale(),
        description="The display scale of weighted_mean and mean_of_means scores; default 0 to "
        "100.",
    )
    rounding: Rounding = Field(
        default=Rounding(),
        description="How display scores are rounded; default 1 decimal, half_up.",
    )
    na_policy: NAPolicy = Field(
        default=NAPolicy(),
        description='What a "not applicable" answer counts as; default exclude (left out).',
    )
    missing_answers: Annotated[MissingAnswers, HASHED_WHEN_SET] = Field(
        default_factory=MissingAnswers,
        description='What a shown question left unanswered counts as ("don\'t know" is '
        "always left out). Default: left out.",
    )
    min_completeness: Fraction01 = Field(
        default=0.8,
        description="Below this share (0..1) of answered items a result is provisional; "
        "default 0.8.",
    )
    stages: tuple[Stage, ...] = Field(
        min_length=2, description="The stages, at least two, from least to most mature."
    )
    thresholds: Annotated[Thresholds | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="The minimum score of each stage after the first, overall and per "
        "dimension. Default none: the model places nothing in a stage (as published models "
        "whose score is a level, 0 to 3, do); scores, roll-ups and item targets work as usual, "
        "and stage targets, gates and stage-based recommendations do not apply.",
    )
    gates: tuple[Gate, ...] = Field(
        default=(),
        description="Rules that stop an average from overstating maturity (weakest_link, "
        "requires_items); item gates apply first. Default none.",
    )
    quadrants: Quadrants | None = Field(
        default=None,
        description="The operations-vs-execution quadrants; default none (no quadrant).",
    )
    dimension_stages: Annotated[dict[Id, dict[Id, str]], HASHED_WHEN_SET] = Field(
        default_factory=dict,
        description="Per top-level dimension id and stage id: what that stage looks like in this "
        "dimension, as observable behaviour. Where a dimension has none, the stage's summary "
        "is used. Default none.",
    )

    @property
    def places_stages(self) -> bool:
        """Whether scores are placed in stages: only by thresholds."""
        return self.thresholds is not None

    def stage_text(self, dimension_id: str, stage_id: str) -> str:
        """What `stage_id` looks like in this dimension: its own text, else the stage's summary."""
        text = self.dimension_stages.get(dimension_id, {}).get(stage_id)
        if text is not None:
            return text
        return next(stage.summary for stage in self.stages if stage.id == stage_id)

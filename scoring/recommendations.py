"""The recommendation library format: actions per dimension and stage transition, or per answer."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scoring._base import HASHED_WHEN_SET, DefinitionModel, Fraction01, Id, Version
from scoring.questionnaire import Condition

__all__ = [
    "TIE_BREAKS",
    "PlanRule",
    "Recommendation",
    "RecommendationLibrary",
    "SuccessMeasure",
    "TieBreak",
    "Trigger",
]

Level = Literal["low", "medium", "high"]
TieBreak = Literal["weaker_dimension", "shorter_horizon", "lower_effort", "higher_impact", "id"]
TIE_BREAKS: tuple[TieBreak, ...] = (
    "weaker_dimension",
    "shorter_horizon",
    "lower_effort",
    "higher_impact",
    "id",
)


class Trigger(Condition):
    """Fires on one answer; for a team, when at least `min_share` of those who answered match."""

    min_share: Fraction01 = 0.5


class SuccessMeasure(DefinitionModel):
    """How to tell that a done action worked: named items or a dimension moving up by at least
    `min_change` display points in the next round."""

    items: tuple[Id, ...] = Field(default=(), description="Items expected to move.")
    dimension: Id | None = Field(default=None, description="Or: the dimension expected to move.")
    min_change: Decimal = Field(
        gt=0, description="Smallest rise, in display points, that counts as having worked."
    )
    description: str = Field(min_length=1, description="The measure in one sentence.")

    @model_validator(mode="after")
    def _one_target(self) -> SuccessMeasure:
        if bool(self.items) == (self.dimension is not None):
            raise ValueError("a success measure names items or a dimension, not both")
        return self


class Recommendation(DefinitionModel):
    id: Id
    title: str = Field(min_length=1)
    dimension: Id | None = Field(
        default=None, description="Defaults to the trigger item's dimension."
    )
    from_stage: Id | None = None
    to_stage: Id | None = None
    trigger: Trigger | None = None
    rationale: str = Field(min_length=1)
    steps: tuple[str, ...] = ()
    owner_role: str = Field(min_length=1)
    horizon: Literal[30, 60, 90]
    effort: Level
    impact: Level
    success: Annotated[SuccessMeasure | None, HASHED_WHEN_SET] = Field(
        default=None, description="How the next round shows whether the action worked."
    )

    @model_validator(mode="after")
    def _keyed_once(self) -> Recommendation:
        transition = self.from_stage is not None or self.to_stage is not None
        if transition == (self.trigger is not None):
            raise ValueError("key a recommendation by a stage transition or by a trigger, not both")
        if transition and (
            self.from_stage is None or self.to_stage is None or self.dimension is None
        ):
            raise ValueError("a transition needs dimension, from_stage and to_stage")
        return self


class PlanRule(DefinitionModel):
    """The default plan: how many of the ranked actions it holds and how ties are broken.

    The plan first takes the best-ranked action of each horizon, so that every horizon with a
    candidate has one, then fills the rest in rank order up to `max_actions`, at most
    `max_per_horizon` in any horizon.
    """

    max_actions: int = Field(ge=1, le=50, description="Actions in the default plan, at most.")
    max_per_horizon: int | None = Field(
        default=None, ge=1, le=50, description="Actions in any one horizon, at most."
    )
    tie_break: tuple[TieBreak, ...] = Field(
        default=("weaker_dimension", "shorter_horizon", "id"),
        min_length=1,
        description="Keys that order actions of equal priority, first to last; ends with 'id'.",
    )
    rationale: str = ""

    @model_validator(mode="after")
    def _ends_with_id(self) -> PlanRule:
        if self.tie_break[-1] != "id" or len(set(self.tie_break)) != len(self.tie_break):
            raise ValueError("tie_break names each key once and ends with 'id'")
        return self


class RecommendationLibrary(DefinitionModel):
    id: Id
    version: Version
    title: str = ""
    plan: Annotated[PlanRule | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="The default plan's size and tie-break; without it every horizon lists its "
        "five best actions and ties go to the weaker dimension, the shorter horizon, the id.",
    )
    recommendations: tuple[Recommendation, ...] = Field(min_length=1)

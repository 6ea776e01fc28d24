"""The recommendation library format: actions per dimension and stage transition, or per answer."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from scoring._base import DefinitionModel, Fraction01, Id, Version
from scoring.questionnaire import Condition

__all__ = ["Recommendation", "RecommendationLibrary", "Trigger"]

Level = Literal["low", "medium", "high"]


class Trigger(Condition):
    """Fires on one answer; for a team, when at least `min_share` of those who answered match."""

    min_share: Fraction01 = 0.5


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


class RecommendationLibrary(DefinitionModel):
    id: Id
    version: Version
    title: str = ""
    recommendations: tuple[Recommendation, ...] = Field(min_length=1)

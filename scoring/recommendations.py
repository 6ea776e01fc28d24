"""The recommendation library format: actions per dimension and stage transition, or per answer.

An action may name the actions it builds on (`depends_on`, as OWASP SAMM's related activities and
DSOMM's dependsOn do); the library refuses an unknown id and a cycle. A library may declare its
own priority formula (`priority`, scoring/priority.py). Owner, horizon, effort and impact are
optional, since some published models state none: ranking counts a missing effort or impact as
medium, and the plan starts an action without a horizon in its first period.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from scoring._base import HASHED_WHEN_SET, DefinitionModel, Fraction01, Id, Version
from scoring.priority import DEFAULT_FORMULA, MAX_LENGTH, parse_formula
from scoring.questionnaire import Condition

__all__ = [
    "TIE_BREAKS",
    "Level",
    "PlanRule",
    "PriorityRule",
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

    min_share: Fraction01 = Field(
        default=0.5,
        description="For a team: the share 0..1 of those who answered the item whose answer must "
        "match for the action to fire; default 0.5.",
    )


class SuccessMeasure(DefinitionModel):
    """How to tell that a done action worked: named items or a dimension moving up by at least
    `min_change` display points in the next round."""

    items: tuple[Id, ...] = Field(
        default=(),
        description="Scored items expected to move; give items or a dimension, not both. "
        "Default none.",
    )
    dimension: Id | None = Field(
        default=None,
        description="Or: the top-level dimension expected to move; default none.",
    )
    min_change: Decimal = Field(
        gt=0, description="Smallest rise, in display points, that counts as having worked."
    )
    description: str = Field(
        min_length=1,
        description="The measure in one sentence for the report, in the respondents' words, not "
        "item ids.",
    )

    @model_validator(mode="after")
    def _one_target(self) -> SuccessMeasure:
        if bool(self.items) == (self.dimension is not None):
            raise ValueError("a success measure names items or a dimension, not both")
        return self


class Recommendation(DefinitionModel):
    """One action, keyed by a dimension and stage transition or by a trigger on one answer."""

    id: Id = Field(
        description="Stable id of the action, unique in the library; depends_on names it."
    )
    title: str = Field(
        min_length=1,
        description="The action as an instruction with something checkable, e.g. 'Keep one "
        "list of every date promised to a customer'.",
    )
    dimension: Id | None = Field(
        default=None,
        description="The top-level dimension the action belongs to; required with a stage "
        "transition. Defaults to the trigger item's dimension.",
    )
    from_stage: Id | None = Field(
        default=None,
        description="Transition actions: the stage the dimension is in; give with to_stage and "
        "dimension, and no trigger. Default none.",
    )
    to_stage: Id | None = Field(
        default=None,
        description="Transition actions: the stage right after from_stage. Default none.",
    )
    trigger: Trigger | None = Field(
        default=None,
        description="Triggered actions: the answer that fires the action, in place of a stage "
        "transition. Default none.",
    )
    rationale: str = Field(
        min_length=1,
        description="Why the action matters at this stage, in two or three sentences.",
    )
    steps: tuple[str, ...] = Field(
        default=(),
        description="Two to four concrete first moves, each with a who or a when; a short "
        "form's report shows only the first. Default none.",
    )
    # Optional since some published models state none; a package that states them keeps its
    # hash, as the dumped value is the same.
    owner_role: str | None = Field(
        default=None,
        min_length=1,
        description="The role (not a person) that leads the action; default none, as a model "
        "may name none.",
    )
    horizon: Literal[30, 60, 90] | None = Field(
        default=None,
        description="30, 60 or 90: the days within which to start it. Default none: the plan "
        "starts it in its first period.",
    )
    effort: Level | None = Field(
        default=None,
        description="low, medium or high (1, 2 or 3 in the priority): the work the action "
        "takes. Counts as medium when not stated.",
    )
    impact: Level | None = Field(
        default=None,
        description="low, medium or high (1, 2 or 3 in the priority): how much the action "
        "moves its dimension. Counts as medium when not stated.",
    )
    depends_on: Annotated[tuple[Id, ...], HASHED_WHEN_SET] = Field(
        default=(),
        description="Ids of the actions this one builds on: ranking and the plan put each of "
        "them that applies before it. Default none.",
    )
    success: Annotated[SuccessMeasure | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="How the next round shows whether the action worked; default none.",
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

    max_actions: int = Field(
        ge=1, le=50, description="Actions in the default plan, at most (1 to 50)."
    )
    max_per_horizon: int | None = Field(
        default=None,
        ge=1,
        le=50,
        description="Actions in any one horizon, at most (1 to 50); default none (no limit).",
    )
    tie_break: tuple[TieBreak, ...] = Field(
        default=("weaker_dimension", "shorter_horizon", "id"),
        min_length=1,
        description="Keys that order actions of equal priority, first to last: weaker_dimension, "
        "shorter_horizon, lower_effort, higher_impact, each at most once, ending with 'id'. "
        "Default weaker_dimension, shorter_horizon, id.",
    )
    rationale: str = Field(default="", description="Why this plan size and order; default empty.")

    @model_validator(mode="after")
    def _ends_with_id(self) -> PlanRule:
        if self.tie_break[-1] != "id" or len(set(self.tie_break)) != len(self.tie_break):
            raise ValueError("tie_break names each key once and ends with 'id'")
        return self


class PriorityRule(DefinitionModel):
    """A model's own priority for its actions: a formula in the language of scoring/priority.py,
    e.g. OWASP SAMM's stream weight ((1 + target - current)^2 - 1) / ((1 + max_gap)^2 - 1)."""

    formula: str = Field(
        min_length=1,
        max_length=MAX_LENGTH,
        description="Numbers, + - * /, ^ with a whole exponent, parentheses and the names impact, "
        f"effort, gap, weight, current, target, max_gap. Default: {DEFAULT_FORMULA}.",
    )
    rationale: str = Field(
        default="", description="Where the formula comes from and why; default empty."
    )

    @field_validator("formula")
    @classmethod
    def _parses(cls, formula: str) -> str:
        parse_formula(formula)  # a ValueError says what is wrong and where
        return formula


class RecommendationLibrary(DefinitionModel):
    """recommendations.yaml: the actions a report recommends, and how they are ranked and planned."""

    id: Id = Field(description="Id of the library, e.g. the package's id.")
    version: Version = Field(
        description="Semantic version (1.1.0), raised with the package's in a new version folder."
    )
    title: str = Field(
        default="",
        description="The library's name, shown in the methodology; default empty (the id is "
        "shown).",
    )
    plan: Annotated[PlanRule | None, HASHED_WHEN_SET] = Field(
        default=None,
        description="The default plan's size and tie-break; without it every horizon lists its "
        "five best actions and ties go to the weaker dimension, the shorter horizon, the id.",
    )
    priority: Annotated[PriorityRule | None, HASHED_WHEN_SET] = Field(
        default=None,
        description=f"How actions are ranked; without it by {DEFAULT_FORMULA}.",
    )
    recommendations: tuple[Recommendation, ...] = Field(
        min_length=1, description="The actions, at least one."
    )

    @model_validator(mode="after")
    def _dependencies_resolve(self) -> RecommendationLibrary:
        known = {r.id for r in self.recommendations}
        for recommendation in self.recommendations:
            for prerequisite in recommendation.depends_on:
                if prerequisite not in known:
                    raise ValueError(
                        f"recommendation '{recommendation.id}' depends on '{prerequisite}', "
                        "which is not in the library"
                    )
        cycle = _dependency_cycle(self.recommendations)
        if cycle:
            raise ValueError(f"depends_on forms a cycle: {' -> '.join(cycle)}")
        return self


def _dependency_cycle(recommendations: tuple[Recommendation, ...]) -> tuple[str, ...]:
    """The first cycle met walking depends_on in library order, its first id repeated at the
    end; empty when there is none."""
    depends_on: dict[str, tuple[str, ...]] = {}
    for recommendation in recommendations:
        depends_on.setdefault(recommendation.id, recommendation.depends_on)
    finished: set[str] = set()
    path: list[str] = []  # the walk from a root down to the id being visited

    def visit(action_id: str) -> tuple[str, ...]:
        if action_id in path:
            return (*path[path.index(action_id) :], action_id)
        if action_id in finished:
            return ()
        path.append(action_id)
        for prerequisite in depends_on[action_id]:
            cycle = visit(prerequisite)
            if cycle:
                return cycle
        path.pop()
        finished.add(action_id)
        return ()

    for action_id in depends_on:
        cycle = visit(action_id)
        if cycle:
            return cycle
    return ()

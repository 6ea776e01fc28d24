"""Chooses recommendations from the library and ranks them by how far they move the organisation
toward its targets.

priority = impact × (1 + stage gap) × relative dimension weight ÷ effort, with impact and effort
low 1, medium 2, high 3; the stage gap counts stages from the dimension's current stage to its
target (default: the next stage); relative weight is the dimension's weight over the mean weight.
A dimension below its target gets the actions for its next transition; a triggered action fires
when at least `min_share` of those who answered its item match, with a gap of at least 1. Ties
are broken by the library's declared plan rule (`plan.tie_break`); without one, by the weaker
dimension (lower percent of its possible score), then the shorter horizon, then the id.

The default plan is the library's `plan` rule applied to the ranking (`plan_actions`); without a
rule, each horizon lists its five best actions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring.answers import condition_holds
from scoring.package import Package
from scoring.recommendations import PlanRule, Recommendation, TieBreak
from scoring.respondent import RespondentResult
from scoring.results import ScoreSummary
from scoring.targets import Targets

__all__ = [
    "HORIZONS",
    "LEVEL_POINTS",
    "RankedRecommendation",
    "plan_actions",
    "rank_recommendations",
]

HORIZONS = (30, 60, 90)
LEVEL_POINTS = {"low": 1, "medium": 2, "high": 3}
DEFAULT_TIE_BREAK: tuple[TieBreak, ...] = ("weaker_dimension", "shorter_horizon", "id")
UNRULED_PER_HORIZON = 5


@dataclass(frozen=True, slots=True)
class RankedRecommendation:
    """A chosen action and the facts behind its priority (app/ words them).

    Chosen for a stage gap: the dimension sits at `stage_index`, `stage_gap` stages below its
    target. Triggered by answers: `matching` of `answered` answers to the trigger item match.
    """

    recommendation: Recommendation
    dimension_id: str | None
    priority: float
    stage_gap: int
    weight: float
    stage_index: int | None = None
    matching: int | None = None
    answered: int | None = None


def rank_recommendations(
    package: Package,
    summary: ScoreSummary,
    respondents: Sequence[RespondentResult],
    targets: Targets | None = None,
) -> tuple[RankedRecommendation, ...]:
    """Every applicable recommendation, highest priority first."""
    targets = targets or Targets()
    stages = package.stage_model.stages
    dimensions = package.questionnaire.dimensions
    mean_weight = sum(d.weight for d in dimensions) / len(dimensions)
    weights = {d.id: d.weight / mean_weight for d in dimensions}
    current: dict[str, int] = {}
    gaps: dict[str, int] = {}
    for result in summary.dimensions:
        if result.stage is None or result.stage.stage_index is None:
            continue
        index = result.stage.stage_index
        target = targets.for_dimension(result.dimension_id)
        target_index = package.stage_index[target] if target else min(index + 1, len(stages) - 1)
        current[result.dimension_id] = index
        gaps[result.dimension_id] = target_index - index
    ranked: dict[str, RankedRecommendation] = {}
    for recommendation in package.library.recommendations:
        candidate = _candidate(package, recommendation, current, gaps, weights, respondents)
        if candidate is not None and recommendation.id not in ranked:
            ranked[recommendation.id] = candidate
    percents = {d.dimension_id: d.percent for d in summary.dimensions}
    rule = package.library.plan
    tie_break = DEFAULT_TIE_BREAK if rule is None else rule.tie_break

    def rank_key(r: RankedRecommendation) -> tuple[float | str, ...]:
        percent = percents.get(r.dimension_id or "")
        keys: dict[TieBreak, float | str] = {
            "weaker_dimension": 100.0 if percent is None else round(percent, 9),
            "shorter_horizon": r.recommendation.horizon,
            "lower_effort": LEVEL_POINTS[r.recommendation.effort],
            "higher_impact": -LEVEL_POINTS[r.recommendation.impact],
            "id": r.recommendation.id,
        }
        return (-round(r.priority, 9), *(keys[name] for name in tie_break))

    return tuple(sorted(ranked.values(), key=rank_key))


def _candidate(
    package: Package,
    recommendation: Recommendation,
    current: Mapping[str, int],
    gaps: Mapping[str, int],
    weights: Mapping[str, float],
    respondents: Sequence[RespondentResult],
) -> RankedRecommendation | None:
    stages = package.stage_model.stages
    trigger = recommendation.trigger
    if trigger is None:
        dimension_id = recommendation.dimension
        assert dimension_id is not None and recommendation.from_stage is not None  # validated
        index = current.get(dimension_id)
        if index is None or gaps[dimension_id] < 1 or stages[index].id != recommendation.from_stage:
            return None
        gap = gaps[dimension_id]
        stage_index: int | None = index
        matching: int | None = None
        answered_count: int | None = None
    else:
        if trigger.item not in package.items:
            return None  # a short form does not ask this item
        answered = [
            r.answers[trigger.item]
            for r in respondents
            if r.answers[trigger.item].status == "answered"
        ]
        matching = sum(condition_holds(trigger, answer) for answer in answered)
        if not answered or matching / len(answered) < trigger.min_share:
            return None
        dimension_id = recommendation.dimension or package.item_dimension[trigger.item]
        gap = max(1, gaps.get(dimension_id, 1))
        stage_index, answered_count = None, len(answered)
    impact = LEVEL_POINTS[recommendation.impact]
    effort = LEVEL_POINTS[recommendation.effort]
    weight = weights.get(dimension_id, 1.0)
    priority = impact * (1 + gap) * weight / effort
    return RankedRecommendation(
        recommendation, dimension_id, priority, gap, weight, stage_index, matching, answered_count
    )


def plan_actions(
    ranked: Sequence[RankedRecommendation], rule: PlanRule | None
) -> dict[int, tuple[RankedRecommendation, ...]]:
    """The default 30/60/90-day plan, each horizon in rank order.

    With a rule: the best-ranked action of each horizon first, so every horizon that has a
    candidate gets one, then the rest in rank order up to `max_actions`, at most
    `max_per_horizon` in a horizon. Without one: each horizon's five best actions.
    """
    if rule is None:
        return {
            horizon: tuple(r for r in ranked if r.recommendation.horizon == horizon)[
                :UNRULED_PER_HORIZON
            ]
            for horizon in HORIZONS
        }
    per_horizon = rule.max_per_horizon or rule.max_actions
    chosen: list[RankedRecommendation] = []
    for horizon in HORIZONS:
        best = next((r for r in ranked if r.recommendation.horizon == horizon), None)
        if best is not None and len(chosen) < rule.max_actions:
            chosen.append(best)
    for candidate in ranked:
        if len(chosen) >= rule.max_actions:
            break
        horizon = candidate.recommendation.horizon
        in_horizon = sum(r.recommendation.horizon == horizon for r in chosen)
        if candidate not in chosen and in_horizon < per_horizon:
            chosen.append(candidate)
    order = {r.recommendation.id: index for index, r in enumerate(ranked)}
    return {
        horizon: tuple(
            sorted(
                (r for r in chosen if r.recommendation.horizon == horizon),
                key=lambda r: order[r.recommendation.id],
            )
        )
        for horizon in HORIZONS
    }

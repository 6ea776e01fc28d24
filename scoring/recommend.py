"""Chooses recommendations from the library and ranks them by how far they move the organisation
toward its targets.

priority = impact × (1 + stage gap) × relative dimension weight ÷ effort, with impact and effort
low 1, medium 2, high 3 (medium when an action states none); the stage gap counts stages from the
dimension's current stage to its target (default: the next stage); relative weight is the
dimension's weight over the mean weight. A library may declare its own formula over the same
figures (`priority`, scoring/priority.py). A dimension below its target gets the actions for its
next transition; a triggered action fires when at least `min_share` of those who answered its
item match, with a gap of at least 1. Ties are broken by the library's declared plan rule
(`plan.tie_break`); without one, by the weaker dimension (lower percent of its possible score),
then the shorter horizon, then the id. An action without a horizon counts as starting in the
first period.

An action comes after every applicable action it depends on (`depends_on`, directly or through
actions that do not apply): walking the actions by priority, each one's prerequisites are placed
just before it, in their own order, so a prerequisite takes the rank of the most urgent action
that builds on it. A prerequisite that does not apply is taken as in place (its dimension is past
that stage, or the answers do not call for it), so the action that builds on it is still offered.

The default plan is the library's `plan` rule applied to the ranking (`plan_actions`); without a
rule, each horizon lists its five best actions. An action is planned in its own horizon or in the
latest period of an action it depends on, whichever is later, and enters the plan only once every
applicable action it depends on is in it: the plan never asks for work whose groundwork it leaves
out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from scoring.answers import condition_holds
from scoring.package import Package
from scoring.priority import DEFAULT_FORMULA, Formula, parse_formula
from scoring.recommendations import (
    Level,
    PlanRule,
    Recommendation,
    RecommendationLibrary,
    TieBreak,
)
from scoring.respondent import RespondentResult
from scoring.results import ScoreSummary
from scoring.targets import Targets

__all__ = [
    "HORIZONS",
    "LEVEL_POINTS",
    "UNSTATED_LEVEL",
    "RankedRecommendation",
    "level_points",
    "plan_actions",
    "rank_recommendations",
]

HORIZONS = (30, 60, 90)
LEVEL_POINTS = {"low": 1, "medium": 2, "high": 3}
UNSTATED_LEVEL: Level = "medium"
DEFAULT_TIE_BREAK: tuple[TieBreak, ...] = ("weaker_dimension", "shorter_horizon", "id")
UNRULED_PER_HORIZON = 5
_DEFAULT_PRIORITY = parse_formula(DEFAULT_FORMULA)


@dataclass(frozen=True, slots=True)
class RankedRecommendation:
    """A chosen action and the facts behind its priority (app/ words them).

    Chosen for a stage gap: the dimension sits at `stage_index`, `stage_gap` stages below its
    target. Triggered by answers: `matching` of `answered` answers to the trigger item match.
    `figures` holds the values of the names a library's own formula uses (empty under the
    default formula). `prerequisites` are the applicable actions it depends on, directly or
    through others, and `unlocks` those that depend on it, both in rank order; `period` is the
    plan period it is planned in: its horizon, or a later period of a prerequisite.
    """

    recommendation: Recommendation
    dimension_id: str | None
    priority: float
    stage_gap: int
    weight: float
    stage_index: int | None = None
    matching: int | None = None
    answered: int | None = None
    figures: tuple[tuple[str, float], ...] = ()
    prerequisites: tuple[str, ...] = ()
    unlocks: tuple[str, ...] = ()
    period: int = HORIZONS[0]


def level_points(level: Level | None) -> int:
    """Points of an effort or impact level; medium when an action states none."""
    return LEVEL_POINTS[level or UNSTATED_LEVEL]


def _own_period(recommendation: Recommendation) -> int:
    return recommendation.horizon or HORIZONS[0]


def rank_recommendations(
    package: Package,
    summary: ScoreSummary,
    respondents: Sequence[RespondentResult],
    targets: Targets | None = None,
) -> tuple[RankedRecommendation, ...]:
    """Every applicable recommendation, highest priority first, each after what it depends on."""
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
    declared = package.library.priority
    formula = None if declared is None else parse_formula(declared.formula)
    scope = _Scope(current, gaps, weights, max((1, *gaps.values())), formula)
    ranked: dict[str, RankedRecommendation] = {}
    for recommendation in package.library.recommendations:
        candidate = _candidate(package, recommendation, scope, respondents)
        if candidate is not None and recommendation.id not in ranked:
            ranked[recommendation.id] = candidate
    percents = {d.dimension_id: d.percent for d in summary.dimensions}
    rule = package.library.plan
    tie_break = DEFAULT_TIE_BREAK if rule is None else rule.tie_break

    def rank_key(r: RankedRecommendation) -> tuple[float | str, ...]:
        percent = percents.get(r.dimension_id or "")
        keys: dict[TieBreak, float | str] = {
            "weaker_dimension": 100.0 if percent is None else round(percent, 9),
            "shorter_horizon": _own_period(r.recommendation),
            "lower_effort": level_points(r.recommendation.effort),
            "higher_impact": -level_points(r.recommendation.impact),
            "id": r.recommendation.id,
        }
        return (-round(r.priority, 9), *(keys[name] for name in tie_break))

    return _after_prerequisites(package.library, sorted(ranked.values(), key=rank_key))


@dataclass(frozen=True, slots=True)
class _Scope:
    """What every candidate's priority is worked out from."""

    current: Mapping[str, int]
    gaps: Mapping[str, int]
    weights: Mapping[str, float]
    max_gap: int
    formula: Formula | None  # None: the default formula


def _candidate(
    package: Package,
    recommendation: Recommendation,
    scope: _Scope,
    respondents: Sequence[RespondentResult],
) -> RankedRecommendation | None:
    stages = package.stage_model.stages
    trigger = recommendation.trigger
    if trigger is None:
        dimension_id = recommendation.dimension
        assert dimension_id is not None and recommendation.from_stage is not None  # validated
        index = scope.current.get(dimension_id)
        if (
            index is None
            or scope.gaps[dimension_id] < 1
            or stages[index].id != recommendation.from_stage
        ):
            return None
        gap = scope.gaps[dimension_id]
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
        gap = max(1, scope.gaps.get(dimension_id, 1))
        stage_index, answered_count = None, len(answered)
    weight = scope.weights.get(dimension_id, 1.0)
    # a dimension without a stage (only a trigger reaches one) counts from the first stage
    current_index = scope.current.get(dimension_id, 0)
    figures = {
        "impact": float(level_points(recommendation.impact)),
        "effort": float(level_points(recommendation.effort)),
        "gap": float(gap),
        "weight": weight,
        "current": float(current_index),
        "target": float(current_index + gap),
        "max_gap": float(scope.max_gap),
    }
    formula = scope.formula or _DEFAULT_PRIORITY
    priority = formula.value(figures)
    used = () if scope.formula is None else tuple((n, figures[n]) for n in formula.names)
    return RankedRecommendation(
        recommendation,
        dimension_id,
        priority,
        gap,
        weight,
        stage_index,
        matching,
        answered_count,
        figures=used,
        period=_own_period(recommendation),
    )


def _after_prerequisites(
    library: RecommendationLibrary, by_priority: Sequence[RankedRecommendation]
) -> tuple[RankedRecommendation, ...]:
    """The ranking with every action after the applicable actions it depends on.

    Walking by priority, an action's prerequisites are placed just before it, in priority order
    and each after its own, so a library without `depends_on` keeps the priority order.
    """
    applicable = {r.recommendation.id: r for r in by_priority}
    depends_on: dict[str, tuple[str, ...]] = {}
    for recommendation in library.recommendations:
        depends_on.setdefault(recommendation.id, recommendation.depends_on)
    reachable: dict[str, frozenset[str]] = {}

    def all_prerequisites(action_id: str) -> frozenset[str]:
        """Every action it depends on, directly or through others (the library has no cycle)."""
        if action_id not in reachable:
            found: set[str] = set()
            for prerequisite in depends_on[action_id]:
                found |= {prerequisite, *all_prerequisites(prerequisite)}
            reachable[action_id] = frozenset(found)
        return reachable[action_id]

    position = {action_id: index for index, action_id in enumerate(applicable)}
    prerequisites = {
        action_id: sorted(
            all_prerequisites(action_id) & applicable.keys(), key=position.__getitem__
        )
        for action_id in applicable
    }
    order: dict[str, None] = {}  # insertion-ordered set

    def place(action_id: str) -> None:
        if action_id in order:
            return
        for prerequisite in prerequisites[action_id]:
            place(prerequisite)
        order[action_id] = None

    for action_id in applicable:
        place(action_id)
    rank = {action_id: index for index, action_id in enumerate(order)}
    unlocks: dict[str, list[str]] = {action_id: [] for action_id in order}
    for action_id in order:
        for prerequisite in prerequisites[action_id]:
            unlocks[prerequisite].append(action_id)
    periods: dict[str, int] = {}
    placed: list[RankedRecommendation] = []
    for action_id in order:
        before = tuple(sorted(prerequisites[action_id], key=rank.__getitem__))
        periods[action_id] = max(
            (_own_period(applicable[action_id].recommendation), *(periods[p] for p in before))
        )
        after = tuple(unlocks[action_id])
        ranked = applicable[action_id]
        if before or after or periods[action_id] != ranked.period:
            ranked = replace(ranked, prerequisites=before, unlocks=after, period=periods[action_id])
        placed.append(ranked)
    return tuple(placed)


def plan_actions(
    ranked: Sequence[RankedRecommendation], rule: PlanRule | None
) -> dict[int, tuple[RankedRecommendation, ...]]:
    """The default 30/60/90-day plan, each period in rank order.

    With a rule: the best-ranked action of each period first, so every period that has a
    candidate gets one, then the rest in rank order up to `max_actions`, at most
    `max_per_horizon` in a period. Without one: each period's five best actions. Either way an
    action enters only once every applicable action it depends on is in the plan.
    """
    chosen: list[RankedRecommendation] = []
    chosen_ids: set[str] = set()

    def choose(candidate: RankedRecommendation) -> None:
        chosen.append(candidate)
        chosen_ids.add(candidate.recommendation.id)

    def ready(candidate: RankedRecommendation) -> bool:
        return candidate.recommendation.id not in chosen_ids and all(
            p in chosen_ids for p in candidate.prerequisites
        )

    def in_period(period: int) -> int:
        return sum(r.period == period for r in chosen)

    if rule is None:
        for candidate in ranked:
            if in_period(candidate.period) < UNRULED_PER_HORIZON and ready(candidate):
                choose(candidate)
    else:
        per_horizon = rule.max_per_horizon or rule.max_actions
        for horizon in HORIZONS:
            best = next((r for r in ranked if r.period == horizon and ready(r)), None)
            if best is not None and len(chosen) < rule.max_actions:
                choose(best)
        for candidate in ranked:
            if len(chosen) >= rule.max_actions:
                break
            if ready(candidate) and in_period(candidate.period) < per_horizon:
                choose(candidate)
    order = {r.recommendation.id: index for index, r in enumerate(ranked)}
    return {
        horizon: tuple(
            sorted(
                (r for r in chosen if r.period == horizon),
                key=lambda r: order[r.recommendation.id],
            )
        )
        for horizon in HORIZONS
    }

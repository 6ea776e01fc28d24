"""Recommendations in priority order and the 30/60/90-day roadmap with owners."""

from __future__ import annotations

from app.reports.view_model import RecommendationView, RoadmapAction, RoadmapColumn
from app.wording import recommendation_reason
from scoring import HORIZONS, AssessmentResult, Package, RankedRecommendation
from scoring.recommend import UNSTATED_LEVEL
from scoring.recommendations import Level

__all__ = ["DETAILED_RECOMMENDATIONS", "recommendation_views", "roadmap_columns"]

DETAILED_RECOMMENDATIONS = 6
# The executive report lists this many further actions; the full report lists them all.
FURTHER_IN_EXECUTIVE = 10

_HORIZON_SUBHEADINGS = {
    30: "Start now: quick, visible wins",
    60: "Build: practices that need a few cycles",
    90: "Embed: changes that take a quarter",
}
# Published models may state no owner, horizon, effort or impact (scoring/recommendations.py);
# each reads as what ranking and the plan assumed, never as "None".
_NO_OWNER = "to be named"  # after "Owner: " and in the owner column
_NO_OWNER_ON_ROADMAP = "Owner to be named"  # on its own before the dimension
_PERIOD = "{period} days"
_PERIOD_NO_HORIZON = "{period} days (no horizon given)"
_PERIOD_AFTER_PREREQUISITE = "{period} days, after what it builds on"
_LEVEL_UNSTATED = "{level} (not stated)"


def _dimension_title(package: Package, ranked: RankedRecommendation) -> str:
    if ranked.dimension_id is None:
        return "Whole organisation"
    return package.dimension(ranked.dimension_id).title


def _horizon_text(ranked: RankedRecommendation) -> str:
    """The period the plan starts the action in: its horizon, or later when it builds on an
    action planned later, or the first period when it has none."""
    horizon = ranked.recommendation.horizon
    if horizon is None:
        return _PERIOD_NO_HORIZON.format(period=ranked.period)
    if ranked.period > horizon:
        return _PERIOD_AFTER_PREREQUISITE.format(period=ranked.period)
    return _PERIOD.format(period=ranked.period)


def _level_text(level: Level | None) -> str:
    return level if level is not None else _LEVEL_UNSTATED.format(level=UNSTATED_LEVEL)


def recommendation_views(
    package: Package, result: AssessmentResult, *, short_form: bool = False
) -> tuple[tuple[RecommendationView, ...], tuple[RecommendationView, ...]]:
    """The highest-priority actions in full, the rest as a list, all numbered by overall rank.

    Readers act on the first few; the rest stay one line each (owner, horizon, priority), which
    also keeps a report with a long library short and quick to render. A short form's rough
    reading supports the roadmap only (with each action's first step), so it lists none.
    """
    if short_form:
        return (), ()
    detailed: list[RecommendationView] = []
    further: list[RecommendationView] = []
    for rank, ranked in enumerate(result.recommendations, start=1):
        recommendation = ranked.recommendation
        view = RecommendationView(
            rank=rank,
            title=recommendation.title,
            dimension_title=_dimension_title(package, ranked),
            rationale=recommendation.rationale,
            steps=recommendation.steps,
            owner_role=recommendation.owner_role or _NO_OWNER,
            horizon_text=_horizon_text(ranked),
            effort=_level_text(recommendation.effort),
            impact=_level_text(recommendation.impact),
            priority_text=f"{ranked.priority:.2f}",
            reason=recommendation_reason(package, ranked),
        )
        (detailed if rank <= DETAILED_RECOMMENDATIONS else further).append(view)
    return tuple(detailed), tuple(further)


def _empty_period_text(result: AssessmentResult, horizon: int) -> str:
    if not result.recommendations:
        return "No action applies: every dimension has reached its target."
    if not any(r.period == horizon for r in result.recommendations):
        return "None of the actions that apply at these stages starts in this period."
    planned = {r.recommendation.id for actions in result.roadmap.values() for r in actions}
    if any(
        r.period == horizon and not planned.issuperset(r.prerequisites)
        for r in result.recommendations
    ):
        return (
            "The actions for this period build on actions the plan leaves out, or rank below "
            "those chosen."
        )
    return "The plan is full: the actions for this period rank below those chosen."


def roadmap_columns(package: Package, result: AssessmentResult) -> tuple[RoadmapColumn, ...]:
    ranks = {r.recommendation.id: rank for rank, r in enumerate(result.recommendations, start=1)}
    columns = []
    previous = 0
    for horizon in HORIZONS:
        actions = tuple(
            RoadmapAction(
                rank=ranks[ranked.recommendation.id],
                title=ranked.recommendation.title,
                owner_role=ranked.recommendation.owner_role or _NO_OWNER_ON_ROADMAP,
                dimension_title=_dimension_title(package, ranked),
                first_step=next(iter(ranked.recommendation.steps), ""),
            )
            for ranked in result.roadmap.get(horizon, ())
        )
        columns.append(
            RoadmapColumn(
                heading=f"Days {previous + 1}–{horizon}",
                subheading=_HORIZON_SUBHEADINGS.get(horizon, ""),
                actions=actions,
                empty_text=_empty_period_text(result, horizon),
            )
        )
        previous = horizon
    return tuple(columns)

"""A model's own priority, actions that depend on others, and actions that state no owner,
horizon, effort or impact: ranked and planned on small variants of the example package.

Every expected priority is worked out by hand below. With the worst answers every dimension sits
at Ad hoc (stage index 0); without targets each one's target is the next stage (gap 1). Relative
weights: delivery 2 / (4/3) = 1.5, tooling and rhythm 1 / (4/3) = 0.75. Four actions apply:
delivery-plan-month (delivery, impact high, effort low, 30 days), rhythm-weekly-review (rhythm,
high, low, 30), tooling-name-owner (tooling, medium, low, 30) and trigger-copying-hours (tooling,
triggered by 40 hours of copying, high, medium, 30).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pytest

from app.reports.action_view import recommendation_views, roadmap_columns
from app.wording import recommendation_reason
from scoring import (
    AssessmentResult,
    DefinitionError,
    Package,
    RankedRecommendation,
    RespondentAnswers,
    Targets,
    build_package,
    score_assessment,
)
from scoring.priority import DEFAULT_FORMULA, parse_formula
from tests.unit.example_package import EXAMPLE, WORST_ANSWERS, fresh_mappings

PLAN_MONTH = "delivery-plan-month"
WEEKLY_REVIEW = "rhythm-weekly-review"
NAME_OWNER = "tooling-name-owner"
COPYING = "trigger-copying-hours"
REVIEW_MISSES = "delivery-review-misses"  # Steady -> Strong: not applicable at Ad hoc
CUT_MEETINGS = "rhythm-cut-meetings"  # Steady -> Strong: not applicable at Ad hoc

SAMM_STREAM_WEIGHT = "((1 + target - current)^2 - 1) / ((1 + max_gap)^2 - 1)"


def package_with(
    changes: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    library: Mapping[str, Any] | None = None,
    removed: Mapping[str, Sequence[str]] | None = None,
) -> Package:
    """The example package with fields of some recommendations changed or removed."""
    questionnaire, stage_model, recommendations = fresh_mappings()
    by_id = {r["id"]: r for r in recommendations["recommendations"]}
    for recommendation_id, fields in (changes or {}).items():
        by_id[recommendation_id].update(fields)
    for recommendation_id, keys in (removed or {}).items():
        for key in keys:
            del by_id[recommendation_id][key]
    recommendations.update(library or {})
    return build_package(questionnaire, stage_model, recommendations)


def problems_of(package: Any) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        package()
    return [str(p) for p in caught.value.problems]


def worst(package: Package, targets: Targets | None = None) -> AssessmentResult:
    answers = RespondentAnswers("r0", WORST_ANSWERS, {"role": "executive"})
    return score_assessment(package, [answers], targets=targets)


def ids(ranked: Sequence[RankedRecommendation]) -> list[str]:
    return [r.recommendation.id for r in ranked]


def priorities(result: AssessmentResult) -> dict[str, float]:
    return {r.recommendation.id: r.priority for r in result.recommendations}


def by_id(result: AssessmentResult, recommendation_id: str) -> RankedRecommendation:
    return next(r for r in result.recommendations if r.recommendation.id == recommendation_id)


# The default formula


def test_without_a_declaration_priority_is_the_documented_formula() -> None:
    result = worst(EXAMPLE, Targets(dimensions={"delivery": "strong"}))
    # impact x (1 + gap) x weight / effort; delivery now two stages below its target
    assert priorities(result) == pytest.approx(
        {
            PLAN_MONTH: 3 * (1 + 2) * 1.5 / 1,  # 13.5
            WEEKLY_REVIEW: 3 * (1 + 1) * 0.75 / 1,  # 4.5
            NAME_OWNER: 2 * (1 + 1) * 0.75 / 1,  # 3.0
            COPYING: 3 * (1 + 1) * 0.75 / 2,  # 2.25
        },
        abs=1e-9,
    )
    assert ids(result.recommendations) == [PLAN_MONTH, WEEKLY_REVIEW, NAME_OWNER, COPYING]
    assert all(r.figures == () and r.prerequisites == () for r in result.recommendations)


def test_the_default_formula_spelled_out_ranks_exactly_alike() -> None:
    spelled_out = package_with(library={"priority": {"formula": DEFAULT_FORMULA}})
    for targets in (None, Targets(overall="strong"), Targets(dimensions={"tooling": "strong"})):
        default, declared = worst(EXAMPLE, targets), worst(spelled_out, targets)
        assert ids(declared.recommendations) == ids(default.recommendations)
        assert priorities(declared) == priorities(default)  # equal to the last bit


def test_new_fields_left_unused_keep_the_hash_and_used_change_it() -> None:
    unused = package_with({PLAN_MONTH: {"depends_on": []}}, library={"priority": None})
    assert unused.content_hash == EXAMPLE.content_hash
    declared = package_with(library={"priority": {"formula": DEFAULT_FORMULA}})
    depending = package_with({PLAN_MONTH: {"depends_on": [NAME_OWNER]}})
    hashes = {EXAMPLE.content_hash, declared.content_hash, depending.content_hash}
    assert len(hashes) == 3


# A declared formula


def test_samm_stream_weight() -> None:
    # ((1 + target - current)^2 - 1) / max over the streams of the same. Tooling's target is
    # Strong (gap 2), delivery and rhythm aim at the next stage (gap 1): the largest value is
    # (1 + 2)^2 - 1 = 8, which is (1 + max_gap)^2 - 1 because the value grows with the gap.
    package = package_with(
        library={
            "priority": {"formula": SAMM_STREAM_WEIGHT, "rationale": "OWASP SAMM stream weight"},
            "plan": {"max_actions": 8, "tie_break": ["id"]},
        }
    )
    result = worst(package, Targets(dimensions={"tooling": "strong"}))
    assert priorities(result) == pytest.approx(
        {
            NAME_OWNER: ((1 + 2 - 0) ** 2 - 1) / 8,  # 1.0
            COPYING: ((1 + 2 - 0) ** 2 - 1) / 8,  # 1.0: triggered in tooling, gap 2
            PLAN_MONTH: ((1 + 1 - 0) ** 2 - 1) / 8,  # 0.375
            WEEKLY_REVIEW: ((1 + 1 - 0) ** 2 - 1) / 8,  # 0.375
        },
        abs=1e-9,
    )
    # ties by id only, as the plan rule says; the default formula would put delivery first
    assert ids(result.recommendations) == [NAME_OWNER, COPYING, PLAN_MONTH, WEEKLY_REVIEW]
    assert ids(worst(EXAMPLE, Targets(dimensions={"tooling": "strong"})).recommendations)[0] == (
        PLAN_MONTH
    )
    owner = by_id(result, NAME_OWNER)
    assert owner.figures == (("target", 2.0), ("current", 0.0), ("max_gap", 2.0))
    assert recommendation_reason(package, owner) == (
        "Tooling is at Ad hoc, 2 stages below its target: priority by the model's formula "
        f"{SAMM_STREAM_WEIGHT}, with target 2, current 0 and max_gap 2, is 1.00."
    )


def test_samm_stream_weight_times_impact_over_effort() -> None:
    # every target Strong: every gap 2, max_gap 2, so every stream weighs 8 / 8 = 1
    package = package_with(
        library={"priority": {"formula": f"impact * {SAMM_STREAM_WEIGHT} / effort"}}
    )
    result = worst(package, Targets(overall="strong"))
    assert priorities(result) == pytest.approx(
        {PLAN_MONTH: 3.0, WEEKLY_REVIEW: 3.0, NAME_OWNER: 2.0, COPYING: 1.5}, abs=1e-9
    )


def test_the_formula_grammar() -> None:
    figures = {"impact": 3.0, "effort": 2.0, "gap": 1.0, "weight": 0.75, "current": 0.0}
    figures |= {"target": 1.0, "max_gap": 2.0}
    assert parse_formula("2 + 3 * 4 ^ 2 / 8 - 1").value(figures) == pytest.approx(7.0, abs=1e-9)
    assert parse_formula("-gap ^ 2").value(figures) == pytest.approx(-1.0, abs=1e-9)
    assert parse_formula("(1 - 3) ^ 3").value(figures) == pytest.approx(-8.0, abs=1e-9)
    assert parse_formula("impact - effort - gap").value(figures) == pytest.approx(0.0, abs=1e-9)
    assert parse_formula("12 / gap / 4").value(figures) == pytest.approx(3.0, abs=1e-9)
    assert parse_formula("max_gap * weight").names == ("max_gap", "weight")
    # an action the formula has no value for is given none to gain
    assert parse_formula("impact / (gap - 1)").value(figures) == 0.0


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        ("__import__('os').system('true')", "unknown name '__import__'"),
        ("impcat * 2", "unknown name 'impcat'; names: impact, effort, gap, weight"),
        ("impact ** 2", "expected a number, a name or '(' at character 9"),
        ("gap ^ 0.5", "an exponent is a whole number from 0 to 9"),
        ("gap ^ gap", "an exponent is a whole number from 0 to 9"),
        ("gap ^ 2 ^ 2", "write (a ^ b) ^ c"),
        ("(impact + 1", "expected ')' at character 12"),
        ("impact 2", "unexpected '2' at character 8"),
        ("impact.real", "unexpected '.' at character 7"),
        ("   ", "expected a number, a name or '(' at character 4"),
        ("(" * 21 + "gap" + ")" * 21, "nested more than 20 deep at character 21"),
    ],
)
def test_a_formula_outside_the_grammar_is_refused(formula: str, message: str) -> None:
    problems = problems_of(lambda: package_with(library={"priority": {"formula": formula}}))
    assert len(problems) == 1
    assert problems[0].startswith("recommendations.yaml: priority.formula: ")
    assert message in problems[0]


# depends_on


def test_an_action_comes_after_what_it_depends_on() -> None:
    package = package_with({PLAN_MONTH: {"depends_on": [NAME_OWNER]}})
    result = worst(package)
    # priorities are those of the default formula; the prerequisite moves up to just before
    # the action that needs it, which keeps its place ahead of the weekly review
    assert priorities(result) == pytest.approx(
        {PLAN_MONTH: 9.0, WEEKLY_REVIEW: 4.5, NAME_OWNER: 3.0, COPYING: 2.25}, abs=1e-9
    )
    assert ids(result.recommendations) == [NAME_OWNER, PLAN_MONTH, WEEKLY_REVIEW, COPYING]
    assert by_id(result, PLAN_MONTH).prerequisites == (NAME_OWNER,)
    assert by_id(result, NAME_OWNER).unlocks == (PLAN_MONTH,)
    assert ids(result.roadmap[30]) == [NAME_OWNER, PLAN_MONTH, WEEKLY_REVIEW, COPYING]
    reason = recommendation_reason(package, by_id(result, NAME_OWNER))
    assert reason.endswith(
        " It comes before “Plan the next month every month”, which builds on it."
    )
    reason = recommendation_reason(package, by_id(result, PLAN_MONTH))
    assert reason.endswith(
        " It comes after “Name an owner for the team's tools”, which it builds on."
    )


def test_an_action_whose_prerequisite_does_not_apply_is_still_offered() -> None:
    # Review-misses applies from Steady only: at Ad hoc it is not offered, so nothing holds the
    # monthly plan back and the order stays that of priority.
    result = worst(package_with({PLAN_MONTH: {"depends_on": [REVIEW_MISSES]}}))
    assert ids(result.recommendations) == [PLAN_MONTH, WEEKLY_REVIEW, NAME_OWNER, COPYING]
    assert by_id(result, PLAN_MONTH).prerequisites == ()


def test_a_prerequisite_reached_through_one_that_does_not_apply_still_comes_first() -> None:
    package = package_with(
        {PLAN_MONTH: {"depends_on": [CUT_MEETINGS]}, CUT_MEETINGS: {"depends_on": [COPYING]}}
    )
    result = worst(package)
    assert ids(result.recommendations) == [COPYING, PLAN_MONTH, WEEKLY_REVIEW, NAME_OWNER]
    assert by_id(result, PLAN_MONTH).prerequisites == (COPYING,)


def test_the_plan_starts_a_dependent_action_no_earlier_than_its_prerequisite() -> None:
    # the owner is named within 60 days; the monthly plan (30 days) builds on it, so it moves
    # to the 60-day period, after the owner
    changes = {NAME_OWNER: {"horizon": 60}, PLAN_MONTH: {"depends_on": [NAME_OWNER]}}
    result = worst(package_with(changes))
    assert ids(result.recommendations) == [NAME_OWNER, PLAN_MONTH, WEEKLY_REVIEW, COPYING]
    assert [(r.recommendation.id, r.period) for r in result.recommendations] == [
        (NAME_OWNER, 60),
        (PLAN_MONTH, 60),
        (WEEKLY_REVIEW, 30),
        (COPYING, 30),
    ]
    assert {h: ids(actions) for h, actions in result.roadmap.items()} == {
        30: [WEEKLY_REVIEW, COPYING],
        60: [NAME_OWNER, PLAN_MONTH],
        90: [],
    }
    # with a plan rule: each period's best first (review for 30, owner for 60), then the
    # monthly plan, whose prerequisite is in the plan by then
    ruled = worst(package_with(changes, library={"plan": {"max_actions": 3}}))
    assert {h: ids(actions) for h, actions in ruled.roadmap.items()} == {
        30: [WEEKLY_REVIEW],
        60: [NAME_OWNER, PLAN_MONTH],
        90: [],
    }
    view = recommendation_views(package_with(changes), result)[0]
    assert [v.horizon_text for v in view] == [
        "60 days",
        "60 days, after what it builds on",
        "30 days",
        "30 days",
    ]


def test_the_plan_leaves_out_an_action_whose_prerequisite_it_leaves_out() -> None:
    plan = {"plan": {"max_actions": 3, "max_per_horizon": 1}}
    alone = worst(package_with({NAME_OWNER: {"horizon": 60}}, library=plan))
    assert {h: ids(actions) for h, actions in alone.roadmap.items()} == {
        30: [PLAN_MONTH],
        60: [NAME_OWNER],
        90: [],
    }
    # naming the owner now builds on the weekly review, which the full 30-day period leaves out
    changes = {NAME_OWNER: {"horizon": 60, "depends_on": [WEEKLY_REVIEW]}}
    package = package_with(changes, library=plan)
    result = worst(package)
    assert ids(result.recommendations) == [PLAN_MONTH, WEEKLY_REVIEW, NAME_OWNER, COPYING]
    assert {h: ids(actions) for h, actions in result.roadmap.items()} == {
        30: [PLAN_MONTH],
        60: [],
        90: [],
    }
    assert roadmap_columns(package, result)[1].empty_text == (
        "The actions for this period build on actions the plan leaves out, or rank below those "
        "chosen."
    )


def test_a_cycle_is_refused_and_named() -> None:
    changes = {
        PLAN_MONTH: {"depends_on": [NAME_OWNER]},
        NAME_OWNER: {"depends_on": [WEEKLY_REVIEW]},
        WEEKLY_REVIEW: {"depends_on": [PLAN_MONTH]},
    }
    assert problems_of(lambda: package_with(changes)) == [
        "recommendations.yaml: depends_on forms a cycle: delivery-plan-month -> "
        "tooling-name-owner -> rhythm-weekly-review -> delivery-plan-month"
    ]
    assert problems_of(lambda: package_with({COPYING: {"depends_on": [COPYING]}})) == [
        "recommendations.yaml: depends_on forms a cycle: "
        "trigger-copying-hours -> trigger-copying-hours"
    ]


def test_an_unknown_prerequisite_is_refused() -> None:
    assert problems_of(lambda: package_with({PLAN_MONTH: {"depends_on": ["no-such-action"]}})) == [
        "recommendations.yaml: recommendation 'delivery-plan-month' depends on "
        "'no-such-action', which is not in the library"
    ]


# No owner, horizon, effort or impact


def test_an_action_without_owner_horizon_effort_or_impact_is_ranked_and_planned() -> None:
    bare = {WEEKLY_REVIEW: ("owner_role", "horizon", "effort", "impact")}
    package = package_with(removed=bare)
    result = worst(package)
    # effort and impact count as medium: 2 x (1 + 1) x 0.75 / 2 = 1.5
    assert priorities(result) == pytest.approx(
        {PLAN_MONTH: 9.0, NAME_OWNER: 3.0, COPYING: 2.25, WEEKLY_REVIEW: 1.5}, abs=1e-9
    )
    assert ids(result.recommendations) == [PLAN_MONTH, NAME_OWNER, COPYING, WEEKLY_REVIEW]
    # no horizon: the plan's first period
    assert by_id(result, WEEKLY_REVIEW).period == 30
    assert ids(result.roadmap[30]) == [PLAN_MONTH, NAME_OWNER, COPYING, WEEKLY_REVIEW]
    ruled = worst(package_with(removed=bare, library={"plan": {"max_actions": 8}}))
    assert ids(ruled.roadmap[30]) == [PLAN_MONTH, NAME_OWNER, COPYING, WEEKLY_REVIEW]
    review = by_id(result, WEEKLY_REVIEW)
    assert recommendation_reason(package, review) == (
        "Rhythm is at Ad hoc, one stage below its target: impact medium (2, not stated) × "
        "(1 + 1) × weight 0.75 ÷ effort medium (2, not stated) = 1.50."
    )
    detailed, _ = recommendation_views(package, result)
    view = next(v for v in detailed if v.title == review.recommendation.title)
    assert (view.owner_role, view.horizon_text, view.effort, view.impact) == (
        "to be named",
        "30 days (no horizon given)",
        "medium (not stated)",
        "medium (not stated)",
    )
    first_period = roadmap_columns(package, result)[0]
    assert [a.owner_role for a in first_period.actions] == [
        "Team lead",
        "Operations manager",
        "Operations manager",
        "Owner to be named",
    ]


def test_ties_without_horizon_effort_or_impact_count_them_as_first_period_and_medium() -> None:
    package = package_with(
        removed={WEEKLY_REVIEW: ("horizon", "effort", "impact")},
        library={
            "priority": {"formula": "1"},
            "plan": {
                "max_actions": 8,
                "tie_break": ["lower_effort", "higher_impact", "shorter_horizon", "id"],
            },
        },
    )
    result = worst(package)
    assert priorities(result) == pytest.approx(
        {PLAN_MONTH: 1.0, NAME_OWNER: 1.0, COPYING: 1.0, WEEKLY_REVIEW: 1.0}, abs=1e-9
    )
    # effort low (1) before medium (2); then impact high before medium
    assert ids(result.recommendations) == [PLAN_MONTH, NAME_OWNER, COPYING, WEEKLY_REVIEW]

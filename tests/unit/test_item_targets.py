"""Item targets (gap, percent-to-target from zero and from a baseline, progress-to-date) and the
change since a baseline worked out from unrounded scores, against figures worked out by hand.

Item values of the example package used below (0..1, after reverse keying):
plan_horizon none 0, week 1/3, month 2/3, quarter 1; late_share <= 10 % 1, <= 25 % .5, else 0;
missed_reviewed yes 1, no 0; manual_hours (reverse) <= 1 h 1, <= 5 h .5, else 0;
tools_in_use tracker .5 + dashboard .25 + runbook .25; tool_owner nobody 0, volunteer .5,
named 1; meeting_load (reverse) few 1, some .5, many 0; weekly_review rarely 0, monthly .5,
weekly 1 (weight 2).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from scoring import (
    AnswerError,
    ItemTargetProgress,
    Package,
    RespondentAnswers,
    Targets,
    build_package,
    check_targets,
    compare_to_item_targets,
    score_assessment,
)
from tests.unit.example_package import fresh_mappings

TOLERANCE = 1e-9


def small_package(**stage_model_changes: Any) -> Package:
    """The example package built afresh, with the stage model's top-level fields changed."""
    questionnaire, stage_model, recommendations = fresh_mappings()
    stage_model.update(stage_model_changes)
    return build_package(questionnaire, stage_model, recommendations)


PACKAGE = small_package()

TARGETS: dict[str, object] = {
    "plan_horizon": "quarter",  # 1
    "late_share": 10,  # 1
    "missed_reviewed": "yes",  # 1
    "tools_in_use": ["tracker", "dashboard"],  # .75
    "manual_hours": 1,  # 1 (reverse-keyed: an hour or less is best)
    "tool_owner": "named",  # 1
    "meeting_load": "some",  # .5
}
# Current means: plan_horizon (1/3 + 2/3) / 2 = .5, late_share (.5 + 1) / 2 = .75,
# missed_reviewed .5, manual_hours .5 (only A answered), tools_in_use (.5 + .75) / 2 = .625,
# tool_owner 0 (A: not applicable, left out; B: no answer), meeting_load 1 (above its target).
TEAM = [
    RespondentAnswers(
        "a",
        {
            "plan_horizon": "week",
            "late_share": 20,
            "missed_reviewed": "no",
            "manual_hours": 3,
            "tools_in_use": ["tracker"],
            "tool_owner": "na",
            "meeting_load": "few",
        },
        {"role": "manager"},
    ),
    RespondentAnswers(
        "b",
        {
            "plan_horizon": "month",
            "late_share": 5,
            "missed_reviewed": "yes",
            "tools_in_use": ["tracker", "runbook"],
            "meeting_load": "few",
        },
        {"role": "executive"},
    ),
]
# Baseline values: plan_horizon 1/3, late_share .5, missed_reviewed 0, manual_hours 0,
# tools_in_use .25, tool_owner .5, meeting_load .5.
BASELINE_TEAM = [
    RespondentAnswers(
        "c",
        {
            "plan_horizon": "week",
            "late_share": 20,
            "missed_reviewed": "no",
            "manual_hours": 10,
            "tools_in_use": ["dashboard"],
            "tool_owner": "volunteer",
            "meeting_load": "some",
        },
        {"role": "manager"},
    )
]


def by_subject(result: Any) -> dict[str, ItemTargetProgress]:
    figures = result.item_targets
    return {p.subject: p for p in (*figures.dimensions, figures.overall)}


def close(actual: float | None, expected: float) -> bool:
    return actual is not None and abs(actual - expected) < TOLERANCE


def test_gap_and_percent_to_target_from_zero() -> None:
    result = score_assessment(PACKAGE, TEAM, targets=Targets(items=TARGETS))
    figures = result.item_targets
    assert figures is not None
    assert (figures.percent_to_target_from, figures.reference) == ("zero", "zero")
    items = {i.item_id: i for i in figures.items}
    assert list(items) == list(TARGETS)  # questionnaire order
    assert close(items["plan_horizon"].current_value, 0.5)
    assert close(items["tools_in_use"].target_value, 0.75)
    assert close(items["tools_in_use"].gap, 0.125)
    assert items["tool_owner"].current_value == 0.0  # nobody gave it a value
    assert items["meeting_load"].gap == 0.5  # above the target counts as a gap too
    assert items["plan_horizon"].baseline_value is None
    subjects = by_subject(result)
    assert list(subjects) == ["delivery", "tooling", "rhythm", "overall"]
    delivery, tooling, rhythm, overall = subjects.values()
    # delivery: .5 + .25 + .5 = 1.25 of 3; tooling: .5 + .125 + 1 = 1.625 of 2.75;
    # rhythm: .5 of .5; overall: 3.375 of 6.25.
    assert (delivery.item_count, tooling.item_count, overall.item_count) == (3, 3, 7)
    assert close(delivery.gap, 1.25) and close(delivery.reference_gap, 3)
    assert close(delivery.percent_to_target, 100 * (1 - 1.25 / 3))  # 58.33…
    assert close(tooling.gap, 1.625) and close(tooling.reference_gap, 2.75)
    assert close(tooling.percent_to_target, 100 * 1.125 / 2.75)  # 40.90…
    assert close(rhythm.percent_to_target, 0.0)
    assert close(overall.gap, 3.375) and close(overall.reference_gap, 6.25)
    assert close(overall.percent_to_target, 46.0)
    assert all(p.progress_to_date is None for p in subjects.values())  # no baseline


def test_percent_to_target_from_a_baseline_and_progress_to_date() -> None:
    baseline = score_assessment(PACKAGE, BASELINE_TEAM)
    targets = Targets(items=TARGETS, percent_to_target_from="baseline")
    result = score_assessment(PACKAGE, TEAM, targets=targets, baseline=baseline)
    assert result.item_targets is not None and result.item_targets.reference == "baseline"
    delivery, tooling, rhythm, overall = by_subject(result).values()
    # Reference gaps at the baseline: delivery 2/3 + .5 + 1 = 13/6; tooling 1 + .5 + .5 = 2;
    # rhythm |.5 - .5| = 0 (nothing to measure from); overall 25/6.
    assert close(delivery.reference_gap, 13 / 6)
    assert close(delivery.percent_to_target, 100 * (1 - 1.25 / (13 / 6)))  # 42.30…
    assert close(tooling.reference_gap, 2) and close(tooling.percent_to_target, 18.75)
    assert rhythm.reference_gap == 0 and rhythm.percent_to_target is None
    assert close(overall.percent_to_target, 100 * (1 - 3.375 / (25 / 6)))  # 19.0
    assert close(overall.percent_to_target, 19.0)
    # Progress to date: (current - baseline) / (target - baseline), summed over the items.
    # delivery (1.75 - 5/6) / (3 - 5/6) = 11/26; tooling (1.125 - .75) / (2.75 - .75);
    # rhythm: the target equals the baseline; overall (3.875 - 25/12) / (6.25 - 25/12) = .43.
    assert close(delivery.progress_to_date, 11 / 26)
    assert close(tooling.progress_to_date, 0.1875)
    assert rhythm.progress_to_date is None
    assert close(overall.progress_to_date, 0.43)


def test_the_reference_is_zero_when_a_baseline_is_declared_but_there_is_none() -> None:
    targets = Targets(items=TARGETS, percent_to_target_from="baseline")
    figures = score_assessment(PACKAGE, TEAM, targets=targets).item_targets
    assert figures is not None
    assert (figures.percent_to_target_from, figures.reference) == ("baseline", "zero")
    assert close(figures.overall.percent_to_target, 46.0)


def test_from_zero_with_a_baseline_still_gives_progress_to_date() -> None:
    baseline = score_assessment(PACKAGE, BASELINE_TEAM)
    result = score_assessment(PACKAGE, TEAM, targets=Targets(items=TARGETS), baseline=baseline)
    overall = by_subject(result)["overall"]
    assert close(overall.percent_to_target, 46.0) and close(overall.progress_to_date, 0.43)


def test_item_values_handed_in_directly() -> None:
    figures = compare_to_item_targets(
        PACKAGE,
        {"plan_horizon": 0.25},
        Targets(items={"plan_horizon": "month", "weekly_review": "weekly"}),
        {"plan_horizon": 0.0, "weekly_review": 0.5},
    )
    assert figures is not None
    # gap |2/3 - .25| + |1 - 0| = 17/12 of 2/3 + 1 = 5/3 from zero;
    # progress (.25 + 0 - .5) / (2/3 + 1 - .5) = -.25 / (7/6) = -3/14: further away.
    assert close(figures.overall.gap, 17 / 12)
    assert close(figures.overall.percent_to_target, 100 * (1 - (17 / 12) / (5 / 3)))
    assert close(figures.overall.progress_to_date, -3 / 14)
    assert compare_to_item_targets(PACKAGE, {}, Targets(overall="strong")) is None


def test_item_targets_are_checked_as_answers_are() -> None:
    targets = Targets(
        items={
            "plan_horizon": "yearly",
            "ghost": "yes",
            "late_share": 140,
            "improvement_idea": "More focus",
            "tool_owner": "na",
            "tools_in_use": ["none", "tracker"],
            "missed_reviewed": True,
        },
        percent_to_target_from="someday",  # type: ignore[arg-type]
    )
    problems = [(p.field, p.message) for p in check_targets(PACKAGE, targets)]
    assert problems == [
        (
            "targets.items.plan_horizon",
            "'yearly' is not one of the options ['none', 'week', 'month', 'quarter']",
        ),
        ("targets.items.ghost", "no such item in this questionnaire"),
        ("targets.items.late_share", "140 lies outside 0.0..100.0"),
        ("targets.items.improvement_idea", "free text is not scored, so it takes no target"),
        ("targets.items.tool_owner", "a target is an answer with a value; 'na' has none"),
        ("targets.items.tools_in_use", "'none' cannot be combined with other options"),
        ("targets.percent_to_target_from", "'someday' is not one of ['zero', 'baseline']"),
    ]
    with pytest.raises(AnswerError) as refused:
        score_assessment(PACKAGE, TEAM, targets=targets)
    assert {p.field for p in refused.value.problems} >= {"targets.items.ghost"}


# Scores 0..1 with six decimals: the rhythm dimension is (2 x weekly_review + meeting_load) / 3.
SIX_DECIMALS = small_package(
    scale={"min": 0, "max": 1},
    rounding={"decimals": 6, "mode": "half_up"},
    thresholds={
        "overall": {"steady": 0.4, "strong": 0.75},
        "dimension_default": {"steady": 0.4, "strong": 0.75},
        "dimensions": {"tooling": {"steady": 0.35, "strong": 0.7}},
        "rationale": "As the example package, on a 0..1 scale.",
    },
)


def rhythm(weekly_review: str, meeting_load: str, n: int) -> RespondentAnswers:
    answers = {"weekly_review": weekly_review, "meeting_load": meeting_load}
    return RespondentAnswers(f"r{n}", answers, {"role": "manager"})


def test_the_change_since_a_baseline_is_rounded_once_from_unrounded_scores() -> None:
    # Baseline: (2 x 0 + 1) / 3 = 1/3, shown 0.333333. Now: three at (2 x .5 + .5) / 3 = .5
    # and one at (2 x 1 + 0) / 3 = 2/3: mean 13/24 = 0.5416666…, shown 0.541667.
    baseline = score_assessment(SIX_DECIMALS, [rhythm("rarely", "few", 0)])
    team = [rhythm("monthly", "some", n) for n in range(3)] + [rhythm("weekly", "many", 3)]
    result = score_assessment(SIX_DECIMALS, team, baseline=baseline)
    change = {p.subject: p for p in result.progress}["rhythm"]
    assert (change.baseline_score, change.current_score) == (
        Decimal("0.333333"),
        Decimal("0.541667"),
    )
    # 13/24 - 1/3 = 5/24 = 0.2083333…: 0.208333, where the rounded scores differ by 0.208334.
    assert change.score_change == Decimal("0.208333")
    assert change.current_score - change.baseline_score == Decimal("0.208334")


def test_a_fall_rounds_like_a_rise_of_the_same_size() -> None:
    before = score_assessment(SIX_DECIMALS, [rhythm("rarely", "few", 0)])
    team = [rhythm("monthly", "some", n) for n in range(3)] + [rhythm("weekly", "many", 3)]
    after = score_assessment(SIX_DECIMALS, team)
    fall = score_assessment(SIX_DECIMALS, [rhythm("rarely", "few", 0)], baseline=after)
    change = {p.subject: p for p in fall.progress}["rhythm"]
    assert change.score_change == Decimal("-0.208333")
    assert {p.subject: p for p in score_assessment(SIX_DECIMALS, team, baseline=before).progress}[
        "rhythm"
    ].score_change == Decimal("0.208333")

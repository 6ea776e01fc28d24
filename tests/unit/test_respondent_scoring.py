"""One respondent: values, roll-ups, stages with their explanations, N/A, conditions, errors.

Figures are worked out by hand from questionnaires/example (see the comments)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from app.wording import placement_steps
from scoring import AnswerError, GateStep, build_package, score_respondent
from tests.unit.example_package import (
    BEST_ANSWERS,
    EXAMPLE,
    FULL_ANSWERS,
    WORST_ANSWERS,
    fresh_mappings,
)


def scores(result: Any) -> dict[str, Decimal | None]:
    return {d.dimension_id: d.score for d in result.dimensions}


def stages(result: Any) -> dict[str, str | None]:
    return {d.dimension_id: d.stage.stage_id for d in result.dimensions}


def test_a_middling_respondent_worked_by_hand() -> None:
    result = score_respondent(EXAMPLE, FULL_ANSWERS)
    # delivery pools its five items: month 2/3, some .25, 20% -> band .5, yes 1, cause .5
    #   (2/3 + .25 + .5 + 1 + .5) / 5 = .58333 -> 58.3
    # tooling: tracker+runbook .75, 3 hours -> .5 reversed .5, volunteer .5 -> .58333 -> 58.3
    # rhythm: weekly 1 (weight 2), 5-10 hours .5 reversed .5 -> 2.5 / 3 = .83333 -> 83.3
    assert scores(result) == {
        "delivery": Decimal("58.3"),
        "tooling": Decimal("58.3"),
        "rhythm": Decimal("83.3"),
    }
    assert stages(result) == {"delivery": "steady", "tooling": "steady", "rhythm": "strong"}
    # overall: (2 x .58333 + .58333 + .83333) / 4 = .64583 -> 64.6
    assert result.overall.score == Decimal("64.6")
    assert result.overall.stage.stage_id == "steady"
    assert result.overall.stage.decided_by == "threshold"
    assert (
        placement_steps(EXAMPLE, result.overall.stage)[0]
        == "Overall score 64.6 reaches the 40 needed for Steady; Strong needs 75."
    )
    assert result.completeness == 1.0
    assert not result.provisional
    # operations (tooling 58.3%, rhythm 83.3%) = 70.8%, execution 58.3%: both high
    assert result.quadrant is not None
    assert result.quadrant.quadrant_id == "operations_high_execution_high"
    assert result.quadrant.name == "In command"
    assert [s.score for s in result.dimensions[0].subdimensions] == [
        Decimal("45.8"),
        Decimal("66.7"),
    ]


def test_best_and_worst_answers_reach_the_ends_of_the_scale() -> None:
    best = score_respondent(EXAMPLE, BEST_ANSWERS)
    assert set(scores(best).values()) == {Decimal("100.0")}
    assert best.overall.stage.stage_id == "strong"
    worst = score_respondent(EXAMPLE, WORST_ANSWERS)
    assert set(scores(worst).values()) == {Decimal("0.0")}
    assert worst.overall.stage.stage_id == "ad_hoc"
    assert (
        placement_steps(EXAMPLE, worst.overall.stage)[0]
        == "Overall score 0.0 is below the 40 needed for Steady, so Ad hoc."
    )
    assert worst.answers["review_depth"].status == "hidden"
    assert worst.completeness == 1.0


def test_an_answer_to_a_hidden_item_is_kept_but_not_scored() -> None:
    answers = {**BEST_ANSWERS, "missed_reviewed": "no", "review_depth": "fix"}
    result = score_respondent(EXAMPLE, answers)
    assert result.answers["review_depth"].status == "hidden"
    assert result.answers["review_depth"].raw == "fix"
    assert result.answers["review_depth"].value is None


def test_a_gate_on_named_items_caps_a_dimension_and_says_why() -> None:
    # Everything best except the missed-commitment review: delivery (1+1+1+0)/4 = .75 ... 75.0
    # reaches Strong by score, but the gate requires missed_reviewed at 1.
    answers = {**BEST_ANSWERS, "missed_reviewed": "no"}
    result = score_respondent(EXAMPLE, answers)
    delivery = result.dimensions[0]
    assert delivery.score == Decimal("75.0")
    assert delivery.stage.stage_id == "steady"
    assert delivery.stage.decided_by == "requires_items"
    assert delivery.stage.threshold_index == 2
    assert delivery.stage.gate_steps == (
        GateStep(
            "requires_item", 2, capped_index=1, item_id="missed_reviewed", required=1.0, value=0.0
        ),
    )
    # worded with the item's prompt and the 0-100 item scale, never its id or a 0-1 value
    prompt = EXAMPLE.items["missed_reviewed"].prompt
    worded = placement_steps(EXAMPLE, delivery.stage)[1]
    assert worded.startswith(f"Strong needs “{prompt}” answered “Yes”;")
    assert worded.endswith("its item score is 0 out of 100, so the stage is capped at Steady.")
    assert "missed_reviewed" not in worded


def test_the_weakest_link_caps_the_overall_stage() -> None:
    q, s, r = fresh_mappings()
    s["thresholds"]["overall"] = {"steady": 10, "strong": 20}
    package = build_package(q, s, r)
    answers = {**BEST_ANSWERS, "tools_in_use": [], "manual_hours": 40, "tool_owner": "nobody"}
    result = score_respondent(package, answers)
    assert stages(result)["tooling"] == "ad_hoc"
    overall = result.overall.stage
    assert overall.stage_id == "steady"
    assert overall.decided_by == "weakest_link"
    assert overall.gate_steps == (
        GateStep("weakest_link", 0, capped_index=1, dimension_id="tooling", max_above=1),
    )
    assert any(
        step.startswith("Weakest link: Tooling is at Ad hoc")
        for step in placement_steps(package, overall)
    )


def test_thresholds_compare_exactly_despite_float_noise() -> None:
    # 0.1 + 0.2 + 0.1 = 0.4000000000000001 in floats and .39999 in other orders; 40.0 is Steady.
    q, s, r = fresh_mappings()
    q["dimensions"] = [
        {
            "id": "noise",
            "title": "Noise",
            "items": [
                {
                    "id": f"n{i}",
                    "kind": "single_choice",
                    "prompt": f"Q{i}?",
                    "options": [
                        {"id": "a", "label": "A", "value": value},
                        {"id": "b", "label": "B", "value": 0},
                    ],
                }
                for i, value in enumerate((0.1, 0.7, 0.4))
            ],
        }
    ]
    del q["attributes"]
    s["gates"] = []
    del s["quadrants"]
    s["thresholds"] = {
        "overall": {"steady": 40, "strong": 75},
        "dimension_default": {"steady": 40, "strong": 75},
    }
    r["recommendations"] = [r["recommendations"][0] | {"dimension": "noise"}]
    package = build_package(q, s, r)
    result = score_respondent(package, {"n0": "a", "n1": "a", "n2": "a"})
    assert result.overall.raw is not None and result.overall.raw != 0.4  # the float is off ...
    assert result.overall.score == Decimal("40.0")
    assert result.overall.stage.stage_id == "steady"  # ... the stage is not


@pytest.mark.parametrize(
    ("mode", "expected_tooling"),
    [
        ("exclude", Decimal("62.5")),  # (.75 + .5) / 2
        ("zero", Decimal("41.7")),  # (.75 + .5 + 0) / 3
        ("target", Decimal("75.0")),  # (.75 + .5 + 1) / 3
    ],
)
def test_the_na_policy(mode: str, expected_tooling: Decimal) -> None:
    q, s, r = fresh_mappings()
    s["na_policy"]["mode"] = mode
    package = build_package(q, s, r)
    result = score_respondent(package, {**FULL_ANSWERS, "tool_owner": "na"})
    assert scores(result)["tooling"] == expected_tooling
    assert result.answers["tool_owner"].status == "na"


def test_dont_know_counts_as_answered_but_not_scored() -> None:
    result = score_respondent(EXAMPLE, {**FULL_ANSWERS, "review_depth": "dont_know"})
    # delivery without review_depth: (2/3 + .25 + .5 + 1) / 4 = .60417 -> 60.4
    assert scores(result)["delivery"] == Decimal("60.4")
    assert result.completeness == 1.0


def test_missing_answers_lower_completeness_and_mark_the_result_provisional() -> None:
    answers = {key: FULL_ANSWERS[key] for key in ("plan_horizon", "plan_slack", "weekly_review")}
    result = score_respondent(EXAMPLE, answers)
    # required and shown: 10 items minus review_depth (hidden: missed_reviewed unanswered) = 9
    assert result.completeness == pytest.approx(3 / 9)
    assert result.provisional
    assert scores(result)["tooling"] is None
    assert stages(result)["tooling"] is None
    assert result.dimensions[1].stage.decided_by == "no_data"
    assert result.overall.score is not None


def test_no_answers_at_all() -> None:
    result = score_respondent(EXAMPLE, {})
    assert result.overall.score is None
    assert result.overall.stage.stage_id is None
    assert result.quadrant is None
    assert result.completeness == 0.0


def test_reverse_keying_mirrors_the_value() -> None:
    few = score_respondent(EXAMPLE, {**FULL_ANSWERS, "meeting_load": "few"}).answers["meeting_load"]
    many = score_respondent(EXAMPLE, {**FULL_ANSWERS, "meeting_load": "many"}).answers[
        "meeting_load"
    ]
    assert (few.value, many.value) == (1.0, 0.0)


def test_multi_choice_values_add_up_to_at_most_one() -> None:
    result = score_respondent(
        EXAMPLE, {**FULL_ANSWERS, "tools_in_use": ["tracker", "dashboard", "runbook"]}
    )
    assert result.answers["tools_in_use"].value == 1.0


def test_an_exclusive_option_stands_alone() -> None:
    assert (
        score_respondent(EXAMPLE, {**FULL_ANSWERS, "tools_in_use": ["none"]})
        .answers["tools_in_use"]
        .value
        == 0.0
    )
    with pytest.raises(
        AnswerError, match="tools_in_use: 'none' cannot be combined with other options"
    ):
        score_respondent(EXAMPLE, {**FULL_ANSWERS, "tools_in_use": ["tracker", "none"]})


def test_every_bad_answer_is_listed_with_its_field() -> None:
    answers: dict[str, object] = {
        "plan_horizon": "yearly",
        "plan_slack": 3,
        "late_share": 140,
        "missed_reviewed": "maybe",
        "tools_in_use": ["tracker", "tracker"],
        "manual_hours": float("nan"),
        "tool_owner": ["named"],
        "weekly_review": "na",
        "meeting_load": True,
        "improvement_idea": "x" * 501,
        "not_an_item": "a",
    }
    with pytest.raises(AnswerError) as caught:
        score_respondent(EXAMPLE, answers, respondent_id="r1")
    messages = [str(p) for p in caught.value.problems]
    assert messages == [
        "respondent r1: answers.not_an_item: no such item in this questionnaire",
        "respondent r1: answers.plan_horizon: 'yearly' is not one of the options ['none', 'week', 'month', 'quarter']",
        "respondent r1: answers.plan_slack: 3 is not one of the options ['nothing', 'some', 'fixed']",
        "respondent r1: answers.late_share: 140 lies outside 0.0..100.0",
        "respondent r1: answers.missed_reviewed: expected yes or no, got 'maybe'",
        "respondent r1: answers.tools_in_use: an option is chosen twice",
        "respondent r1: answers.manual_hours: expected a finite number",
        "respondent r1: answers.tool_owner: ['named'] is not one of the options ['nobody', 'volunteer', 'named'] (or na)",
        "respondent r1: answers.weekly_review: 'na' is not one of the options ['rarely', 'monthly', 'weekly']",
        "respondent r1: answers.meeting_load: True is not one of the options ['few', 'some', 'many']",
        "respondent r1: answers.improvement_idea: text is longer than 500 characters",
    ]


def test_more_wrong_types() -> None:
    answers: dict[str, object] = {
        "tools_in_use": "tracker",
        "manual_hours": "3",
        "improvement_idea": 5,
        "late_share": True,
    }
    with pytest.raises(AnswerError) as caught:
        score_respondent(EXAMPLE, answers)
    fields = {p.field: p.message for p in caught.value.problems}
    assert fields == {
        "answers.late_share": "expected a number, got True",
        "answers.tools_in_use": "expected a list of options from ['tracker', 'dashboard', 'runbook', 'none']",
        "answers.manual_hours": "expected a number, got '3'",
        "answers.improvement_idea": "expected text",
    }
    with pytest.raises(AnswerError, match=r"\['ghost'\] are not options"):
        score_respondent(EXAMPLE, {"tools_in_use": ["ghost"]})


def worked_rollup(method: str) -> Any:
    q, s, r = fresh_mappings()
    s["rollup"] = method
    if method == "sum":
        points = {"steady": 2, "strong": 4}
        s["thresholds"] = {"overall": {"steady": 5, "strong": 10}, "dimension_default": points}
        s["gates"] = [s["gates"][0]]
    return score_respondent(build_package(q, s, r), FULL_ANSWERS)


def test_mean_of_means_averages_sub_dimensions_as_equal_children() -> None:
    result = worked_rollup("mean_of_means")
    # planning (2/3 + .25)/2 = .45833; follow-through (.5 + 1 + .5)/3 = .66667; delivery = .5625
    assert scores(result)["delivery"] == Decimal("56.3")
    assert scores(result)["tooling"] == Decimal("58.3")


def test_sum_adds_weighted_points() -> None:
    result = worked_rollup("sum")
    # delivery: planning .91667 + follow-through 2.0 = 2.91667 -> 2.9 points; rhythm 2 x 1 + .5 = 2.5
    assert scores(result) == {
        "delivery": Decimal("2.9"),
        "tooling": Decimal("1.8"),
        "rhythm": Decimal("2.5"),
    }
    assert stages(result) == {"delivery": "steady", "tooling": "ad_hoc", "rhythm": "steady"}
    # overall: 2 x 2.91667 + 1.75 + 2.5 = 10.083 points -> Strong by score, capped by the weakest link
    assert result.overall.score == Decimal("10.1")
    assert result.overall.stage.stage_id == "steady"
    assert result.dimensions[0].percent == pytest.approx(2.91667 / 5 * 100, abs=1e-3)

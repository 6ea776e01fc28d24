"""Many respondents: spread, agreement, disputed items, anonymity, targets, progress, ranking."""

from __future__ import annotations

import math
import statistics
from decimal import Decimal

import pytest

from app.wording import recommendation_reason
from scoring import (
    OTHER_GROUP,
    AnswerError,
    RespondentAnswers,
    Targets,
    build_package,
    expected_variance,
    rwg,
    rwg_star_j,
    score_assessment,
    spread,
)
from tests.unit.example_package import (
    BEST_ANSWERS,
    EXAMPLE,
    FULL_ANSWERS,
    WORST_ANSWERS,
    fresh_mappings,
)


def team(
    *answer_sets: dict[str, object], roles: list[str] | None = None
) -> list[RespondentAnswers]:
    roles = roles or ["executive"] * len(answer_sets)
    return [
        RespondentAnswers(f"r{i}", answers, {"role": role})
        for i, (answers, role) in enumerate(zip(answer_sets, roles, strict=True))
    ]


def test_expected_variance_of_a_uniform_answer() -> None:
    assert expected_variance(5) == pytest.approx(0.125)  # (25 - 1) / (12 x 16)
    assert expected_variance(2) == pytest.approx(0.25)
    assert expected_variance(None) == pytest.approx(1 / 12)


def test_rwg_of_one_item_and_of_a_dimension() -> None:
    observed = spread([0.5, 0.75, 0.5, 0.75])
    assert observed is not None
    # sample variance: 4 x .125² / 3 = .020833; rwg = 1 - .020833 / .125 = .8333
    assert rwg(observed, 5) == pytest.approx(1 - (0.0625 / 3) / 0.125)
    assert rwg(spread([0.0, 1.0]), 5) == 0.0  # type: ignore[arg-type]
    assert rwg(spread([0.3]), 5) is None  # type: ignore[arg-type]
    # r*wg(J) with J = 2 items whose ratio s²/σ² is .1667: 1 - mean s² / mean σ² = .8333,
    # the same as one item (the Spearman-Brown rwg(J) would give .9091)
    assert rwg_star_j([(observed, 5), (observed, 5)]) == pytest.approx(5 / 6)
    assert rwg_star_j([(spread([0.1]), 5)]) is None  # type: ignore[list-item]
    assert spread([]) is None


def test_identical_answers_agree_fully() -> None:
    result = score_assessment(EXAMPLE, team(FULL_ANSWERS, FULL_ANSWERS, FULL_ANSWERS))
    assert result.team.dimensions[0].score == Decimal("58.3")
    for stats in result.team.item_stats.values():
        assert stats.rwg in (None, 1.0)
    assert {s.agreement for s in result.team.dimension_stats.values()} == {1.0}
    assert result.disputed_items == ()


def test_opposite_answers_are_the_most_disputed() -> None:
    result = score_assessment(EXAMPLE, team(BEST_ANSWERS, WORST_ANSWERS, FULL_ANSWERS))
    top = result.disputed_items[0]
    assert top.rwg == 0.0
    assert len(result.disputed_items) == 5
    # team delivery = mean of the three delivery scores (1, 0, .58333) = .52778 -> 52.8
    assert result.team.dimensions[0].score == Decimal("52.8")
    stats = result.team.dimension_stats["delivery"]
    assert (stats.n, stats.mean, stats.minimum, stats.maximum) == (
        3,
        Decimal("52.8"),
        Decimal("0.0"),
        Decimal("100.0"),
    )
    assert stats.sd == pytest.approx(
        100 * math.sqrt(((1 - 0.52778) ** 2 + 0.52778**2 + (0.58333 - 0.52778) ** 2) / 2), abs=0.01
    )
    plan = result.team.item_stats["plan_horizon"]
    assert plan.distribution == {"month": 1, "none": 1, "quarter": 1}
    assert result.team.item_stats["late_share"].distribution == {
        "10% or less": 1,
        "11–25%": 1,
        "More than 25%": 1,
    }


def test_the_order_of_respondents_changes_nothing() -> None:
    members = team(
        BEST_ANSWERS, WORST_ANSWERS, FULL_ANSWERS, roles=["executive", "manager", "executive"]
    )
    forward = score_assessment(EXAMPLE, members)
    backward = score_assessment(EXAMPLE, list(reversed(members)))
    assert forward.team.summary == backward.team.summary
    assert forward.team.item_stats == backward.team.item_stats
    assert forward.team.dimension_stats == backward.team.dimension_stats
    assert forward.recommendations == backward.recommendations


def test_small_groups_are_pooled_so_no_one_can_be_singled_out() -> None:
    roles = ["executive"] * 3 + ["manager"] * 3 + ["individual_contributor"]
    result = score_assessment(EXAMPLE, team(*[FULL_ANSWERS] * 7, roles=roles), anonymity_k=3)
    by_role = result.team.breakdowns[0]
    # the lone contributor is too few for a pool, and the team minus executive and manager
    # would give them away, so one of those two groups is withheld: the one listed last.
    assert [(g.value, g.n) for g in by_role.groups] == [("executive", 3)]
    assert by_role.pooled_values == ("individual_contributor",)
    assert by_role.withheld_values == ("manager",)
    assert by_role.unstated == 0
    site = result.team.breakdowns[1]
    assert site.groups == ()  # nobody gave a site


def test_a_team_too_small_for_any_group_shows_only_the_pool() -> None:
    roles = ["executive", "executive", "manager"]
    result = score_assessment(EXAMPLE, team(*[FULL_ANSWERS] * 3, roles=roles), anonymity_k=3)
    assert [(g.value, g.n) for g in result.team.breakdowns[0].groups] == [(OTHER_GROUP, 3)]
    alone = score_assessment(EXAMPLE, team(FULL_ANSWERS, FULL_ANSWERS), anonymity_k=3)
    assert alone.team.breakdowns[0].groups == ()


def test_gap_to_targets_and_progress_since_a_baseline() -> None:
    baseline = score_assessment(EXAMPLE, team(WORST_ANSWERS))
    result = score_assessment(
        EXAMPLE,
        team(FULL_ANSWERS),
        targets=Targets(overall="strong", dimensions={"tooling": "steady"}),
        baseline=baseline,
    )
    gaps = {g.subject: g for g in result.targets}
    assert (
        gaps["delivery"].stage_gap,
        gaps["delivery"].target_score,
        gaps["delivery"].percent_to_target,
    ) == (1, Decimal(75), 77.7)
    assert gaps["tooling"].met and gaps["tooling"].percent_to_target == 100.0
    assert gaps["rhythm"].met
    assert gaps["overall"].stage_gap == 1
    progress = {p.subject: p for p in result.progress}
    assert progress["delivery"].score_change == Decimal("58.3")
    assert progress["delivery"].stage_change == 1
    assert progress["overall"].stage_change == 1


def test_recommendations_are_ranked_by_the_documented_formula() -> None:
    result = score_assessment(EXAMPLE, team(WORST_ANSWERS))
    # impact x (1 + gap) x relative weight / effort; delivery weighs 2 / (4/3) = 1.5, others .75
    ranked = [(r.recommendation.id, round(r.priority, 2)) for r in result.recommendations]
    assert ranked == [
        ("delivery-plan-month", 9.0),  # 3 x 2 x 1.5 / 1
        ("rhythm-weekly-review", 4.5),  # 3 x 2 x .75 / 1
        ("tooling-name-owner", 3.0),  # 2 x 2 x .75 / 1
        ("trigger-copying-hours", 2.25),  # 3 x 2 x .75 / 2: 40 hours of copying
    ]
    assert [r.recommendation.id for r in result.roadmap[30]] == [r for r, _ in ranked]
    assert result.roadmap[60] == ()
    top = result.recommendations[0]
    assert (top.stage_gap, top.stage_index, top.weight) == (1, 0, 1.5)
    assert recommendation_reason(EXAMPLE, top).startswith(
        "Delivery is at Ad hoc, one stage below its target: impact high (3) × (1 + 1)"
    )


def test_targets_widen_the_gap_and_the_top_stage_needs_nothing() -> None:
    result = score_assessment(EXAMPLE, team(FULL_ANSWERS), targets=Targets(overall="strong"))
    ranked = [(r.recommendation.id, round(r.priority, 2)) for r in result.recommendations]
    # rhythm is already Strong; delivery and tooling are one stage short
    assert ranked == [("delivery-review-misses", 4.5), ("tooling-automate-copying", 1.0)]
    assert [r.recommendation.id for r in result.roadmap[60]] == ["delivery-review-misses"]


def test_a_trigger_fires_for_a_team_when_enough_answers_match() -> None:
    heavy = {**FULL_ANSWERS, "manual_hours": 40}
    half = score_assessment(EXAMPLE, team(heavy, FULL_ANSWERS))
    assert "trigger-copying-hours" in {r.recommendation.id for r in half.recommendations}
    third = score_assessment(EXAMPLE, team(heavy, FULL_ANSWERS, FULL_ANSWERS))
    assert "trigger-copying-hours" not in {r.recommendation.id for r in third.recommendations}


def test_every_problem_of_every_respondent_is_reported_before_scoring() -> None:
    members = [
        RespondentAnswers("a", {"plan_horizon": "yearly"}, {"role": "executive"}),
        RespondentAnswers("a", {}, {"role": "chief"}),
        RespondentAnswers("b", {}, {"site": "west", "shoe_size": "9"}),
    ]
    with pytest.raises(AnswerError) as caught:
        score_assessment(
            EXAMPLE,
            members,
            targets=Targets(overall="legendary", dimensions={"tooling": "x", "ghost": "strong"}),
        )
    assert [str(p) for p in caught.value.problems] == [
        "respondent a: id: respondent id used twice",
        "targets.overall: unknown stage; stages: ['ad_hoc', 'steady', 'strong']",
        "targets.dimensions.tooling: unknown stage; stages: ['ad_hoc', 'steady', 'strong']",
        "targets.dimensions.ghost: unknown dimension; dimensions: ['delivery', 'rhythm', 'tooling']",
        "respondent a: answers.plan_horizon: 'yearly' is not one of the options ['none', 'week', 'month', 'quarter']",
        "respondent a: attributes.role: 'chief' is not one of ['executive', 'manager', 'individual_contributor']",
        "respondent b: attributes.shoe_size: unknown attribute; known: ['role', 'site']",
        "respondent b: attributes.role: required",
        "respondent b: attributes.site: 'west' is not one of ['north', 'south']",
    ]
    with pytest.raises(AnswerError, match="at least one respondent"):
        score_assessment(EXAMPLE, [])


def test_item_figures_equal_a_plain_count_over_every_answer() -> None:
    """Answers are counted once per distinct answer; the figures are those of every answer."""
    hidden_with_a_mapping = {**WORST_ANSWERS, "review_depth": {"not": "hashable"}}
    dont_know = {**FULL_ANSWERS, "review_depth": "dont_know", "tool_owner": "na"}
    blank = {key: value for key, value in FULL_ANSWERS.items() if key != "manual_hours"}
    members = team(
        BEST_ANSWERS, hidden_with_a_mapping, dont_know, blank, FULL_ANSWERS, FULL_ANSWERS
    )
    result = score_assessment(EXAMPLE, members)
    for item_id, stats in result.team.item_stats.items():
        answers = [r.answers[item_id] for r in result.respondents]
        values = [a.value for a in answers if a.value is not None and a.status != "missing"]
        assert stats.n == len(values), item_id
        if values:
            assert stats.mean == pytest.approx(statistics.fmean(values)), item_id
            assert stats.sd == pytest.approx(
                statistics.stdev(values) if len(values) > 1 else 0.0
            ), item_id
            assert (stats.minimum, stats.maximum) == (min(values), max(values)), item_id
    distributions = {i: s.distribution for i, s in result.team.item_stats.items()}
    assert distributions["tools_in_use"] == {"dashboard": 1, "runbook": 5, "tracker": 5}
    assert distributions["review_depth"] == {"cause": 3, "dont_know": 1, "fix": 1}
    assert distributions["tool_owner"] == {"na": 1, "named": 1, "nobody": 1, "volunteer": 3}
    assert distributions["missed_reviewed"] == {"no": 1, "yes": 5}
    assert distributions["manual_hours"] == {
        "2–5 hours": 3,  # three answered 3; one left it blank
        "An hour or less": 1,
        "More than 5 hours": 1,
    }
    assert distributions["improvement_idea"] == {}


def test_a_declared_value_called_other_is_not_the_pool_of_small_groups() -> None:
    questionnaire, stage_model, library = fresh_mappings()
    questionnaire["attributes"][0]["values"].append({"id": "other", "label": "Other"})
    package = build_package(questionnaire, stage_model, library)
    roles = ["other"] * 3 + ["executive"] * 3 + ["manager"] + ["individual_contributor"] * 2
    result = score_assessment(package, team(*[FULL_ANSWERS] * 9, roles=roles), anonymity_k=3)
    by_role = result.team.breakdowns[0]
    assert OTHER_GROUP != "other"
    assert by_role.pooled_values == ("individual_contributor", "manager")
    # three groups of three, none merged: the declared "Other" and the pool of the small ones
    assert {(g.value, g.label, g.n) for g in by_role.groups} == {
        ("other", "Other", 3),
        ("executive", "Executive", 3),
        (OTHER_GROUP, "Other (pooled)", 3),
    }
    assert by_role.withheld_values == ()

"""A stage model without thresholds: levels and no stage bands, as published models such as OWASP
SAMM and DSOMM score. Written for the tests: a SAMM-like three-level package whose business
functions average their practices, practices average their streams, and streams sum their three
questions, so a stream's score is its level from 0 to 3. Every score is worked out by hand and
checked to 1e-9 before the display rounding; nothing is placed in a stage."""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

import pytest

from app.wording import placement_steps
from app.wording.findings import finding_sentence
from scoring import (
    AnswerError,
    DefinitionError,
    Package,
    RespondentAnswers,
    Targets,
    build_package,
    check_targets,
    score_assessment,
)
from scoring.package import _hashed_dump

_EXTENT = [
    {"id": "none", "label": "No", "value": 0.0},
    {"id": "partly", "label": "Partly", "value": 0.5},
    {"id": "fully", "label": "Fully", "value": 1.0},
]


def _stream(stream_id: str) -> dict[str, Any]:
    return {
        "id": stream_id,
        "title": stream_id,
        "items": [
            {"id": f"{stream_id}_1", "kind": "yes_no", "prompt": f"{stream_id}: first step?"},
            {"id": f"{stream_id}_2", "kind": "yes_no", "prompt": f"{stream_id}: second step?"},
            {
                "id": f"{stream_id}_3",
                "kind": "scale",
                "prompt": f"{stream_id}: how far is it measured?",
                "options": _EXTENT,
            },
        ],
    }


def _practice(practice_id: str) -> dict[str, Any]:
    return {
        "id": practice_id,
        "title": practice_id.title(),
        "dimensions": [_stream(f"{practice_id}_a"), _stream(f"{practice_id}_b")],
    }


QUESTIONNAIRE: dict[str, Any] = {
    "id": "levels-only",
    "version": "1.0.0",
    "title": "A levels-only model",
    "dimensions": [
        {
            "id": "governance",
            "title": "Governance",
            "dimensions": [_practice("strategy"), _practice("policy")],
        },
        {"id": "verification", "title": "Verification", "dimensions": [_practice("testing")]},
    ],
}

STAGE_MODEL: dict[str, Any] = {
    "id": "levels-only",
    "version": "1.0.0",
    "title": "Maturity levels",
    "rollup": "mean",
    "rollup_levels": ["mean", "mean", "sum"],
    "rounding": {"decimals": 2},
    "missing_answers": {"mode": "zero"},
    "stages": [
        {"id": f"level{n}", "name": f"Level {n}", "summary": f"Level {n}."} for n in range(4)
    ],
}

LIBRARY: dict[str, Any] = {
    "id": "levels-only",
    "version": "1.0.0",
    "recommendations": [
        {
            "id": "write-a-strategy",
            "title": "Write the strategy down",
            "dimension": "governance",
            "from_stage": "level0",
            "to_stage": "level1",
            "rationale": "A strategy on paper can be checked.",
            "owner_role": "CISO",
            "horizon": 30,
        },
        {
            "id": "publish-a-policy",
            "title": "Publish one policy",
            "trigger": {"item": "policy_b_1", "answer_in": ["no"]},
            "rationale": "A first policy gives the rest a place to hang.",
            "owner_role": "CISO",
            "horizon": 60,
        },
    ],
}

# strategy_a 1 + 1 + 0 = 2, strategy_b 1 + 0 + 0 = 1: strategy 1.5;
# policy_a 1 + 1 + .5 = 2.5, policy_b 0: policy 1.25; governance (1.5 + 1.25) / 2 = 1.375;
# testing_a 1 + 1 + 1 = 3, testing_b 1 + 0 + .5 = 1.5: testing = verification = 2.25;
# overall (1.375 + 2.25) / 2 = 1.8125.
ANSWERS: dict[str, object] = {
    "strategy_a_1": "yes",
    "strategy_a_2": "yes",
    "strategy_a_3": "none",
    "strategy_b_1": "yes",
    "strategy_b_2": "no",
    "strategy_b_3": "none",
    "policy_a_1": "yes",
    "policy_a_2": "yes",
    "policy_a_3": "partly",
    "policy_b_1": "no",
    "policy_b_2": "no",
    "policy_b_3": "none",
    "testing_a_1": "yes",
    "testing_a_2": "yes",
    "testing_a_3": "fully",
    "testing_b_1": "yes",
    "testing_b_2": "no",
    "testing_b_3": "partly",
}
# Every step taken: every stream at 3.
ALL_THERE: dict[str, object] = {
    item_id: ("fully" if item_id.endswith("_3") else "yes") for item_id in ANSWERS
}


def levels_package(**stage_model_changes: Any) -> Package:
    stage_model = {**copy.deepcopy(STAGE_MODEL), **stage_model_changes}
    return build_package(QUESTIONNAIRE, stage_model, LIBRARY)


def _problems(**stage_model_changes: Any) -> list[str]:
    with pytest.raises(DefinitionError) as raised:
        levels_package(**stage_model_changes)
    return [f"{p.location}: {p.message}" for p in raised.value.problems]


def test_a_model_without_thresholds_is_valid() -> None:
    package = levels_package()
    assert package.stage_model.thresholds is None
    assert not package.places_stages
    assert package.overall_thresholds == ()
    assert set(package.dimension_thresholds.values()) == {()}


def test_its_content_hash_leaves_the_absent_thresholds_out() -> None:
    package = levels_package()
    model = package.stage_model
    assert "thresholds" not in _hashed_dump(model, model.model_dump(mode="json"))


def test_scores_roll_up_as_before_to_1e_9() -> None:
    result = score_assessment(levels_package(), [RespondentAnswers("ciso", ANSWERS, {})])
    respondent = result.respondents[0]
    raws = respondent.dimension_raws
    expected = {
        "strategy_a": 2.0,
        "strategy_b": 1.0,
        "strategy": 1.5,
        "policy_a": 2.5,
        "policy_b": 0.0,
        "policy": 1.25,
        "governance": 1.375,
        "testing_a": 3.0,
        "testing_b": 1.5,
        "testing": 2.25,
        "verification": 2.25,
    }
    for dimension_id, value in expected.items():
        assert raws[dimension_id] == pytest.approx(value, abs=1e-9), dimension_id
    assert respondent.overall.raw == pytest.approx(1.8125, abs=1e-9)
    team = result.team
    assert team.overall.score == Decimal("1.81")  # 1.8125, half up to two decimals
    assert [(d.dimension_id, d.score) for d in team.dimensions] == [
        ("governance", Decimal("1.38")),
        ("verification", Decimal("2.25")),
    ]
    # the sub-dimension scorecard keeps its scores: governance's practices and their streams
    governance = team.dimensions[0]
    assert [(s.dimension_id, s.score) for s in governance.subdimensions] == [
        ("strategy", Decimal("1.50")),
        ("policy", Decimal("1.25")),
    ]
    assert [s.score for s in governance.subdimensions[1].subdimensions] == [
        Decimal("2.50"),
        Decimal(0),
    ]


def test_every_placement_says_no_stages_and_keeps_its_score() -> None:
    result = score_assessment(levels_package(), [RespondentAnswers("ciso", ANSWERS, {})])
    placements = [
        result.team.overall.stage,
        *(d.stage for d in result.team.dimensions),
        result.respondents[0].overall.stage,
        *(d.stage for d in result.respondents[0].dimensions),
    ]
    for placement in placements:
        assert placement is not None
        assert (placement.stage_id, placement.stage_index) == (None, None)
        assert placement.decided_by == "no_stages"
        assert placement.score is not None
        assert placement.threshold_index is None
        assert placement.gate_steps == ()
    assert result.team.overall.stage.score == Decimal("1.81")


def test_a_dimension_without_answers_is_not_placed_either() -> None:
    answers = {k: v for k, v in ANSWERS.items() if not k.startswith("testing")}
    answers.update({"testing_a_1": "yes"})
    package = levels_package(missing_answers={"mode": "exclude"})
    result = score_assessment(package, [RespondentAnswers("ciso", answers, {})])
    placement = result.team.overall.stage
    assert placement.decided_by == "no_stages" and placement.stage_id is None
    assert placement_steps(package, placement) == (
        "This model places no stages; the score is the maturity level.",
    )


def test_the_team_reading_claims_no_stage() -> None:
    result = score_assessment(
        levels_package(),
        [RespondentAnswers("a", ANSWERS, {}), RespondentAnswers("b", ALL_THERE, {})],
    )
    team = result.team
    # governance (1.375 + 3) / 2 = 2.1875; verification (2.25 + 3) / 2 = 2.625
    raws = {d.dimension_id: d.raw for d in team.dimensions}
    assert raws["governance"] == pytest.approx(2.1875, abs=1e-9)
    assert raws["verification"] == pytest.approx(2.625, abs=1e-9)
    assert team.overall.raw == pytest.approx(2.40625, abs=1e-9)
    assert team.overall.score == Decimal("2.41")
    for stats in team.dimension_stats.values():
        assert stats.interval is not None
        assert stats.borderline is None
        assert stats.stage_span is None
        assert not stats.contested
    assert team.overall_stats.interval is not None
    assert team.overall_stats.borderline is None
    assert team.overall_stats.contested_dimensions == ()
    codes = {f.code for f in team.findings}
    assert "split" not in codes and "borderline" not in codes
    package = levels_package()
    for finding in team.findings:
        assert "stage" not in finding_sentence(package, finding), finding


def test_stage_recommendations_cannot_fire_but_triggered_ones_do() -> None:
    result = score_assessment(levels_package(), [RespondentAnswers("ciso", ANSWERS, {})])
    assert [r.recommendation.id for r in result.recommendations] == ["publish-a-policy"]
    ranked = result.recommendations[0]
    assert ranked.stage_index is None and ranked.matching == 1


def test_item_targets_work_as_before() -> None:
    targets = Targets(items={"policy_b_1": "yes", "testing_a_3": "fully"})
    result = score_assessment(
        levels_package(), [RespondentAnswers("ciso", ANSWERS, {})], targets=targets
    )
    assert result.targets == ()
    item_targets = result.item_targets
    assert item_targets is not None
    # policy_b_1 is at 0 of its target 1, testing_a_3 at its target: gap 1 of a reference 2
    assert item_targets.overall.gap == pytest.approx(1.0, abs=1e-9)
    assert item_targets.overall.percent_to_target == pytest.approx(50.0, abs=1e-9)


def test_stage_targets_are_refused_with_a_clear_message() -> None:
    package = levels_package()
    problems = check_targets(package, Targets(overall="level2", dimensions={"governance": "x"}))
    assert [p.field for p in problems] == ["targets.overall", "targets.dimensions.governance"]
    for problem in problems:
        assert "no thresholds" in problem.message
        assert "no stage to aim at" in problem.message
    with pytest.raises(AnswerError, match="places no stages"):
        score_assessment(
            package, [RespondentAnswers("ciso", ANSWERS, {})], targets=Targets(overall="level1")
        )


@pytest.mark.parametrize(
    "gate",
    [
        {"kind": "weakest_link"},
        {"kind": "requires_items", "stage": "level2", "items": [{"item": "policy_a_1"}]},
    ],
    ids=["weakest_link", "requires_items"],
)
def test_a_gate_is_refused_without_thresholds(gate: dict[str, Any]) -> None:
    if gate["kind"] == "requires_items":
        gate["items"][0]["min_value"] = 1.0
    problems = _problems(gates=[gate])
    assert problems == [
        f"gates[0]: a {gate['kind']} gate caps a stage, but this model has no thresholds and "
        "places no stages: add thresholds or remove the gate"
    ]


def test_a_model_with_thresholds_keeps_its_checks() -> None:
    thresholds = {"overall": {"level1": 1, "level2": 2, "level3": 3}}
    problems = _problems(thresholds=thresholds)
    assert problems == [
        "thresholds: dimension 'governance' has no thresholds and there is no dimension_default",
        "thresholds: dimension 'verification' has no thresholds and there is no dimension_default",
    ]
    placed = levels_package(thresholds={**thresholds, "dimension_default": thresholds["overall"]})
    result = score_assessment(placed, [RespondentAnswers("ciso", ANSWERS, {})])
    # 1.81 reaches level1 (1) but not level2 (2)
    assert result.team.overall.stage.stage_id == "level1"
    assert result.team.overall.stage.decided_by == "threshold"


def test_progress_since_a_baseline_is_in_scores_only() -> None:
    package = levels_package()
    baseline = score_assessment(package, [RespondentAnswers("ciso", ANSWERS, {})])
    current = score_assessment(
        package, [RespondentAnswers("ciso", ALL_THERE, {})], baseline=baseline
    )
    overall = next(p for p in current.progress if p.subject == "overall")
    assert overall.score_change == Decimal("1.19")  # 3 - 1.8125 = 1.1875, half up
    assert (overall.baseline_stage, overall.current_stage, overall.stage_change) == (
        None,
        None,
        None,
    )

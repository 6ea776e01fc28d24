"""Roll-ups per dimension level and the missing-answer rule, on a SAMM-like three-level package
written for the tests: business functions average their practices, practices average their
streams, streams sum their questions (answers worth 0, .25, .5 and 1), and an unanswered
question counts as zero. Every figure is worked out by hand and checked to 1e-9 before the
display rounding."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest

from scoring import DefinitionError, Package, RespondentAnswers, build_package, score_assessment
from scoring.rollup import raw_ceiling
from tests.conftest import REPO_ROOT

SAMM_ANSWERS = [
    {"id": "none", "label": "No"},
    {"id": "some", "label": "Yes, for some", "value": 0.25},
    {"id": "half", "label": "Yes, for at least half", "value": 0.5},
    {"id": "most", "label": "Yes, for most or all", "value": 1.0},
]


def _question(item_id: str) -> dict[str, Any]:
    return {
        "id": item_id,
        "kind": "scale",
        "prompt": f"Question {item_id}?",
        "required": False,
        "options": [{**o, "value": o.get("value", 0.0)} for o in SAMM_ANSWERS],
    }


def _stream(stream_id: str) -> dict[str, Any]:
    return {
        "id": stream_id,
        "title": stream_id,
        "items": [_question(f"{stream_id}_1"), _question(f"{stream_id}_2")],
    }


def _practice(practice_id: str) -> dict[str, Any]:
    return {
        "id": practice_id,
        "title": practice_id,
        "dimensions": [_stream(f"{practice_id}_a"), _stream(f"{practice_id}_b")],
    }


QUESTIONNAIRE = {
    "id": "samm-like",
    "version": "1.0.0",
    "title": "A SAMM-like model",
    "dimensions": [
        {"id": "design", "title": "Design", "dimensions": [_practice("threat"), _practice("arch")]},
        {"id": "verify", "title": "Verification", "dimensions": [_practice("testing")]},
    ],
}


def _stage_model(**changes: Any) -> dict[str, Any]:
    model = {
        "id": "samm-like",
        "version": "1.0.0",
        "title": "Maturity levels",
        "rollup": "mean",
        "rollup_levels": ["mean", "mean", "sum"],
        "rounding": {"decimals": 2},
        "missing_answers": {"mode": "zero"},
        "stages": [
            {"id": "level0", "name": "Level 0", "summary": "Not started."},
            {"id": "level1", "name": "Level 1", "summary": "Ad hoc."},
            {"id": "level2", "name": "Level 2", "summary": "Defined."},
        ],
        "thresholds": {
            "overall": {"level1": 0.5, "level2": 1.0},
            "dimension_default": {"level1": 0.5, "level2": 1.0},
        },
    }
    model.update(changes)
    return model


LIBRARY = {
    "id": "samm-like",
    "version": "1.0.0",
    "recommendations": [
        {
            "id": "threat-model",
            "title": "Model the threats of one application",
            "dimension": "design",
            "from_stage": "level0",
            "to_stage": "level1",
            "rationale": "A first model shows where to look.",
            "owner_role": "Security lead",
            "horizon": 30,
            "effort": "low",
            "impact": "high",
        }
    ],
}

# threat_a: 1 + 0 (unanswered) = 1; threat_b: .25 + .5 = .75; arch_a: .5 + .5 = 1;
# arch_b: nothing answered; testing_a: 0 + .25 = .25; testing_b: 1 + 1 = 2.
ANSWERS = {
    "threat_a_1": "most",
    "threat_b_1": "some",
    "threat_b_2": "half",
    "arch_a_1": "half",
    "arch_a_2": "half",
    "testing_a_1": "none",
    "testing_a_2": "some",
    "testing_b_1": "most",
    "testing_b_2": "most",
}


def _package(**stage_model_changes: Any) -> Package:
    return build_package(QUESTIONNAIRE, _stage_model(**stage_model_changes), LIBRARY)


def _raws(package: Package) -> dict[str, float | None]:
    result = score_assessment(package, [RespondentAnswers("a", ANSWERS, {})])
    raws = dict(result.respondents[0].dimension_raws)
    raws["overall"] = result.respondents[0].overall.raw
    return raws


def test_unanswered_questions_count_as_zero_and_streams_sum() -> None:
    raws = _raws(_package())
    # streams sum; arch_b's two unanswered questions count 0 + 0
    assert raws["threat_a"] == pytest.approx(1.0, abs=1e-9)
    assert raws["threat_b"] == pytest.approx(0.75, abs=1e-9)
    assert raws["arch_b"] == pytest.approx(0.0, abs=1e-9)
    # practices average their streams: threat (1 + .75) / 2 = .875; arch (1 + 0) / 2 = .5
    assert raws["threat"] == pytest.approx(0.875, abs=1e-9)
    assert raws["arch"] == pytest.approx(0.5, abs=1e-9)
    # functions average their practices: design (.875 + .5) / 2 = .6875; verify = testing
    # = (.25 + 2) / 2 = 1.125; overall (.6875 + 1.125) / 2 = .90625
    assert raws["design"] == pytest.approx(0.6875, abs=1e-9)
    assert raws["verify"] == pytest.approx(1.125, abs=1e-9)
    assert raws["overall"] == pytest.approx(0.90625, abs=1e-9)


def test_left_out_unanswered_questions_flatter_a_half_filled_assessment() -> None:
    raws = _raws(_package(missing_answers={"mode": "exclude"}))
    # threat_a: 1 alone; arch_b: no score, so arch = arch_a = 1; design (.875 + 1) / 2 = .9375
    assert raws["threat_a"] == pytest.approx(1.0, abs=1e-9)
    assert raws["arch_b"] is None
    assert raws["design"] == pytest.approx(0.9375, abs=1e-9)
    assert raws["overall"] == pytest.approx(1.03125, abs=1e-9)


def test_a_dimension_overrides_the_missing_answer_rule() -> None:
    policy = {"mode": "zero", "dimensions": {"arch": {"mode": "value", "value": 0.25}}}
    raws = _raws(_package(missing_answers=policy))
    # under arch, an unanswered question counts .25: arch_b = .5, arch = (1 + .5) / 2 = .75;
    # threat keeps zero: .875. design (.875 + .75) / 2 = .8125; overall (.8125 + 1.125) / 2
    assert raws["arch_b"] == pytest.approx(0.5, abs=1e-9)
    assert raws["design"] == pytest.approx(0.8125, abs=1e-9)
    assert raws["overall"] == pytest.approx(0.96875, abs=1e-9)


def test_points_scores_their_ceiling_and_display() -> None:
    package = _package()
    assert package.rollups.in_points
    # every question at 1: a stream 2, a practice mean 2, a function 2, overall 2
    assert raw_ceiling(package, package.dimension("threat_a")) == pytest.approx(2.0)
    assert raw_ceiling(package, None) == pytest.approx(2.0)
    result = score_assessment(package, [RespondentAnswers("a", ANSWERS, {})])
    percents = {d.dimension_id: d.percent for d in result.team.dimensions}
    assert percents["design"] == pytest.approx(0.6875 / 2 * 100)  # of its ceiling, 2 points
    scores = {d.dimension_id: d.score for d in result.team.dimensions}
    assert scores == {"design": Decimal("0.69"), "verify": Decimal("1.13")}  # half up
    assert result.team.overall.score == Decimal("0.91")
    assert result.team.overall.stage is not None
    assert result.team.overall.stage.stage_id == "level1"


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # arch's streams are arch_a = 1 and arch_b = 0
        ("max", 1.0),
        ("min", 0.0),
        ("mean", 0.5),
        ("sum", 1.0),
        # children weigh 1 each: the same as the plain mean here
        ("mean_of_means", 0.5),
        # the four questions beneath arch pooled: (.5 + .5 + 0 + 0) / 4
        ("weighted_mean", 0.25),
    ],
)
def test_each_roll_up_method_on_one_dimension(method: str, expected: float) -> None:
    raws = _raws(_package(rollup_dimensions={"arch": method}))
    assert raws["arch"] == pytest.approx(expected, abs=1e-9)


def test_an_unknown_dimension_in_a_roll_up_or_missing_rule_is_refused() -> None:
    with pytest.raises(DefinitionError) as raised:
        _package(
            rollup_dimensions={"nowhere": "max"},
            missing_answers={"dimensions": {"elsewhere": {"mode": "zero"}}},
        )
    locations = {problem.location for problem in raised.value.problems}
    assert locations == {"rollup_dimensions.nowhere", "missing_answers.dimensions.elsewhere"}


ROLLUP_KIND = re.compile(
    r"""(?<!scoring)\.rollup\b(?!s)|rollup\s*[!=]=|["'](?:sum|weighted_mean|mean_of_means)["']"""
)


def test_no_check_of_the_roll_up_kind_outside_the_roll_up_module() -> None:
    allowed = {REPO_ROOT / "scoring" / "rollup.py", REPO_ROOT / "scoring" / "stage_model.py"}
    found = [
        f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
        for folder in ("scoring", "app")
        for path in sorted((REPO_ROOT / folder).rglob("*.py"))
        if path not in allowed
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if ROLLUP_KIND.search(line)
    ]
    assert not found

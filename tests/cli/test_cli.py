"""The command line as a consultant uses it, including the README's answers example."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from app.cli import main
from app.cli.score_command import score_answers_file
from tests.conftest import QUESTIONNAIRES, REPO_ROOT


def readme_block(language: str, containing: str) -> str:
    blocks = re.findall(rf"```{language}\n(.*?)```", (REPO_ROOT / "README.md").read_text(), re.S)
    return next(block for block in blocks if containing in block)


@pytest.fixture
def readme_answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(readme_block("yaml", "respondents:"))
    return path


def test_validate_accepts_every_shipped_package(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate"]) == 0
    assert "ok  example 1.0.0  11 items" in capsys.readouterr().out


def test_validate_one_package_by_folder_or_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(QUESTIONNAIRES / "example" / "1.0.0")]) == 0
    assert main(["validate", str(QUESTIONNAIRES / "example" / "1.0.0" / "questionnaire.yaml")]) == 0
    assert capsys.readouterr().out.count("ok  example") == 2


def test_validate_lists_every_problem_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "example"
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", broken)
    questionnaire = broken / "questionnaire.yaml"
    questionnaire.write_text(
        questionnaire.read_text()
        .replace("kind: yes_no", "kind: yes-no")
        .replace("weight: 2\n    dimensions", "weight: -2\n    dimensions")
    )
    stage_model = broken / "stage_model.yaml"
    stage_model.write_text(
        stage_model.read_text().replace(
            "steady: 40, strong: 75}\n  dimension_default",
            "steady: 80, strong: 75}\n  dimension_default",
        )
    )
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert (
        f"{broken}/questionnaire.yaml: dimensions[delivery].weight: Input should be greater than 0"
        in err
    )
    assert any(
        line.startswith(
            f"{broken}/questionnaire.yaml: dimensions[delivery].dimensions[follow_through].items[missed_reviewed].kind: Input should be"
        )
        for line in err
    )
    assert err[-1] == "2 problem(s) found"
    questionnaire.write_text(
        questionnaire.read_text()
        .replace("kind: yes-no", "kind: yes_no")
        .replace("weight: -2", "weight: 2")
    )
    assert main(["validate", str(broken)]) == 1
    assert (
        capsys.readouterr().err.splitlines()[0]
        == f"{broken}/stage_model.yaml: thresholds.overall: thresholds must rise strictly from stage to stage"
    )


def test_validate_reports_yaml_syntax_and_missing_folders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "bad"
    package.mkdir()
    (package / "questionnaire.yaml").write_text("id: bad\n  title: [unclosed\n")
    assert main(["validate", str(package)]) == 1
    assert "bad/questionnaire.yaml: line 2, column 8: not valid YAML" in capsys.readouterr().err
    assert main(["validate", str(tmp_path / "nowhere")]) == 2
    assert main(["validate", str(tmp_path / "bad" / "..")]) == 1


def test_a_package_may_not_reach_outside_the_questionnaires_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    package = tmp_path / "sneaky"
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", package)
    text = (package / "questionnaire.yaml").read_text()
    (package / "questionnaire.yaml").write_text(
        text.replace("listed: false", "listed: false\nstage_model: ../../../etc/passwd")
    )
    assert main(["validate", str(package)]) == 1
    assert (
        "stage_model: '../../../etc/passwd' points outside the questionnaires folder"
        in capsys.readouterr().err
    )


def test_score_the_readme_example_as_a_table(
    readme_answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(readme_answers)]) == 0
    out = capsys.readouterr().out
    assert "Example team pulse 1.0.0: 3 respondent(s)" in out
    assert re.search(
        r"Delivery\s+\d+\.\d\s+[█·]+\s+(Ad hoc|Steady|Strong)\s+3\s+\d+\.\d\s+\d\.\d\d", out
    )
    assert "Most disputed questions (item scores 0–100)" in out
    assert "Target overall: strong" in out
    assert "Recommendations (highest priority first)" in out
    assert "   1. [30d] Make reviews about causes, not people" not in out  # kim does not know


def test_score_the_readme_example_as_json(
    readme_answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["score", str(readme_answers), "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["respondent_count"] == 3
    assert [d["id"] for d in result["dimensions"]] == ["delivery", "tooling", "rhythm"]
    assert all(d["stage"]["explanation"] for d in result["dimensions"])
    assert set(result["dimensions"][0]["spread"]) == {
        "n",
        "mean",
        "sd",
        "min",
        "max",
        "rwg",
        "agreement",
        "agreement_level",
        "interval",
        "borderline",
        "contested",
        "stage_span",
        "reading",
    }
    spread = result["dimensions"][0]["spread"]
    assert spread["rwg"] == spread["agreement"], "rwg is the old name of agreement"
    assert set(spread["interval"]) == {"low", "high", "n"}
    assert result["disputed_items"][0]["rwg"] is not None
    assert result["disputed_items"][0]["agreement_level"] is not None
    assert result["findings"] and {"code", "dimension_ids", "text", "figures"} == set(
        result["findings"][0]
    )
    assert result["overall"]["interval"]["n"] == 3 and result["overall"]["interval_note"] is None
    assert result["recommendations"][0]["priority"] >= result["recommendations"][-1]["priority"]
    assert {t["subject"] for t in result["targets"]} == {"delivery", "tooling", "rhythm", "overall"}
    assert [r["id"] for r in result["respondents"]] == ["alex", "sam", "kim"]


def test_score_a_divided_team_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    answers = REPO_ROOT / "tests" / "data" / "golden" / "divided_leadership.yaml"
    package, result = score_answers_file(answers, QUESTIONNAIRES)
    assert main(["score", str(answers)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    findings = lines.index("Findings")
    assert lines[findings + 1].startswith("  - The team is split on")
    assert "Priorities and direction" in lines[findings + 1]
    assert "  Contested dimensions: Priorities and direction, Leadership alignment" in lines
    assert any(
        line.startswith("  52.1–84.0 (95 % interval, 4 respondents); borderline") for line in lines
    )
    assert re.search(r"Priorities and direction .* 0\.00 none +0\.0–100\.0 +borderline", out)
    assert "    Structured, contested: answers span Reactive to Scalable" in lines
    assert re.search(r"Operating cadence .* 1\.00 very strong 72\.5–72\.5$", out, re.M)
    # Questions by their prompts on the 0-100 item scale: no item id, no 0..1 value.
    assert not [item_id for item_id in package.items if re.search(rf"\b{item_id}\b", out)]
    start = lines.index("Most disputed questions (item scores 0–100)")
    block = lines[start : lines.index("", start)]
    disputed = result.team.disputed_items
    assert len(block) == 2 + len(disputed)
    assert not [line for line in block if re.search(r"\b0\.\d", line)], block
    assert block[2].lstrip().startswith(package.items[disputed[0].item_id].prompt[:40])


def test_a_score_of_zero_is_printed_as_zero_not_as_unscored(
    capsys: pytest.CaptureFixture[str],
) -> None:
    answers = REPO_ROOT / "tests" / "data" / "golden" / "firefighting_startup.yaml"
    assert main(["score", str(answers)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\s*Process and systems\s+0\.0\s", out, re.M), out


def test_score_against_a_baseline(
    readme_answers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        json.dumps(
            {
                "questionnaire": "example",
                "respondents": [
                    {
                        "id": "x",
                        "attributes": {"role": "manager"},
                        "answers": {"plan_horizon": "none"},
                    }
                ],
            }
        )
    )
    assert main(["score", str(readme_answers), "--baseline", str(baseline)]) == 0
    assert "Since baseline delivery:" in capsys.readouterr().out


def test_bad_answers_give_one_line_each_and_a_non_zero_exit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers = tmp_path / "bad.yaml"
    answers.write_text(
        "questionnaire: example\nrespondents:\n"
        "  - id: alex\n    attributes: {}\n    answers: {plan_horizon: yearly, ghost_item: 1, late_share: lots}\n"
    )
    assert main(["score", str(answers)]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{answers}: respondent alex: attributes.role: required",
        f"{answers}: respondent alex: answers.ghost_item: no such item in this questionnaire",
        f"{answers}: respondent alex: answers.plan_horizon: 'yearly' is not one of the options ['none', 'week', 'month', 'quarter']",
        f"{answers}: respondent alex: answers.late_share: expected a number, got 'lots'",
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("questionnaire: nope\nrespondents: [{id: a}]\n", "no questionnaire nope in the catalog"),
        (
            "questionnaire: example\nversion: 9.9.9\nrespondents: [{id: a}]\n",
            "no questionnaire example 9.9.9 in the catalog",
        ),
        (
            "questionnaire: example\nversion: ''\nrespondents: [{id: a}]\n",
            "no questionnaire example with an empty version in the catalog",
        ),
        (
            "questionnaire: example\nrespondents: []\n",
            "respondents: List should have at least 1 item",
        ),
        (
            "questionnaire: example\nrespondents: [{id: a, answer: {}}]\n",
            "respondents[a].answer: Extra inputs are not permitted",
        ),
        (
            "questionnaire: example\nrespondents: [{id: a, answers: {plan_horizon: [}\n",
            "not valid YAML",
        ),
        ("- just a list\n", "document: Input should be a valid dictionary"),
    ],
)
def test_a_broken_answers_file_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(content)
    assert main(["score", str(answers)]) == 1
    err = capsys.readouterr().err.strip()
    assert expected in err
    assert len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("suffix", "k", "expected"),
    [
        (".yaml", "1", "anonymity_k: must be at least 3, not 1: a smaller group could single"),
        (".yaml", "2", "anonymity_k: must be at least 3, not 2"),
        (".yaml", "true", "anonymity_k: must be a whole number from 3 to 100, not true or false"),
        (".yaml", '"3"', "anonymity_k: must be a whole number from 3 to 100, not text"),
        (".yaml", "3.0", "anonymity_k: must be a whole number from 3 to 100, not a decimal"),
        (".json", "true", "anonymity_k: must be a whole number from 3 to 100, not true or false"),
        (".json", '"3"', "anonymity_k: must be a whole number from 3 to 100, not text"),
        (".json", "3.0", "anonymity_k: must be a whole number from 3 to 100, not a decimal"),
        (".json", "1", "anonymity_k: must be at least 3, not 1"),
    ],
)
def test_an_anonymity_k_that_is_no_integer_of_at_least_3_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str, k: str, expected: str
) -> None:
    answers = tmp_path / f"answers{suffix}"
    if suffix == ".json":
        answers.write_text(
            f'{{"questionnaire": "example", "anonymity_k": {k}, "respondents": [{{"id": "a"}}]}}'
        )
    else:
        answers.write_text(f"questionnaire: example\nanonymity_k: {k}\nrespondents: [{{id: a}}]\n")
    assert main(["score", str(answers)]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and err.startswith(f"{answers}: {expected}"), err


def test_an_unreadable_answers_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["score", str(tmp_path / "missing.yaml")]) == 1
    assert "missing.yaml: cannot read: No such file or directory" in capsys.readouterr().err
    binary = tmp_path / "answers.json"
    binary.write_bytes(b"\xff\xfe{")
    assert main(["score", str(binary)]) == 1
    assert "answers.json: not UTF-8 text" in capsys.readouterr().err


def test_validate_lists_the_problems_of_every_unreadable_package(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("first", "second"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "questionnaire.yaml").write_text("id: x\n  title: [unclosed\n")
    shutil.copytree(QUESTIONNAIRES / "example" / "1.0.0", tmp_path / "example")
    assert main(["validate", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "first/questionnaire.yaml: line 2" in err
    assert "second/questionnaire.yaml: line 2" in err
    assert err.splitlines()[-1] == "2 problem(s) found"


def test_the_readme_example_s_item_targets(
    readme_answers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Team means: plan_horizon (2/3 + 0 + 1/3) / 3 = 1/3 of 1, late_share (.5 + 0 + 1) / 3 of 1,
    # tools_in_use (.75 + 0 + .5) / 3 = 5/12 of .75: gaps 2/3, 1/2 and 1/3.
    _, result = score_answers_file(readme_answers, QUESTIONNAIRES)
    figures = result.item_targets
    assert figures is not None and figures.reference == "zero"
    overall = figures.overall
    assert abs(overall.gap - 1.5) < 1e-9 and abs(overall.reference_gap - 2.75) < 1e-9
    assert overall.percent_to_target is not None
    assert abs(overall.percent_to_target - 100 * 1.25 / 2.75) < 1e-9  # 45.45…
    delivery, tooling = figures.dimensions
    assert delivery.subject == "delivery" and tooling.subject == "tooling"
    assert abs((delivery.percent_to_target or 0) - 100 * (1 - (7 / 6) / 2)) < 1e-9
    assert abs((tooling.percent_to_target or 0) - 100 * (1 - (1 / 3) / 0.75)) < 1e-9
    assert main(["score", str(readme_answers), "--format", "json"]) == 0
    shown = json.loads(capsys.readouterr().out)["item_targets"]
    assert shown["overall"]["percent_to_target"] == 45.4545
    assert shown["items"][0] == {
        "item_id": "plan_horizon",
        "dimension_id": "delivery",
        "target": "quarter",
        "target_value": 1.0,
        "current_value": 0.333333,
        "baseline_value": None,
        "gap": 0.666667,
    }
    assert main(["score", str(readme_answers)]) == 0
    assert "Targets by question, overall: 45% of the way (gap 1.50 of 2.75" in (
        capsys.readouterr().out
    )


def test_item_targets_measured_from_a_baseline_file(readme_answers: Path, tmp_path: Path) -> None:
    text = readme_answers.read_text().replace(
        "percent_to_target_from: zero", "percent_to_target_from: baseline"
    )
    readme_answers.write_text(text)
    baseline = tmp_path / "baseline.yaml"
    baseline.write_text(
        "questionnaire: example\nrespondents:\n  - id: x\n    attributes: {role: manager}\n"
        "    answers: {plan_horizon: week, late_share: 40, tools_in_use: [tracker]}\n"
    )
    _, result = score_answers_file(readme_answers, QUESTIONNAIRES, baseline)
    figures = result.item_targets
    assert figures is not None and figures.reference == "baseline"
    # Baseline values 1/3, 0, .5: reference gap 2/3 + 1 + 1/4 = 23/12; now 1.5 to go.
    # Progress: (1/3 + 1/2 + 5/12 - 1/3 - 0 - 1/2) / (1 + 1 + 3/4 - 1/3 - 0 - 1/2) = 5/23.
    assert abs(figures.overall.reference_gap - 23 / 12) < 1e-9
    assert abs((figures.overall.percent_to_target or 0) - 100 * (1 - 1.5 / (23 / 12))) < 1e-9
    assert abs((figures.overall.progress_to_date or 0) - 5 / 23) < 1e-9


@pytest.mark.parametrize(
    ("targets", "expected"),
    [
        (
            "{items: {plan_horizon: yearly, ghost: 1, late_share: lots}}",
            [
                "targets.items.plan_horizon: 'yearly' is not one of the options "
                "['none', 'week', 'month', 'quarter']",
                "targets.items.ghost: no such item in this questionnaire",
                "targets.items.late_share: expected a number, got 'lots'",
            ],
        ),
        (
            "{items: {tool_owner: na, improvement_idea: less}}",
            [
                "targets.items.tool_owner: a target is an answer with a value; 'na' has none",
                "targets.items.improvement_idea: free text is not scored, so it takes no target",
            ],
        ),
        ("{items: [plan_horizon]}", ["targets.items: Input should be a valid dictionary"]),
        (
            "{percent_to_target_from: start}",
            ["targets.percent_to_target_from: Input should be 'zero' or 'baseline'"],
        ),
    ],
)
def test_item_targets_that_do_not_fit_are_one_line_each(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], targets: str, expected: list[str]
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(
        f"questionnaire: example\ntargets: {targets}\n"
        "respondents: [{id: a, attributes: {role: manager}, answers: {plan_horizon: week}}]\n"
    )
    assert main(["score", str(answers)]) == 1
    assert capsys.readouterr().err.splitlines() == [f"{answers}: {line}" for line in expected]

"""`opsmaturity validate` says what YAML made of a value and reports every file's problems at once."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from scoring import DefinitionError, build_package
from tests.conftest import QUESTIONNAIRES
from tests.unit.example_package import fresh_mappings

REVIEW_DEPTH = "dimensions[delivery].dimensions[follow_through].items[review_depth]"
PLAN_SLACK = "dimensions[delivery].dimensions[planning].items[plan_slack]"


def problems_of(q: dict[str, Any], s: dict[str, Any], r: dict[str, Any]) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        build_package(q, s, r)
    return [str(p) for p in caught.value.problems]


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of the example package 1.1.0 to break."""
    folder = tmp_path / "example" / "1.1.0"
    shutil.copytree(QUESTIONNAIRES / "example" / "1.1.0", folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def validate(folder: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    assert main(["validate", str(folder)]) == 1
    return capsys.readouterr().err.splitlines()


@pytest.mark.parametrize(
    ("written", "message"),
    [
        (
            "2.2",
            'read as the number 2.2; write it as a string in the form 1.2.3, e.g. version: "2.2.0"',
        ),
        (
            "2.10",
            "read as the number 2.1 (YAML reads an unquoted 2.10 as 2.1); "
            'write it as a string in the form 1.2.3, e.g. version: "2.10.0"',
        ),
        (
            "2",
            'read as the number 2; write it as a string in the form 1.2.3, e.g. version: "2.0.0"',
        ),
    ],
)
def test_a_version_read_as_a_number_shows_the_number_and_how_to_write_it(
    package: Path, capsys: pytest.CaptureFixture[str], written: str, message: str
) -> None:
    replace_in(package / "questionnaire.yaml", "version: 1.1.0", f"version: {written}")
    assert validate(package, capsys) == [
        f"{package}/questionnaire.yaml: version: {message}",
        "1 problem(s) found",
    ]


def test_a_version_given_as_a_number_in_a_mapping_says_the_same() -> None:
    q, s, r = fresh_mappings()
    q["version"] = 2.2
    assert problems_of(q, s, r) == [
        "questionnaire.yaml: version: read as the number 2.2; "
        'write it as a string in the form 1.2.3, e.g. version: "2.2.0"'
    ]


def test_an_unquoted_no_where_text_is_expected_says_it_was_read_as_false(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(package / "questionnaire.yaml", "label: None at all", "label: No")
    assert validate(package, capsys) == [
        f"{package}/questionnaire.yaml: {PLAN_SLACK}.options[nothing].label: "
        'read as the boolean false (YAML reads an unquoted No as false); quote it: "No"',
        "1 problem(s) found",
    ]


def test_an_unquoted_answer_id_says_what_it_was_read_as_and_nothing_else(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    replace_in(package / "questionnaire.yaml", 'answer_in: ["yes"]', "answer_in: [on]")
    assert validate(package, capsys) == [
        f"{package}/questionnaire.yaml: {REVIEW_DEPTH}.show_if.answer_in[0]: "
        'read as the boolean true (YAML reads an unquoted on as true); quote it: "on"',
        "1 problem(s) found",
    ]


def test_a_failing_item_does_not_also_report_its_list_as_too_short() -> None:
    q, s, r = fresh_mappings()
    q["dimensions"][0]["dimensions"][1]["items"][2]["show_if"]["answer_in"] = [False]
    s["gates"][1]["items"][0]["item"] = False
    assert problems_of(q, s, r) == [
        f"questionnaire.yaml: {REVIEW_DEPTH}.show_if.answer_in[0]: "
        "read as the boolean false; write it as a string in quotes",
        "stage_model.yaml: gates[1].items[0].item: "
        "read as the boolean false; write it as a string in quotes",
    ]


def test_a_list_that_is_short_even_before_its_items_fail_says_how_long_it_is() -> None:
    q, s, r = fresh_mappings()
    s["stages"] = [{**s["stages"][0], "name": 7}]
    assert problems_of(q, s, r) == [
        'stage_model.yaml: stages[ad_hoc].name: read as the number 7; quote it: "7"',
        "stage_model.yaml: stages: Tuple should have at least 2 items, not 1",
    ]


def test_a_recommendations_problem_and_a_stage_model_cross_check_come_in_one_run() -> None:
    q, s, r = fresh_mappings()
    r["recommendations"][0]["horizon"] = 45
    s["gates"][1]["items"][0]["item"] = "nope"
    assert problems_of(q, s, r) == [
        "recommendations.yaml: recommendations[delivery-plan-month].horizon: "
        "Input should be 30, 60 or 90",
        "stage_model.yaml: gates[1]: item 'nope' is not a scored item of the questionnaire",
    ]


def test_a_stage_model_problem_and_a_questionnaire_cross_check_come_in_one_run() -> None:
    q, s, r = fresh_mappings()
    s["rollup"] = "median"
    q["dimensions"][0]["dimensions"][1]["items"][2]["show_if"]["item"] = "nope"
    problems = problems_of(q, s, r)
    assert problems[0].startswith("stage_model.yaml: rollup: Input should be")
    assert problems[1:] == [
        "questionnaire.yaml: items[review_depth].show_if: "
        "item 'nope' must exist and come before 'review_depth'"
    ]


def test_unreadable_yaml_in_one_file_does_not_hide_the_others_problems(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / "recommendations.yaml").write_text("id: x\n  title: [unclosed\n", encoding="utf-8")
    replace_in(package / "stage_model.yaml", "{item: missed_reviewed,", "{item: nope,")
    assert validate(package, capsys) == [
        f"{package}/recommendations.yaml: line 2, column 8: not valid YAML: "
        "mapping values are not allowed here",
        f"{package}/stage_model.yaml: gates[1]: "
        "item 'nope' is not a scored item of the questionnaire",
        "2 problem(s) found",
    ]

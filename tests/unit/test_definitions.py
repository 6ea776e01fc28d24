"""Definition validation: every problem at once, each with file, id path and what is wrong."""

from __future__ import annotations

from typing import Any

import pytest

from scoring import DefinitionError, Questionnaire, build_package
from tests.unit.example_package import EXAMPLE, fresh_mappings


def problems_of(
    q: dict[str, Any], s: dict[str, Any], r: dict[str, Any], **kwargs: Any
) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        build_package(q, s, r, **kwargs)
    return [str(p) for p in caught.value.problems]


def item(q: dict[str, Any], item_id: str) -> dict[str, Any]:
    def walk(dimensions: list[dict[str, Any]]) -> dict[str, Any] | None:
        for dimension in dimensions:
            for candidate in dimension.get("items", []):
                if candidate["id"] == item_id:
                    return candidate  # type: ignore[no-any-return]
            found = walk(dimension.get("dimensions", []))
            if found is not None:
                return found
        return None

    found = walk(q["dimensions"])
    assert found is not None
    return found


def test_the_example_package_is_valid_and_indexed() -> None:
    assert EXAMPLE.id == "example"
    assert len(EXAMPLE.items) == 11
    assert EXAMPLE.item_dimension["plan_slack"] == "delivery"
    assert EXAMPLE.option_values["plan_horizon"] == {
        "none": 0.0,
        "week": 1 / 3,
        "month": 2 / 3,
        "quarter": 1.0,
    }
    assert EXAMPLE.dimension_thresholds["tooling"] == (35, 70)
    assert len(EXAMPLE.content_hash) == 64


def test_content_hash_changes_with_content_only() -> None:
    q, s, r = fresh_mappings()
    assert build_package(q, s, r).content_hash == EXAMPLE.content_hash
    item(q, "plan_slack")["prompt"] = "Changed?"
    assert build_package(q, s, r).content_hash != EXAMPLE.content_hash


def test_every_problem_in_every_file_is_reported_at_once() -> None:
    q, s, r = fresh_mappings()
    item(q, "plan_slack")["weigth"] = 2
    item(q, "plan_horizon")["options"][1]["value"] = 1.5
    s["stages"][0]["nme"] = "typo"
    r["recommendations"][0]["horizon"] = 45
    problems = problems_of(q, s, r)
    assert len(problems) == 4
    assert any(
        p.endswith(
            "dimensions[delivery].dimensions[planning].items[plan_slack].weigth: unknown key (check the spelling against the schema)"
        )
        for p in problems
    )
    assert any(
        "items[plan_horizon].options[week].value: Input should be less than or equal to 1" in p
        for p in problems
    )
    assert any(p.startswith("stage_model.yaml: stages[ad_hoc].nme") for p in problems)
    assert any(
        p.startswith("recommendations.yaml: recommendations[delivery-plan-month].horizon")
        for p in problems
    )


def test_item_kind_rules() -> None:
    q, s, r = fresh_mappings()
    item(q, "plan_slack")["options"][0]["value"] = None
    item(q, "late_share")["bands"] = [{"max": 10, "value": 1}, {"max": 5, "value": 0}]
    item(q, "missed_reviewed")["options"] = [{"id": "a", "label": "A"}]
    item(q, "improvement_idea")["reverse"] = True
    item(q, "weekly_review")["options"][1]["label"] = "only when something goes wrong"
    item(q, "tool_owner")["options"][0]["id"] = "na"
    text = "\n".join(problems_of(q, s, r))
    assert "every option of a single_choice item needs a value" in text
    assert "band max values must rise strictly" in text
    assert "the bands leave numbers uncovered" in text
    assert "a yes_no item takes no options" in text
    assert "a text item is unscored" in text
    assert "option labels must be distinct" in text
    assert "option id 'na' is reserved" in text


def test_conditions_must_point_backwards_at_real_options() -> None:
    q, s, r = fresh_mappings()
    item(q, "review_depth")["show_if"] = {"item": "weekly_review", "answer_in": ["weekly"]}
    item(q, "plan_slack")["show_if"] = {"item": "plan_horizon", "answer_in": ["yearly"]}
    item(q, "tool_owner")["show_if"] = {"item": "manual_hours", "answer_in": ["x"]}
    text = "\n".join(problems_of(q, s, r))
    assert (
        "items[review_depth].show_if: item 'weekly_review' must exist and come before 'review_depth'"
        in text
    )
    assert "answer_in names ['yearly'] which are not options of 'plan_horizon'" in text
    assert "item 'manual_hours' has no options: test its value instead of answer_in" in text


def test_structure_is_checked_before_references() -> None:
    """References are resolved once every file parses; until then the structural problems are listed."""
    q, s, r = fresh_mappings()
    item(q, "review_depth")["show_if"] = {"item": "weekly_review", "answer_in": ["weekly"]}
    item(q, "meeting_load")["show_if"] = {
        "item": "weekly_review",
        "answer_in": ["weekly"],
        "value_at_least": 0.5,
    }
    assert problems_of(q, s, r) == [
        "questionnaire.yaml: dimensions[rhythm].items[meeting_load].show_if: "
        "give exactly one of answer_in, value_at_least, value_at_most"
    ]


def test_duplicate_ids_are_refused() -> None:
    q, s, r = fresh_mappings()
    item(q, "meeting_load")["id"] = "weekly_review"
    q["dimensions"][1]["id"] = "rhythm"
    q["attributes"][1]["id"] = "role"
    s["stages"][1]["id"] = "ad_hoc"
    r["recommendations"][1]["id"] = "delivery-plan-month"
    text = "\n".join(problems_of(q, s, r))
    for expected in (
        "item id used twice",
        "dimension id used twice",
        "attribute id used twice",
        "stage id used twice",
        "recommendation id used twice",
    ):
        assert expected in text


def test_thresholds_must_cover_each_later_stage_rising_inside_the_scale() -> None:
    q, s, r = fresh_mappings()
    s["thresholds"]["overall"] = {"steady": 80, "strong": 60}
    s["thresholds"]["dimensions"]["tooling"] = {"steady": 35}
    s["thresholds"]["dimensions"]["nonexistent"] = {"steady": 35, "strong": 101}
    text = "\n".join(problems_of(q, s, r))
    assert "thresholds.overall: thresholds must rise strictly" in text
    assert (
        "thresholds.dimensions.tooling: needs a threshold for exactly the stages after the first"
        in text
    )
    assert "thresholds.dimensions.nonexistent: not a top-level dimension" in text
    assert "thresholds must lie above 0 and at most 100" in text


def test_missing_dimension_thresholds_without_default() -> None:
    q, s, r = fresh_mappings()
    del s["thresholds"]["dimension_default"]
    text = "\n".join(problems_of(q, s, r))
    assert "dimension 'delivery' has no thresholds and there is no dimension_default" in text


def test_gates_quadrants_and_recommendations_must_resolve() -> None:
    q, s, r = fresh_mappings()
    s["gates"][1]["items"][0]["item"] = "improvement_idea"
    s["gates"][1]["applies_to"] = "nowhere"
    s["gates"][1]["stage"] = "ad_hoc"
    for dimension in q["dimensions"]:
        dimension["axis"] = "operations"
    r["recommendations"][0]["to_stage"] = "strong"
    r["recommendations"][1]["dimension"] = "missing"
    r["recommendations"][6]["trigger"]["item"] = "ghost"
    r["recommendations"][7]["trigger"] = {"item": "review_depth", "answer_in": ["shout"]}
    text = "\n".join(problems_of(q, s, r))
    assert "item 'improvement_idea' is not a scored item" in text
    assert "applies_to 'nowhere' is neither 'overall' nor a top-level dimension" in text
    assert "stage 'ad_hoc' is not a stage after the first" in text
    assert "quadrants need at least one dimension on the execution axis" in text
    assert "to_stage 'strong' must be the stage right after 'ad_hoc'" in text
    assert "dimension 'missing' is not a top-level dimension" in text
    assert "trigger item 'ghost' is not in the questionnaire" in text
    assert "answer_in names ['shout']" in text


def test_a_recommendation_is_keyed_one_way() -> None:
    q, s, r = fresh_mappings()
    r["recommendations"][2]["trigger"] = {"item": "plan_slack", "answer_in": ["some"]}
    del r["recommendations"][3]["from_stage"]
    text = "\n".join(problems_of(q, s, r))
    assert (
        "[tooling-name-owner]: key a recommendation by a stage transition or by a trigger, not both"
        in text
    )
    assert (
        "[tooling-automate-copying]: a transition needs dimension, from_stage and to_stage" in text
    )


def test_sub_dimensions_do_not_feed_axes_and_dimensions_need_content() -> None:
    q, s, r = fresh_mappings()
    q["dimensions"][0]["dimensions"][0]["axis"] = "execution"
    text = "\n".join(problems_of(q, s, r))
    assert "dimensions[planning].axis: only top-level dimensions feed an axis" in text
    q["dimensions"][2]["items"] = []
    text = "\n".join(problems_of(q, s, r))
    assert "dimensions[rhythm]: a dimension needs items or sub-dimensions" in text


def test_a_non_mapping_file_is_a_problem_not_a_crash() -> None:
    _, s, r = fresh_mappings()
    assert problems_of(["not", "a", "mapping"], s, r) == [  # type: ignore[arg-type]
        "questionnaire.yaml: expected a mapping at the top level"
    ]


def short_form(q: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": "example-short",
        "version": "1.0.0",
        "title": "Short",
        "short_form_of": "example",
        "dimensions": [
            {
                "id": "delivery",
                "title": "Delivery",
                "axis": "execution",
                "items": [item(q, "plan_horizon")],
            },
            {
                "id": "tooling",
                "title": "Tooling",
                "axis": "operations",
                "items": [item(q, "tool_owner")],
            },
            {
                "id": "rhythm",
                "title": "Rhythm",
                "axis": "operations",
                "items": [item(q, "weekly_review")],
            },
        ],
    }


def test_a_short_form_reuses_items_unchanged_and_may_share_the_library() -> None:
    q, s, r = fresh_mappings()
    parent = Questionnaire.model_validate(q)
    package = build_package(short_form(q), s, r, parent=parent)
    assert list(package.items) == ["plan_horizon", "tool_owner", "weekly_review"]


def test_a_short_form_that_changes_an_item_or_lacks_its_parent_is_refused() -> None:
    q, s, r = fresh_mappings()
    parent = Questionnaire.model_validate(q)
    short = short_form(q)
    short["dimensions"][0]["items"] = [{**item(q, "plan_horizon"), "prompt": "Reworded?"}]
    short["dimensions"][1]["id"] = "tools"
    text = "\n".join(problems_of(short, s, r, parent=parent))
    assert "items[plan_horizon]: differs from the same item in 'example'" in text
    assert "dimensions[tools]: not a dimension of 'example'" in text
    assert "short_form_of names 'example'" in "\n".join(problems_of(short_form(q), s, r))

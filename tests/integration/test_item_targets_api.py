"""Item targets through the API: set when an assessment is created or edited (PATCH), checked
against the questionnaire as answers are (problem details naming each field, nothing saved),
and their gap, percent-to-target and progress-to-date in the results; on both databases.

Item values of the example questionnaire used here: plan_horizon week 1/3, month 2/3,
quarter 1; weekly_review rarely 0, monthly .5, weekly 1; late_share <= 10 % is 1.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.integration.conftest import Workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)

TARGETS: dict[str, Any] = {
    "overall": "strong",
    "items": {"plan_horizon": "quarter", "weekly_review": "weekly"},
}


def _problem_fields(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return {error["field"]: error["message"] for error in response.json()["errors"]}


def _submit(api: httpx.Client, assessment_id: str, answers: dict[str, Any]) -> None:
    (person,) = add_respondents(api, assessment_id, "manager")
    expect(save_answers(api, assessment_id, person["id"], answers, submit=True), 200)


def _results(api: httpx.Client, assessment_id: str) -> dict[str, Any]:
    document: dict[str, Any] = expect(api.get(f"/api/v1/assessments/{assessment_id}/results"), 200)
    return document


def test_item_targets_are_set_at_creation_and_shown_in_the_results(workspace: Workspace) -> None:
    api = workspace.api
    created = create_assessment(api, targets=TARGETS)
    assert created["targets"] == {
        "overall": "strong",
        "dimensions": {},
        "items": {"plan_horizon": "quarter", "weekly_review": "weekly"},
        "percent_to_target_from": "zero",
    }
    assert (
        expect(api.get(f"/api/v1/assessments/{created['id']}"), 200)["targets"]
        == (created["targets"])
    )
    _submit(api, created["id"], FULL_ANSWERS)  # plan_horizon month (2/3), weekly_review weekly
    figures = _results(api, created["id"])["results"]["item_targets"]
    assert (figures["percent_to_target_from"], figures["reference"]) == ("zero", "zero")
    # gap |1 - 2/3| + |1 - 1| = 1/3 of 2 (both targets from zero): 100 x (1 - 1/6) = 83.33…
    overall = figures["overall"]
    assert overall["item_count"] == 2
    assert overall["gap"] == pytest.approx(1 / 3, abs=1e-6)
    assert overall["reference_gap"] == 2.0
    assert overall["percent_to_target"] == pytest.approx(100 * (1 - 1 / 6), abs=1e-4)
    assert overall["progress_to_date"] is None
    dimensions = {d["subject"]: d for d in figures["dimensions"]}
    assert list(dimensions) == ["delivery", "rhythm"]
    assert dimensions["delivery"]["percent_to_target"] == pytest.approx(100 * 2 / 3, abs=1e-4)
    assert dimensions["rhythm"]["percent_to_target"] == 100.0
    assert [i["item_id"] for i in figures["items"]] == ["plan_horizon", "weekly_review"]
    flat = expect(api.get(f"/api/v1/assessments/{created['id']}/results?format=flat"), 200)
    assert flat["opsmaturity_overall_item_percent_to_target"] == overall["percent_to_target"]
    assert flat["opsmaturity_rhythm_item_percent_to_target"] == 100.0


def test_percent_to_target_from_a_baseline_round(workspace: Workspace) -> None:
    api = workspace.api
    client_id = create_client(api)["id"]
    before = create_assessment(api, client_id, title="Q1")["id"]
    _submit(api, before, {**FULL_ANSWERS, "plan_horizon": "week", "weekly_review": "monthly"})
    after = create_assessment(
        api,
        client_id,
        title="Q2",
        baseline_assessment_id=before,
        targets={**TARGETS, "percent_to_target_from": "baseline"},
    )["id"]
    _submit(api, after, FULL_ANSWERS)
    figures = _results(api, after)["results"]["item_targets"]
    assert figures["reference"] == "baseline"
    # At the baseline: |1 - 1/3| + |1 - .5| = 7/6; now 1/3: 100 x (1 - 2/7).
    # Progress: (2/3 + 1 - 1/3 - .5) / (1 + 1 - 1/3 - .5) = (5/6) / (7/6) = 5/7.
    overall = figures["overall"]
    assert overall["reference_gap"] == pytest.approx(7 / 6, abs=1e-6)
    assert overall["percent_to_target"] == pytest.approx(100 * 5 / 7, abs=1e-4)
    assert overall["progress_to_date"] == pytest.approx(5 / 7, abs=1e-6)
    assert [i["baseline_value"] for i in figures["items"]] == [
        pytest.approx(1 / 3, abs=1e-6),
        0.5,
    ]


def test_bad_item_targets_are_refused_field_by_field_and_nothing_is_created(
    workspace: Workspace,
) -> None:
    api = workspace.api
    client_id = create_client(api)["id"]
    body = {"client_id": client_id, "title": "Q1", "questionnaire_id": "example"}
    bad_targets = {
        "items": {
            "plan_horizon": "yearly",
            "ghost": "yes",
            "late_share": 140,
            "improvement_idea": "focus",
            "tool_owner": "na",
        }
    }
    problems = _problem_fields(
        api.post("/api/v1/assessments", json={**body, "targets": bad_targets})
    )
    assert problems == {
        "targets.items.plan_horizon": (
            "'yearly' is not one of the options ['none', 'week', 'month', 'quarter']"
        ),
        "targets.items.ghost": "no such item in this questionnaire",
        "targets.items.late_share": "140 lies outside 0.0..100.0",
        "targets.items.improvement_idea": "free text is not scored, so it takes no target",
        "targets.items.tool_owner": "a target is an answer with a value; 'na' has none",
    }
    shape = api.post(
        "/api/v1/assessments",
        json={
            **body,
            "targets": {"items": {"plan_horizon": {"a": 1}}, "percent_to_target_from": "now"},
        },
    )
    assert _problem_fields(shape) == {
        "targets.items.plan_horizon": (
            "a target answer is an option id (scale, single choice), a number (number, "
            'percentage), true / false or "yes" / "no" (yes/no), or a list of option ids '
            "(multi choice)"
        ),
        "targets.percent_to_target_from": "Input should be 'zero' or 'baseline'",
    }
    assert expect(api.get("/api/v1/assessments"), 200)["items"] == []


def test_targets_are_edited_as_a_whole_and_a_refused_edit_changes_nothing(
    workspace: Workspace, other_workspace: Workspace
) -> None:
    api = workspace.api
    created = create_assessment(api, targets=TARGETS)
    path = f"/api/v1/assessments/{created['id']}"
    _submit(api, created["id"], FULL_ANSWERS)
    first = _results(api, created["id"])
    assert first["results"]["item_targets"]["overall"]["item_count"] == 2

    refused = api.patch(path, json={"targets": {"items": {"weekly_review": "daily"}}})
    assert _problem_fields(refused) == {
        "targets.items.weekly_review": (
            "'daily' is not one of the options ['rarely', 'monthly', 'weekly']"
        )
    }
    assert expect(api.get(path), 200)["targets"] == created["targets"]
    assert _results(api, created["id"]) == first

    new_targets = {
        "dimensions": {"tooling": "steady"},
        "items": {"late_share": 10, "missed_reviewed": True, "tools_in_use": ["tracker"]},
        "percent_to_target_from": "baseline",
    }
    edited = expect(api.patch(path, json={"targets": new_targets}), 200)
    assert edited["targets"] == {"overall": None, **new_targets}
    assert edited["results_version"] > created["results_version"]
    figures = _results(api, created["id"])["results"]
    # FULL_ANSWERS: late_share 20 (.5), missed_reviewed yes (1), tools tracker + runbook (.75,
    # above the target .5): gap .5 + 0 + .25 of 2.5 from zero (no baseline round).
    item_targets = figures["item_targets"]
    assert item_targets["reference"] == "zero"
    assert item_targets["overall"]["percent_to_target"] == pytest.approx(70.0, abs=1e-4)
    assert [t["subject"] for t in figures["targets"]] == ["tooling"]

    assert expect(api.patch(path, json={}), 200)["targets"] == edited["targets"]
    cleared = expect(api.patch(path, json={"targets": {}}), 200)
    assert cleared["targets"] == {
        "overall": None,
        "dimensions": {},
        "items": {},
        "percent_to_target_from": "zero",
    }
    assert _results(api, created["id"])["results"]["item_targets"] is None

    assert other_workspace.api.patch(path, json={"targets": {}}).status_code == 404
    assert api.patch("/api/v1/assessments/asm_nope", json={"targets": {}}).status_code == 404
    unknown_field = api.patch(path, json={"targets": {}, "title": "New"})
    assert list(_problem_fields(unknown_field)) == ["title"]

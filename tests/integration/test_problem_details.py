"""Errors are RFC 9457 problem details that name each offending field."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.conftest import Workspace
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    expect,
    save_answers,
)


def problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["type"]
    return body


def fields(body: dict[str, Any]) -> list[str]:
    return [error["field"] for error in body.get("errors", [])]


def test_an_answer_outside_the_options_names_the_item_and_changes_nothing(
    workspace: Workspace,
) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    (person,) = add_respondents(api, aid, "manager")
    expect(save_answers(api, aid, person["id"], {"plan_horizon": "month", "late_share": 20}), 200)
    bad = {"plan_horizon": "someday", "late_share": 140, "meeting_load": "some", "no_such_item": 1}
    body = problem(save_answers(api, aid, person["id"], bad, submit=True), 422)
    assert body["type"] == "urn:opsmaturity:problem:invalid-answers"
    assert sorted(fields(body)) == [
        "answers.late_share",
        "answers.no_such_item",
        "answers.plan_horizon",
    ]
    message = {e["field"]: e["message"] for e in body["errors"]}
    assert (
        "'someday' is not one of the options ['none', 'week', 'month', 'quarter']"
        in message["answers.plan_horizon"]
    )
    assert "140 lies outside 0.0..100.0" in message["answers.late_share"]
    saved = expect(api.get(f"/api/v1/assessments/{aid}/respondents/{person['id']}/answers"), 200)
    assert saved["answers"] == {"plan_horizon": "month", "late_share": 20}
    assert saved["status"] == "in_progress"


def test_null_removes_a_saved_answer(workspace: Workspace) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    (person,) = add_respondents(api, aid, "manager")
    expect(
        save_answers(api, aid, person["id"], {"plan_horizon": "month", "plan_slack": "some"}), 200
    )
    after = expect(
        save_answers(api, aid, person["id"], {"plan_slack": None, "weekly_review": "weekly"}), 200
    )
    assert after["answers"] == {"plan_horizon": "month", "weekly_review": "weekly"}


def test_request_fields_are_named(workspace: Workspace) -> None:
    api = workspace.api
    body = problem(
        api.post("/api/v1/clients", json={"name": "", "size_band": "huge", "colour": "red"}), 422
    )
    assert sorted(fields(body)) == ["colour", "name", "size_band"]
    body = problem(
        api.post(
            "/api/v1/clients", content=b"{not json", headers={"content-type": "application/json"}
        ),
        422,
    )
    assert fields(body)
    body = problem(api.get("/api/v1/assessments", params={"limit": 0, "cursor": "%%%"}), 422)
    assert fields(body) == ["query.limit"]
    body = problem(api.get("/api/v1/assessments", params={"cursor": "not-a-cursor"}), 422)
    assert fields(body) == ["query.cursor"]


def test_assessment_fields_are_checked_against_the_questionnaire(workspace: Workspace) -> None:
    api = workspace.api
    client_id = expect(api.post("/api/v1/clients", json={"name": "Acme"}), 201)["id"]
    body = problem(
        api.post(
            "/api/v1/assessments",
            json={
                "client_id": client_id,
                "title": "Q1",
                "questionnaire_id": "example",
                "targets": {
                    "overall": "legendary",
                    "dimensions": {"tooling": "strong", "cooking": "steady"},
                },
                "baseline_assessment_id": "asm_missing",
            },
        ),
        422,
    )
    assert sorted(fields(body)) == [
        "baseline_assessment_id",
        "targets.dimensions.cooking",
        "targets.overall",
    ]
    body = problem(
        api.post(
            "/api/v1/assessments",
            json={"client_id": client_id, "title": "Q1", "questionnaire_id": "nope"},
        ),
        422,
    )
    assert fields(body) == ["questionnaire_id"]


def test_respondent_attributes_are_checked(workspace: Workspace) -> None:
    api = workspace.api
    aid = create_assessment(api)["id"]
    body = problem(
        api.post(
            f"/api/v1/assessments/{aid}/respondents",
            json={
                "respondents": [
                    {"attributes": {"role": "manager"}},
                    {"attributes": {"role": "ceo", "shoe": "9"}},
                    {},
                ]
            },
        ),
        422,
    )
    assert sorted(fields(body)) == [
        "respondents[1].attributes.role",
        "respondents[1].attributes.shoe",
        "respondents[2].attributes.role",
    ]
    assert expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)["respondents"] == []


def test_state_conflicts(workspace: Workspace) -> None:
    api = workspace.api
    draft = create_assessment(api, status="draft")["id"]
    (person,) = add_respondents(api, draft, "manager")
    body = problem(save_answers(api, draft, person["id"], FULL_ANSWERS), 409)
    assert body["type"] == "urn:opsmaturity:problem:assessment-state"
    problem(api.post(f"/api/v1/assessments/{draft}/close"), 409)
    problem(api.post(f"/api/v1/assessments/{draft}/reopen"), 409)
    body = problem(api.get(f"/api/v1/assessments/{draft}/results"), 409)
    assert body["type"] == "urn:opsmaturity:problem:results-not-ready"
    expect(api.post(f"/api/v1/assessments/{draft}/open"), 200)
    expect(save_answers(api, draft, person["id"], FULL_ANSWERS, submit=True), 200)
    expect(api.post(f"/api/v1/assessments/{draft}/close"), 200)
    problem(save_answers(api, draft, person["id"], {"plan_horizon": "none"}), 409)
    problem(
        api.post(
            f"/api/v1/assessments/{draft}/respondents",
            json={"respondents": [{"attributes": {"role": "manager"}}]},
        ),
        409,
    )
    saved = expect(api.get(f"/api/v1/assessments/{draft}/respondents/{person['id']}/answers"), 200)
    assert saved["answers"] == FULL_ANSWERS


def test_unknown_ids_and_routes(workspace: Workspace) -> None:
    api = workspace.api
    body = problem(api.get("/api/v1/assessments/asm_missing"), 404)
    assert (
        body["type"] == "urn:opsmaturity:problem:not-found"
        and body["instance"] == "/api/v1/assessments/asm_missing"
    )
    problem(api.get("/api/v1/questionnaires/nope"), 404)
    problem(api.get("/api/v1/no-such-thing"), 404)


def test_stateless_scoring(workspace: Workspace) -> None:
    api = workspace.api
    document = {
        "questionnaire": "example",
        "targets": {"overall": "strong"},
        "respondents": [
            {"id": "ann", "attributes": {"role": "manager"}, "answers": FULL_ANSWERS},
            {"id": "bo", "attributes": {"role": "executive"}, "answers": FULL_ANSWERS},
        ],
    }
    scored = expect(api.post("/api/v1/score", json=document), 200)
    assert scored["respondent_count"] == 2 and [r["id"] for r in scored["respondents"]] == [
        "ann",
        "bo",
    ]
    bad = {
        **document,
        "respondents": [{"id": "ann", "answers": {"plan_horizon": "never"}}],
        "extra": 1,
    }
    body = problem(api.post("/api/v1/score", json=bad), 422)
    assert fields(body) == ["extra"]
    bad.pop("extra")
    body = problem(api.post("/api/v1/score", json=bad), 422)
    assert sorted(fields(body)) == ["answers.plan_horizon", "attributes.role"]
    assert {e.get("respondent") for e in body["errors"]} == {"ann"}
    body = problem(api.post("/api/v1/score", json={**document, "questionnaire": "nope"}), 422)
    assert fields(body) == ["questionnaire"]

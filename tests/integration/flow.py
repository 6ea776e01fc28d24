"""Short helpers for the steps of the consultant flow, through the API."""

from __future__ import annotations

from typing import Any

import httpx

__all__ = [
    "FULL_ANSWERS",
    "add_respondents",
    "create_assessment",
    "create_client",
    "expect",
    "save_answers",
]

# A complete set of answers to the example questionnaire.
FULL_ANSWERS: dict[str, Any] = {
    "plan_horizon": "month",
    "plan_slack": "some",
    "late_share": 20,
    "missed_reviewed": "yes",
    "review_depth": "cause",
    "tools_in_use": ["tracker", "runbook"],
    "manual_hours": 3,
    "tool_owner": "volunteer",
    "weekly_review": "weekly",
    "meeting_load": "some",
}


def expect(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return (
        response.json()
        if response.content and "json" in response.headers.get("content-type", "")
        else None
    )


def create_client(api: httpx.Client, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Acme Logistics", **fields}
    result: dict[str, Any] = expect(api.post("/api/v1/clients", json=body), 201)
    return result


def create_assessment(
    api: httpx.Client, client_id: str | None = None, **fields: Any
) -> dict[str, Any]:
    if client_id is None:
        client_id = create_client(api)["id"]
    body = {"client_id": client_id, "title": "Q1 review", "questionnaire_id": "example", **fields}
    result: dict[str, Any] = expect(api.post("/api/v1/assessments", json=body), 201)
    return result


def add_respondents(api: httpx.Client, assessment_id: str, *roles: str) -> list[dict[str, Any]]:
    body = {
        "respondents": [
            {
                "name": f"Person {n}",
                "email": f"person{n}@client.example",
                "attributes": {"role": role},
            }
            for n, role in enumerate(roles)
        ]
    }
    created = expect(api.post(f"/api/v1/assessments/{assessment_id}/respondents", json=body), 201)
    respondents: list[dict[str, Any]] = created["respondents"]
    return respondents


def save_answers(
    api: httpx.Client,
    assessment_id: str,
    respondent_id: str,
    answers: dict[str, Any],
    *,
    submit: bool = False,
    token: str | None = None,
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else None
    return api.post(
        f"/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/answers",
        json={"answers": answers, "submit": submit},
        headers=headers,
    )

"""Assessments whose results documents show every shape the results can take: a team with
groups shown and withheld, a contested dimension, targets (stages and answers per item), a
baseline and a recommendation triggered by answers; a self-assessment; one respondent; a team that agrees."""

from __future__ import annotations

from typing import Any

import httpx

from tests.integration.console_session import open_self_assessment
from tests.integration.flow import (
    FULL_ANSWERS,
    add_respondents,
    create_assessment,
    create_client,
    expect,
    save_answers,
)
from tests.integration.live_server import LiveServer

__all__ = [
    "BEST",
    "WORST",
    "agreeing_team",
    "one_respondent",
    "self_assessment",
    "team_with_groups",
]

BEST: dict[str, Any] = {
    "plan_horizon": "quarter",
    "plan_slack": "fixed",
    "late_share": 5,
    "missed_reviewed": "yes",
    "review_depth": "fix",
    "tools_in_use": ["tracker", "dashboard", "runbook"],
    "manual_hours": 0,
    "tool_owner": "named",
    "weekly_review": "weekly",
    "meeting_load": "few",
}
WORST: dict[str, Any] = {
    "plan_horizon": "none",
    "plan_slack": "nothing",
    "late_share": 80,
    "missed_reviewed": "no",
    "tools_in_use": ["none"],
    "manual_hours": 40,  # triggers "Stop the manual copying first"
    "tool_owner": "na",
    "weekly_review": "rarely",
    "meeting_load": "many",
}


def _submit(
    api: httpx.Client, assessment_id: str, answers: list[dict[str, Any]], *roles: str
) -> None:
    people = add_respondents(api, assessment_id, *roles)
    for person, given in zip(people, answers, strict=True):
        expect(save_answers(api, assessment_id, person["id"], given, submit=True), 200)


def team_with_groups(api: httpx.Client) -> str:
    """Managers who rate the team high and executives who rate it low (a split), one
    individual contributor (too few to show alone), a respondent still answering, targets and
    a baseline round. The assessment's id."""
    client_id = create_client(api, external_ref="crm-7")["id"]
    before = create_assessment(api, client_id, title="Q1")["id"]
    _submit(api, before, [FULL_ANSWERS] * 3, "manager", "manager", "executive")
    after = create_assessment(
        api,
        client_id,
        title="Q2",
        baseline_assessment_id=before,
        targets={
            "overall": "strong",
            "dimensions": {"tooling": "steady"},
            # Answers per item, measured from the baseline round: meeting_load met its target
            # there already; tools_in_use lies above its target in both rounds.
            "items": {
                "plan_horizon": "quarter",
                "missed_reviewed": True,
                "tools_in_use": ["tracker"],
                "meeting_load": "some",
            },
            "percent_to_target_from": "baseline",
        },
    )["id"]
    roles = ("manager",) * 3 + ("executive",) * 3 + ("individual_contributor",)
    _submit(api, after, [BEST] * 3 + [WORST] * 3 + [FULL_ANSWERS], *roles)
    (late,) = add_respondents(api, after, "manager")
    expect(save_answers(api, after, late["id"], {"plan_horizon": "week"}), 200)
    return after


def self_assessment(server: LiveServer, api: httpx.Client, workspace_id: str) -> str:
    """A self-assessment (k = 1) with its one respondent submitted. Its id."""
    client_id = create_client(api, name="Online self-assessments")["id"]
    assessment_id = open_self_assessment(server, workspace_id, client_id)
    _submit(api, assessment_id, [FULL_ANSWERS], "executive")
    return assessment_id


def one_respondent(api: httpx.Client) -> str:
    """A team assessment where one person has submitted, answering Delivery only: no
    interval, no groups shown, a provisional reading, dimensions without data and no
    quadrant. Its id."""
    assessment_id = create_assessment(api)["id"]
    delivery = ("plan_horizon", "plan_slack", "late_share", "missed_reviewed", "review_depth")
    _submit(api, assessment_id, [{item: FULL_ANSWERS[item] for item in delivery}], "manager")
    return assessment_id


def agreeing_team(api: httpx.Client) -> str:
    """Three people who answer alike: agreement instead of a split, an interval that crosses
    no stage, and recommendations triggered by their answers. Its id."""
    assessment_id = create_assessment(api)["id"]
    alike = {**WORST, "tool_owner": "nobody"}
    _submit(api, assessment_id, [alike] * 3, "manager", "executive", "manager")
    return assessment_id

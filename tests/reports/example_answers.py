"""Answers to the example package: a five-person team (with a baseline and targets) and one
self-assessment, with the text a report must show exactly as typed."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.catalog import load_package_dir
from scoring import AssessmentResult, Package, RespondentAnswers, Targets, score_assessment

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "questionnaires" / "example" / "1.0.0"

TEAM: list[dict[str, Any]] = [
    {
        "id": "ana",
        "attributes": {"role": "executive", "site": "north"},
        "answers": {
            "plan_horizon": "month",
            "plan_slack": "some",
            "late_share": 20,
            "missed_reviewed": True,
            "review_depth": "cause",
            "tools_in_use": ["tracker", "runbook"],
            "manual_hours": 3,
            "tool_owner": "volunteer",
            "weekly_review": "weekly",
            "meeting_load": "some",
            "improvement_idea": "Fewer status meetings",
        },
    },
    {
        "id": "ben",
        "attributes": {"role": "executive"},
        "answers": {
            "plan_horizon": "week",
            "plan_slack": "nothing",
            "late_share": 40,
            "missed_reviewed": False,
            "tools_in_use": ["tracker"],
            "manual_hours": 8,
            "tool_owner": "nobody",
            "weekly_review": "monthly",
            "meeting_load": "many",
        },
    },
    {
        "id": "cy",
        "attributes": {"role": "manager"},
        "answers": {
            "plan_horizon": "quarter",
            "plan_slack": "fixed",
            "late_share": 5,
            "missed_reviewed": True,
            "review_depth": "fix",
            "tools_in_use": ["tracker", "dashboard", "runbook"],
            "manual_hours": 0,
            "tool_owner": "named",
            "weekly_review": "weekly",
            "meeting_load": "few",
            "improvement_idea": "A shared dashboard",
        },
    },
    {
        "id": "dee",
        "attributes": {"role": "manager"},
        "answers": {
            "plan_horizon": "month",
            "plan_slack": "some",
            "late_share": 15,
            "missed_reviewed": True,
            "review_depth": "blame",
            "tools_in_use": ["tracker", "dashboard"],
            "manual_hours": 2,
            "tool_owner": "na",
            "weekly_review": "weekly",
            "meeting_load": "some",
        },
    },
    {
        "id": "eve",
        "attributes": {"role": "manager"},
        "answers": {
            "plan_horizon": "week",
            "plan_slack": "some",
            "late_share": 30,
            "missed_reviewed": True,
            "review_depth": "dont_know",
            "tools_in_use": [],
            "manual_hours": 6,
            "tool_owner": "volunteer",
            "weekly_review": "rarely",
            "meeting_load": "many",
            "improvement_idea": "Protect Friday afternoons",
        },
    },
]


def example_package() -> Package:
    return load_package_dir(EXAMPLE_DIR)


def _respondents(rows: list[dict[str, Any]]) -> list[RespondentAnswers]:
    return [RespondentAnswers(r["id"], r["answers"], r["attributes"]) for r in rows]


def example_assessment(
    rows: list[dict[str, Any]] | None = None,
) -> tuple[Package, AssessmentResult]:
    """The team, with targets and a baseline (the same team a quarter earlier, one step lower)."""
    package = example_package()
    earlier = [dict(r, answers={**r["answers"], "weekly_review": "rarely"}) for r in TEAM]
    baseline = score_assessment(package, _respondents(earlier))
    result = score_assessment(
        package,
        _respondents(rows or TEAM),
        targets=Targets(overall="strong"),
        baseline=baseline,
    )
    return package, result


def individual_assessment(
    answers: dict[str, Any] | None = None, respondent: str = "Jane Doe"
) -> tuple[Package, AssessmentResult]:
    package = example_package()
    row = {
        "id": respondent,
        "attributes": {"role": "executive"},
        "answers": answers or TEAM[0]["answers"],
    }
    return package, score_assessment(package, _respondents([row]))

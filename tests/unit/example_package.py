"""The example package as plain mappings, so unit tests can vary it without touching files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from scoring import Package, build_package

EXAMPLE_DIR = Path(__file__).resolve().parents[2] / "questionnaires" / "example" / "1.0.0"


def example_mappings() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return tuple(  # type: ignore[return-value]
        yaml.safe_load((EXAMPLE_DIR / name).read_text())
        for name in ("questionnaire.yaml", "stage_model.yaml", "recommendations.yaml")
    )


_MAPPINGS = example_mappings()


def fresh_mappings() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    return copy.deepcopy(_MAPPINGS)


EXAMPLE = build_package(*_MAPPINGS)


def example_package() -> Package:
    return EXAMPLE


# A complete, middling set of answers to the example package.
FULL_ANSWERS: dict[str, object] = {
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
}

BEST_ANSWERS: dict[str, object] = {
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

WORST_ANSWERS: dict[str, object] = {
    "plan_horizon": "none",
    "plan_slack": "nothing",
    "late_share": 80,
    "missed_reviewed": "no",
    "tools_in_use": [],
    "manual_hours": 40,
    "tool_owner": "nobody",
    "weekly_review": "rarely",
    "meeting_load": "many",
}

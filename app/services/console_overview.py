"""The console's dashboard: team assessments with their completion, and recent
self-assessments with the stage each reached.

Respondents are counted per status for every listed assessment in one query, and the answers
of the listed self-assessments are read in two, so the page costs the same for 5 or 200 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.catalog import Catalog, UnknownQuestionnaireError
from app.repositories import console_overview as overview_rows
from app.repositories.console_overview import AssessmentCounts
from app.repositories.respondents import SubmittedAnswers
from scoring import AnswerError, Package, score_respondent

__all__ = [
    "DASHBOARD_LIMIT",
    "RECENT_SELF_ASSESSMENTS",
    "Dashboard",
    "SelfAssessmentRow",
    "TeamAssessmentRow",
    "console_dashboard",
]

DASHBOARD_LIMIT = 200
RECENT_SELF_ASSESSMENTS = 8


@dataclass(frozen=True, slots=True)
class TeamAssessmentRow:
    id: str
    title: str
    client_name: str
    status: str
    respondents: int
    in_progress: int
    submitted: int
    updated_at: datetime

    @property
    def completion_percent(self) -> int:
        return round(100 * self.submitted / self.respondents) if self.respondents else 0


@dataclass(frozen=True, slots=True)
class SelfAssessmentRow:
    id: str
    title: str
    status: str
    updated_at: datetime
    stage_name: str | None  # once closed (submitted), the overall stage reached


@dataclass(frozen=True, slots=True)
class Dashboard:
    team: tuple[TeamAssessmentRow, ...]
    recent_self: tuple[SelfAssessmentRow, ...]
    more_team_assessments: bool  # more than DASHBOARD_LIMIT: only the most recent are listed


def console_dashboard(*, session: Session, catalog: Catalog, workspace_id: str) -> Dashboard:
    """The workspace's team assessments, most recently updated first, and its most recent
    self-assessments."""
    team = overview_rows.assessments_with_counts(
        session, workspace_id=workspace_id, kind="team", limit=DASHBOARD_LIMIT + 1
    )
    recent = overview_rows.assessments_with_counts(
        session, workspace_id=workspace_id, kind="self", limit=RECENT_SELF_ASSESSMENTS
    )
    closed_ids = [row.id for row in recent if row.status == "closed"]
    answers = overview_rows.submitted_answers_by_assessment(
        session, workspace_id=workspace_id, assessment_ids=closed_ids
    )
    return Dashboard(
        team=tuple(
            TeamAssessmentRow(
                row.id,
                row.title,
                row.client_name,
                row.status,
                row.respondents,
                row.in_progress,
                row.submitted,
                row.updated_at,
            )
            for row in team[:DASHBOARD_LIMIT]
        ),
        recent_self=tuple(
            SelfAssessmentRow(
                row.id,
                row.title,
                row.status,
                row.updated_at,
                _stage_name(catalog, row, answers.get(row.id, [])),
            )
            for row in recent
        ),
        more_team_assessments=len(team) > DASHBOARD_LIMIT,
    )


def _pinned(catalog: Catalog, row: AssessmentCounts) -> Package | None:
    try:
        package = catalog.get(row.questionnaire_id, row.questionnaire_version)
    except UnknownQuestionnaireError:
        return None
    return package if package.content_hash == row.content_hash else None


def _stage_name(
    catalog: Catalog, row: AssessmentCounts, submitted: list[SubmittedAnswers]
) -> str | None:
    """The stage of a self-assessment's one respondent; None when it cannot be told (not
    submitted, or its questionnaire version is no longer in the catalog)."""
    package = _pinned(catalog, row)
    if package is None or len(submitted) != 1:
        return None
    try:
        result = score_respondent(package, submitted[0].answers)
    except AnswerError:
        return None
    stage_id = result.overall.stage.stage_id
    names = {stage.id: stage.name for stage in package.stage_model.stages}
    return names.get(stage_id) if stage_id is not None else None

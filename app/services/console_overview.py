"""The console's dashboard: team assessments with their completion, and recent
self-assessments with the stage each reached. A self-assessment started more than the
declared number of days ago (the setting `self_assessment_archive_after_days`) and never
submitted is an abandoned start: it counts as archived, left out of the recent ones and listed
on a page of its own; nothing about it changes, so its private link still resumes it.

Respondents are counted per status for every listed assessment in one query, and the answers
of the listed self-assessments are read in two, so the page costs the same for 5 or 200 rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.catalog import Catalog, UnknownQuestionnaireError
from app.repositories import console_overview as overview_rows
from app.repositories.console_overview import AssessmentCounts
from app.repositories.respondents import SubmittedAnswers
from scoring import AnswerError, Package, score_respondent

__all__ = [
    "ARCHIVED_LIMIT",
    "DASHBOARD_LIMIT",
    "RECENT_SELF_ASSESSMENTS",
    "ArchivedSelfAssessments",
    "ArchivedStartRow",
    "Dashboard",
    "SelfAssessmentRow",
    "TeamAssessmentRow",
    "archive_cutoff",
    "archived_self_assessments",
    "console_dashboard",
]

DASHBOARD_LIMIT = 200
RECENT_SELF_ASSESSMENTS = 8
ARCHIVED_LIMIT = 200


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
    archived_self: int  # abandoned self-assessment starts, listed on their own page
    archive_after_days: int


@dataclass(frozen=True, slots=True)
class ArchivedStartRow:
    id: str
    title: str
    started_at: datetime
    updated_at: datetime
    answers_saved: bool  # the person answered something before leaving


@dataclass(frozen=True, slots=True)
class ArchivedSelfAssessments:
    rows: tuple[ArchivedStartRow, ...]  # most recently updated first
    more: bool  # more than ARCHIVED_LIMIT: only the most recent are listed
    archive_after_days: int


def archive_cutoff(*, now: datetime, archive_after_days: int) -> datetime:
    """Self-assessments started before this moment and never submitted count as archived."""
    return now - timedelta(days=archive_after_days)


def console_dashboard(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    now: datetime,
    archive_after_days: int,
) -> Dashboard:
    """The workspace's team assessments, most recently updated first, its most recent
    self-assessments (archived starts left out) and how many starts are archived."""
    cutoff = archive_cutoff(now=now, archive_after_days=archive_after_days)
    team = overview_rows.assessments_with_counts(
        session, workspace_id=workspace_id, kind="team", limit=DASHBOARD_LIMIT + 1
    )
    recent = overview_rows.assessments_with_counts(
        session,
        workspace_id=workspace_id,
        kind="self",
        limit=RECENT_SELF_ASSESSMENTS,
        archived_before=cutoff,
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
        archived_self=overview_rows.archived_self_assessment_count(
            session, workspace_id=workspace_id, started_before=cutoff
        ),
        archive_after_days=archive_after_days,
    )


def archived_self_assessments(
    *, session: Session, workspace_id: str, now: datetime, archive_after_days: int
) -> ArchivedSelfAssessments:
    """The workspace's archived self-assessment starts, most recently updated first."""
    rows = overview_rows.assessments_with_counts(
        session,
        workspace_id=workspace_id,
        kind="self",
        limit=ARCHIVED_LIMIT + 1,
        archived_before=archive_cutoff(now=now, archive_after_days=archive_after_days),
        archived=True,
    )
    return ArchivedSelfAssessments(
        rows=tuple(
            ArchivedStartRow(row.id, row.title, row.created_at, row.updated_at, row.in_progress > 0)
            for row in rows[:ARCHIVED_LIMIT]
        ),
        more=len(rows) > ARCHIVED_LIMIT,
        archive_after_days=archive_after_days,
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

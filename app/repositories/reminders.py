"""SQL for the mail that dates bring due: respondents who may be reminded, assessments past
their close date, and assessments whose respondents have all submitted. The schedules read
across workspaces (as the mail worker's claim does); the console's reads are scoped by one."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import exists, update
from sqlmodel import Session, col, select

from app.models import Assessment, MailMessage, Respondent, Workspace

__all__ = [
    "assessments_past_close",
    "completed_without_notice",
    "mark_notice_sent",
    "remindable_respondents",
    "taken_dedupe_keys",
]


def remindable_respondents(
    session: Session, *, workspace_id: str | None = None, assessment_id: str | None = None
) -> list[tuple[Respondent, Assessment, Workspace]]:
    """Respondents of open team assessments who were invited, have an e-mail, have not
    submitted and have not opted out, with their assessment and workspace."""
    statement = (
        select(Respondent, Assessment, Workspace)
        .join(Assessment, col(Assessment.id) == Respondent.assessment_id)
        .join(Workspace, col(Workspace.id) == Respondent.workspace_id)
        .where(
            Assessment.status == "open",
            Assessment.kind == "team",
            col(Respondent.invited_at).is_not(None),
            col(Respondent.email).is_not(None),
            col(Respondent.mail_opt_out_at).is_(None),
            Respondent.status != "submitted",
        )
        .order_by(col(Respondent.assessment_id), col(Respondent.created_at), col(Respondent.id))
    )
    if workspace_id is not None:
        statement = statement.where(Respondent.workspace_id == workspace_id)
    if assessment_id is not None:
        statement = statement.where(Respondent.assessment_id == assessment_id)
    return [(r, a, w) for r, a, w in session.exec(statement).all()]


def taken_dedupe_keys(session: Session, keys: Collection[str]) -> set[str]:
    """Which of `keys` a queued message holds already."""
    found: set[str] = set()
    ordered = sorted(keys)
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        statement = select(MailMessage.dedupe_key).where(col(MailMessage.dedupe_key).in_(chunk))
        found.update(key for key in session.exec(statement).all() if key is not None)
    return found


def assessments_past_close(session: Session, *, now: datetime) -> list[Assessment]:
    statement = (
        select(Assessment)
        .where(
            Assessment.status == "open",
            col(Assessment.closes_at).is_not(None),
            col(Assessment.closes_at) <= now,
        )
        .order_by(col(Assessment.closes_at), col(Assessment.id))
    )
    return list(session.exec(statement).all())


def completed_without_notice(session: Session) -> list[Assessment]:
    """Open team assessments whose respondents (one or more) have all submitted, and whose
    consultants were not told yet."""
    someone = exists().where(col(Respondent.assessment_id) == Assessment.id)
    unfinished = exists().where(
        col(Respondent.assessment_id) == Assessment.id, col(Respondent.status) != "submitted"
    )
    statement = (
        select(Assessment)
        .where(
            Assessment.status == "open",
            Assessment.kind == "team",
            col(Assessment.completion_notice_at).is_(None),
            someone,
            ~unfinished,
        )
        .order_by(col(Assessment.id))
    )
    return list(session.exec(statement).all())


def mark_notice_sent(session: Session, *, assessment_id: str, now: datetime) -> None:
    session.exec(
        update(Assessment)
        .where(col(Assessment.id) == assessment_id)
        .values(completion_notice_at=now)
        .execution_options(synchronize_session=False)
    )

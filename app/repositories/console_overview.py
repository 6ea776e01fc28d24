"""SQL for the console's overviews: assessments with their respondents counted by status (one
query for any number of assessments), self-assessment starts archived after a while without a
submission, and the submitted answers of several assessments at once. Every query is scoped by
workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, not_
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from app.models import Answer, Assessment, Client, Respondent
from app.repositories.respondents import SubmittedAnswers

__all__ = [
    "AssessmentCounts",
    "archived_self_assessment_count",
    "assessments_with_counts",
    "submitted_answers_by_assessment",
]


@dataclass(frozen=True, slots=True)
class AssessmentCounts:
    """An assessment, its client's name, and how many respondents it has in each status."""

    id: str
    title: str
    kind: str
    status: str
    client_id: str
    client_name: str
    questionnaire_id: str
    questionnaire_version: str
    content_hash: str
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    respondents: int
    in_progress: int
    submitted: int


def _count_of(status: str) -> Any:
    return func.coalesce(func.sum(case((col(Respondent.status) == status, 1), else_=0)), 0)


def _archived_start(started_before: datetime) -> Any:
    """A self-assessment started before `started_before` and still open: never submitted
    (submitting closes it)."""
    return and_(
        col(Assessment.kind) == "self",
        col(Assessment.status) == "open",
        col(Assessment.created_at) < started_before,
    )


def archived_self_assessment_count(
    session: Session, *, workspace_id: str, started_before: datetime
) -> int:
    statement = select_columns(func.count()).where(
        col(Assessment.workspace_id) == workspace_id, _archived_start(started_before)
    )
    return int(session.connection().execute(statement).scalar_one())


def assessments_with_counts(
    session: Session,
    *,
    workspace_id: str,
    kind: str | None,
    limit: int,
    archived_before: datetime | None = None,
    archived: bool = False,
) -> list[AssessmentCounts]:
    """Most recently updated first; respondents counted per status in the same query. With
    `archived_before`, self-assessments started before it and never submitted are left out,
    or (`archived`) only they are listed."""
    counts = (
        select_columns(
            col(Respondent.assessment_id).label("assessment_id"),
            func.count().label("respondents"),
            _count_of("in_progress").label("in_progress"),
            _count_of("submitted").label("submitted"),
        )
        .where(col(Respondent.workspace_id) == workspace_id)
        .group_by(col(Respondent.assessment_id))
        .subquery()
    )
    statement = (
        select_columns(
            col(Assessment.id),
            col(Assessment.title),
            col(Assessment.kind),
            col(Assessment.status),
            col(Assessment.client_id),
            col(Client.name),
            col(Assessment.questionnaire_id),
            col(Assessment.questionnaire_version),
            col(Assessment.content_hash),
            col(Assessment.created_at),
            col(Assessment.updated_at),
            col(Assessment.closed_at),
            func.coalesce(counts.c.respondents, 0),
            func.coalesce(counts.c.in_progress, 0),
            func.coalesce(counts.c.submitted, 0),
        )
        .join(Client, col(Client.id) == col(Assessment.client_id))
        .outerjoin(counts, counts.c.assessment_id == col(Assessment.id))
        .where(col(Assessment.workspace_id) == workspace_id)
    )
    if kind is not None:
        statement = statement.where(col(Assessment.kind) == kind)
    if archived_before is not None:
        archived_start = _archived_start(archived_before)
        statement = statement.where(archived_start if archived else not_(archived_start))
    statement = statement.order_by(
        col(Assessment.updated_at).desc(), col(Assessment.id).desc()
    ).limit(limit)
    rows = session.connection().execute(statement)
    return [_counts(row) for row in rows]


def _counts(row: Any) -> AssessmentCounts:
    (id_, title, kind, status, client_id, client_name, questionnaire_id, version) = row[:8]
    content_hash, created_at, updated_at, closed_at = row[8:12]
    return AssessmentCounts(
        id=id_,
        title=title,
        kind=kind,
        status=status,
        client_id=client_id,
        client_name=client_name,
        questionnaire_id=questionnaire_id,
        questionnaire_version=version,
        content_hash=content_hash,
        created_at=created_at,
        updated_at=updated_at,
        closed_at=closed_at,
        respondents=int(row[12]),
        in_progress=int(row[13]),
        submitted=int(row[14]),
    )


def submitted_answers_by_assessment(
    session: Session, *, workspace_id: str, assessment_ids: Sequence[str]
) -> dict[str, list[SubmittedAnswers]]:
    """Assessment id -> its submitted respondents' attributes and answers (two queries)."""
    if not assessment_ids:
        return {}
    respondents = (
        session.connection()
        .execute(
            select_columns(
                col(Respondent.id), col(Respondent.assessment_id), col(Respondent.attributes)
            )
            .where(
                col(Respondent.workspace_id) == workspace_id,
                col(Respondent.assessment_id).in_(list(assessment_ids)),
                col(Respondent.status) == "submitted",
            )
            .order_by(col(Respondent.created_at), col(Respondent.id))
        )
        .all()
    )
    answers: dict[str, dict[str, Any]] = {row[0]: {} for row in respondents}
    if answers:
        rows = session.connection().execute(
            select_columns(col(Answer.respondent_id), col(Answer.item_id), col(Answer.value)).where(
                col(Answer.respondent_id).in_(list(answers))
            )
        )
        for respondent_id, item_id, value in rows:
            answers[respondent_id][item_id] = value
    found: dict[str, list[SubmittedAnswers]] = {}
    for respondent_id, assessment_id, attributes in respondents:
        found.setdefault(assessment_id, []).append(
            SubmittedAnswers(respondent_id, dict(attributes or {}), answers[respondent_id])
        )
    return found

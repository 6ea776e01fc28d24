"""SQL that counts what a deletion takes with it: a client's assessments, and the respondents
and answers under them. Every query is scoped by workspace."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col

from app.models import Answer, Assessment, Respondent

__all__ = ["DeletionScope", "assessment_deletion_scope", "client_deletion_scope"]


@dataclass(frozen=True, slots=True)
class DeletionScope:
    """How many rows go with the deleted client or assessment."""

    assessments: int
    respondents: int
    answers: int


def client_deletion_scope(session: Session, *, workspace_id: str, client_id: str) -> DeletionScope:
    assessment_ids = select_columns(col(Assessment.id)).where(
        col(Assessment.workspace_id) == workspace_id, col(Assessment.client_id) == client_id
    )
    assessments = _count(
        session, select_columns(func.count()).select_from(assessment_ids.subquery())
    )
    respondents, answers = _respondents_and_answers(
        session, workspace_id, col(Respondent.assessment_id).in_(assessment_ids)
    )
    return DeletionScope(assessments, respondents, answers)


def assessment_deletion_scope(
    session: Session, *, workspace_id: str, assessment_id: str
) -> DeletionScope:
    respondents, answers = _respondents_and_answers(
        session, workspace_id, col(Respondent.assessment_id) == assessment_id
    )
    return DeletionScope(1, respondents, answers)


def _respondents_and_answers(session: Session, workspace_id: str, of: Any) -> tuple[int, int]:
    respondent_ids = select_columns(col(Respondent.id)).where(
        col(Respondent.workspace_id) == workspace_id, of
    )
    respondents = _count(
        session, select_columns(func.count()).select_from(respondent_ids.subquery())
    )
    answers = _count(
        session,
        select_columns(func.count())
        .select_from(Answer)
        .where(col(Answer.respondent_id).in_(respondent_ids)),
    )
    return respondents, answers


def _count(session: Session, statement: Any) -> int:
    return int(session.connection().execute(statement).scalar_one())

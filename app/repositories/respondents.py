"""SQL for respondents and their answers. Every query is scoped by workspace."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.models import Answer, Respondent
from app.models.tables import table_of

__all__ = [
    "InviteHolder",
    "RespondentWithProgress",
    "SubmittedAnswers",
    "add_respondents",
    "answers_of",
    "count_by_status",
    "delete_respondent",
    "find_respondent_by_invite_hash",
    "get_respondent",
    "list_respondents",
    "submitted_answers",
]


@dataclass(frozen=True, slots=True)
class RespondentWithProgress:
    """A respondent with their saved answers, from which scoring.answer_progress counts."""

    respondent: Respondent
    answers: Mapping[str, Any]  # item id -> saved value


@dataclass(frozen=True, slots=True)
class SubmittedAnswers:
    respondent_id: str
    attributes: Mapping[str, str]
    answers: Mapping[str, Any]
    erased: bool = False  # their personal data was erased; the answers stay, anonymous


def add_respondents(session: Session, respondents: Iterable[Respondent]) -> None:
    session.add_all(list(respondents))
    session.flush()


def get_respondent(
    session: Session,
    *,
    workspace_id: str,
    assessment_id: str,
    respondent_id: str,
    lock: bool = False,
) -> Respondent | None:
    """With `lock`, hold the row (FOR NO KEY UPDATE on PostgreSQL) so that saves of one
    respondent's answers run one after another and their merges never interleave."""
    statement = select(Respondent).where(
        Respondent.workspace_id == workspace_id,
        Respondent.assessment_id == assessment_id,
        Respondent.id == respondent_id,
    )
    if lock:
        statement = statement.with_for_update(key_share=True)
    return session.exec(statement).first()


@dataclass(frozen=True, slots=True)
class InviteHolder:
    """What authentication needs of the respondent an invite token belongs to."""

    id: str
    workspace_id: str
    assessment_id: str


def find_respondent_by_invite_hash(session: Session, token_hash: str) -> InviteHolder | None:
    row = session.connection().execute(_FIND_BY_INVITE_HASH, {"token_hash": token_hash}).first()
    return None if row is None else InviteHolder(*row)


def list_respondents(
    session: Session, *, workspace_id: str, assessment_id: str
) -> list[RespondentWithProgress]:
    """The assessment's respondents in the order they were added, each with their answers:
    one query for all of them (a row per answer, one row for a respondent with none)."""
    statement = (
        select(Respondent, Answer.item_id, Answer.value)
        .outerjoin(Answer, col(Answer.respondent_id) == Respondent.id)
        .where(Respondent.workspace_id == workspace_id, Respondent.assessment_id == assessment_id)
        .order_by(col(Respondent.created_at), col(Respondent.id))
    )
    found: dict[str, tuple[Respondent, dict[str, Any]]] = {}
    for respondent, item_id, value in session.exec(statement).all():
        _, answers = found.setdefault(respondent.id, (respondent, {}))
        if item_id is not None:
            answers[item_id] = value
    return [RespondentWithProgress(respondent, answers) for respondent, answers in found.values()]


def count_by_status(session: Session, *, assessment_id: str) -> dict[str, int]:
    statement = (
        select(Respondent.status, func.count())
        .where(Respondent.assessment_id == assessment_id)
        .group_by(col(Respondent.status))
    )
    return {status: int(count) for status, count in session.exec(statement).all()}


def delete_respondent(session: Session, respondent: Respondent) -> None:
    """Their answers go with them (ON DELETE CASCADE)."""
    session.delete(respondent)
    session.flush()


_ANSWER = table_of(Answer)
_RESPONDENT = table_of(Respondent)

_FIND_BY_INVITE_HASH = select_columns(
    _RESPONDENT.c.id, _RESPONDENT.c.workspace_id, _RESPONDENT.c.assessment_id
).where(_RESPONDENT.c.invite_token_hash == bindparam("token_hash"))
_ANSWERS_OF = select_columns(_ANSWER.c.item_id, _ANSWER.c.value).where(
    _ANSWER.c.respondent_id == bindparam("respondent_id")
)


def answers_of(session: Session, *, respondent_id: str) -> dict[str, Any]:
    """Item id -> saved value."""
    rows = session.connection().execute(_ANSWERS_OF, {"respondent_id": respondent_id})
    return {item_id: value for item_id, value in rows}


def submitted_answers(session: Session, *, assessment_id: str) -> Sequence[SubmittedAnswers]:
    """Attributes and answers of every submitted respondent, in a stable order."""
    respondents = session.exec(
        select(Respondent)
        .where(Respondent.assessment_id == assessment_id, Respondent.status == "submitted")
        .order_by(col(Respondent.created_at), col(Respondent.id))
    ).all()
    if not respondents:
        return []
    answers: dict[str, dict[str, Any]] = {r.id: {} for r in respondents}
    rows = session.exec(select(Answer).where(col(Answer.respondent_id).in_(list(answers)))).all()
    for answer in rows:
        answers[answer.respondent_id][answer.item_id] = answer.value
    return [
        SubmittedAnswers(r.id, dict(r.attributes), answers[r.id], r.erased_at is not None)
        for r in respondents
    ]

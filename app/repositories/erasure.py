"""SQL for erasing a person's data: the rows that mention them (webhook event bodies, stored
idempotent responses, audit details, mail), found by what identifies them, within one
workspace."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, String, cast, delete, or_
from sqlmodel import Session, col, select

from app.models import (
    Answer,
    AuditEvent,
    CachedReport,
    IdempotencyRecord,
    MailMessage,
    WebhookEvent,
)

__all__ = [
    "audit_events_mentioning",
    "delete_answers",
    "delete_cached_reports",
    "delete_idempotency_records_mentioning",
    "delete_mail",
    "events_mentioning",
    "mail_of",
]


def _mentions(column: Any, needles: Sequence[str]) -> ColumnElement[bool]:
    """Rows whose text holds any of `needles` (LIKE, with % and _ escaped)."""
    text = cast(column, String)
    return or_(*(text.contains(needle, autoescape=True) for needle in needles))


def events_mentioning(
    session: Session, *, workspace_id: str, needles: Sequence[str]
) -> Sequence[WebhookEvent]:
    statement = select(WebhookEvent).where(
        WebhookEvent.workspace_id == workspace_id, _mentions(WebhookEvent.body, needles)
    )
    return session.exec(statement).all()


def audit_events_mentioning(
    session: Session, *, workspace_id: str, needles: Sequence[str]
) -> Sequence[AuditEvent]:
    statement = select(AuditEvent).where(
        AuditEvent.workspace_id == workspace_id, _mentions(AuditEvent.detail, needles)
    )
    return session.exec(statement).all()


def delete_idempotency_records_mentioning(
    session: Session, *, workspace_id: str, needles: Sequence[str]
) -> int:
    result = session.execute(
        delete(IdempotencyRecord)
        .where(
            col(IdempotencyRecord.workspace_id) == workspace_id,
            _mentions(IdempotencyRecord.response_body, needles),
        )
        .execution_options(synchronize_session=False)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def mail_of(
    session: Session, *, workspace_id: str, respondent_id: str, addresses: Sequence[str]
) -> list[str]:
    """The ids of the workspace's mail to the respondent, or to any of `addresses`."""
    to_person = [col(MailMessage.respondent_id) == respondent_id]
    if addresses:
        to_person.append(col(MailMessage.to_address).in_(addresses))
    statement = select(MailMessage.id).where(
        MailMessage.workspace_id == workspace_id, or_(*to_person)
    )
    return list(session.exec(statement).all())


def delete_mail(session: Session, *, mail_ids: Sequence[str]) -> None:
    if mail_ids:
        session.execute(
            delete(MailMessage)
            .where(col(MailMessage.id).in_(mail_ids))
            .execution_options(synchronize_session=False)
        )


def delete_answers(session: Session, *, respondent_id: str, item_ids: Sequence[str]) -> None:
    if item_ids:
        session.execute(
            delete(Answer)
            .where(col(Answer.respondent_id) == respondent_id, col(Answer.item_id).in_(item_ids))
            .execution_options(synchronize_session=False)
        )


def delete_cached_reports(session: Session, *, assessment_id: str) -> None:
    session.execute(
        delete(CachedReport)
        .where(col(CachedReport.assessment_id) == assessment_id)
        .execution_options(synchronize_session=False)
    )

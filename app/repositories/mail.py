"""SQL for the mail outbox and its delivery log. Queries that serve a workspace are scoped by
it; the mail worker's claim spans every workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, func, select

from app.mail.messages import OutgoingMail
from app.models import MailAttempt, MailMessage
from app.models.tables import table_of

__all__ = [
    "add_message",
    "any_due_message",
    "attempts_of",
    "claim_due_messages",
    "count_messages",
    "dedupe_key_taken",
    "finish_attempt",
    "get_message",
    "list_messages",
]

_OPEN_STATUSES = ("pending", "sending")
_MESSAGE = table_of(MailMessage)
_M = _MESSAGE.c


def dedupe_key_taken(session: Session, dedupe_key: str) -> bool:
    statement = select(MailMessage.id).where(MailMessage.dedupe_key == dedupe_key).limit(1)
    return session.exec(statement).first() is not None


def add_message(session: Session, message: MailMessage) -> MailMessage:
    session.add(message)
    session.flush()
    return message


def _due(now: datetime) -> Select[tuple[str]]:
    return select_columns(_M.id).where(_M.status.in_(_OPEN_STATUSES), _M.next_attempt_at <= now)


def any_due_message(session: Session, *, now: datetime) -> bool:
    """A plain read, so an idle worker takes no lock and no write turn."""
    return session.connection().execute(_due(now).limit(1)).first() is not None


def claim_due_messages(
    session: Session, *, now: datetime, lease_until: datetime, limit: int, claim_token: str
) -> list[OutgoingMail]:
    """Claim up to `limit` due messages for one attempt each, as the webhook deliveries are
    claimed (app/repositories/webhooks.py): FOR UPDATE SKIP LOCKED on PostgreSQL, the single
    writer on SQLite; a claim not settled by `lease_until` lapses and the message is due
    again."""
    due = (
        _due(now)
        .order_by(_M.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=_MESSAGE)
    )
    ids = [row[0] for row in session.connection().execute(due)]
    if not ids:
        return []
    session.connection().execute(
        update(_MESSAGE)
        .where(_M.id.in_(ids))
        .values(
            status="sending",
            claim_token=claim_token,
            next_attempt_at=lease_until,
            attempt_count=_M.attempt_count + 1,
        )
    )
    rows = session.exec(
        select(MailMessage)
        .where(col(MailMessage.id).in_(ids))
        .order_by(col(MailMessage.created_at), col(MailMessage.id))
        .execution_options(populate_existing=True)
    )
    return [OutgoingMail.of(row, claim_token=claim_token) for row in rows]


def finish_attempt(
    session: Session,
    *,
    claim_token: str,
    attempt: MailAttempt,
    status: str,
    next_attempt_at: datetime | None,
    sent_at: datetime | None,
) -> bool:
    """Log the attempt and settle the message, if the claim still holds (False: the lease ran
    out and another worker claimed it, or the message is gone)."""
    settled = cast(
        CursorResult[Any],
        session.execute(
            update(MailMessage)
            .where(
                col(MailMessage.id) == attempt.message_id,
                col(MailMessage.claim_token) == claim_token,
            )
            .values(
                status=status,
                next_attempt_at=next_attempt_at,
                sent_at=sent_at,
                claim_token=None,
                last_error=attempt.error,
            )
            .execution_options(synchronize_session=False)
        ),
    )
    exists = settled.rowcount == 1 or session.get(MailMessage, attempt.message_id) is not None
    if exists:  # a hand-over that happened is logged even when its claim ran out
        session.add(attempt)
    session.flush()
    return settled.rowcount == 1


def list_messages(
    session: Session, *, workspace_id: str, limit: int, offset: int = 0
) -> Sequence[MailMessage]:
    """Newest first."""
    statement = (
        select(MailMessage)
        .where(MailMessage.workspace_id == workspace_id)
        .order_by(col(MailMessage.created_at).desc(), col(MailMessage.id).desc())
        .offset(offset)
        .limit(limit)
    )
    return session.exec(statement).all()


def count_messages(session: Session, *, workspace_id: str) -> dict[str, int]:
    """Messages per status."""
    statement = (
        select(MailMessage.status, func.count())
        .where(MailMessage.workspace_id == workspace_id)
        .group_by(col(MailMessage.status))
    )
    return {status: count for status, count in session.exec(statement)}


def get_message(session: Session, *, workspace_id: str, message_id: str) -> MailMessage | None:
    statement = select(MailMessage).where(
        MailMessage.workspace_id == workspace_id, MailMessage.id == message_id
    )
    return session.exec(statement).first()


def attempts_of(session: Session, *, message_id: str) -> Sequence[MailAttempt]:
    statement = (
        select(MailAttempt)
        .where(MailAttempt.message_id == message_id)
        .order_by(col(MailAttempt.attempt), col(MailAttempt.started_at))
    )
    return session.exec(statement).all()

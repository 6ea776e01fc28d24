"""What the console's mail page shows: the workspace's messages newest first, counts per
status, where mail goes (the relay, or the mail folder), one message with its delivery log,
and a failed message queued again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.mail.messages import OutgoingMail, mime_message
from app.models import MailAttempt, MailMessage
from app.repositories import audit
from app.repositories import mail as mail_rows
from app.services.errors import ConflictError, NotFoundError
from app.settings import Settings

__all__ = [
    "MailLog",
    "MailMessageView",
    "mail_destination",
    "mail_log",
    "mail_message_view",
    "message_source",
    "send_again",
]

PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class MailLog:
    messages: Sequence[MailMessage]
    counts: dict[str, int]
    more: bool


@dataclass(frozen=True, slots=True)
class MailMessageView:
    message: MailMessage
    attempts: Sequence[MailAttempt]


def mail_destination(settings: Settings) -> str:
    """Where mail goes, in a sentence for the console."""
    if not settings.smtp_host:
        return (
            "No SMTP relay is configured: each message is written as an .eml file to "
            f"{settings.mail_folder.resolve()} instead of being sent."
        )
    security = {"starttls": "STARTTLS", "tls": "TLS", "none": "no encryption"}
    return (
        f"Mail goes out through the SMTP relay {settings.smtp_host}:{settings.smtp_port} "
        f"({security[settings.smtp_security]})."
    )


def mail_log(*, session: Session, workspace_id: str) -> MailLog:
    rows = mail_rows.list_messages(session, workspace_id=workspace_id, limit=PAGE_SIZE + 1)
    return MailLog(
        messages=rows[:PAGE_SIZE],
        counts=mail_rows.count_messages(session, workspace_id=workspace_id),
        more=len(rows) > PAGE_SIZE,
    )


def _message(session: Session, workspace_id: str, mail_id: str) -> MailMessage:
    message = mail_rows.get_message(session, workspace_id=workspace_id, message_id=mail_id)
    if message is None:
        raise NotFoundError("mail message", mail_id)
    return message


def mail_message_view(*, session: Session, workspace_id: str, mail_id: str) -> MailMessageView:
    message = _message(session, workspace_id, mail_id)
    return MailMessageView(message, mail_rows.attempts_of(session, message_id=message.id))


def message_source(*, session: Session, workspace_id: str, mail_id: str) -> bytes:
    """The message exactly as it goes out (RFC 5322 bytes), for an .eml download."""
    message = _message(session, workspace_id, mail_id)
    return mime_message(OutgoingMail.of(message)).as_bytes()


def send_again(
    *, session: Session, workspace_id: str, mail_id: str, actor: str, now: datetime
) -> None:
    """Queue a failed message again, with its attempts counted afresh (same Message-ID)."""
    message = _message(session, workspace_id, mail_id)
    if message.status != "failed":
        raise ConflictError("only a failed message can be sent again")
    message.status = "pending"
    message.attempt_count = 0
    message.next_attempt_at = now
    session.add(message)
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="mail.requeued",
        subject_type="mail_message",
        subject_id=message.id,
        detail={"template": message.template},
    )

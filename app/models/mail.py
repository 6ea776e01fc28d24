"""Mail: the outbox of messages to people (invitations, reminders, password resets) and its
delivery log.

A message row is written in the transaction of the change that causes it, rendered in full
(subject, plain text, HTML), so every attempt sends the same bytes under the same Message-ID;
mail workers claim due messages, hand them to the SMTP relay (or write them to the mail
folder when no relay is configured), and log each attempt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["MailAttempt", "MailMessage"]


class MailMessage(SQLModel, table=True):
    """`status`: pending (due at `next_attempt_at`), sending (claimed by a worker until
    `next_attempt_at`, its lease), sent, or failed (out of attempts, or refused for good).
    `dedupe_key` makes a message that must go at most once (a reminder step) unique.
    `workspace_id` is None for mail that belongs to a person rather than a workspace (a
    password reset)."""

    __tablename__ = "mail_message"
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "workspace_id", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id("mail"), primary_key=True, max_length=40)
    workspace_id: str | None = Field(
        default=None, max_length=40, foreign_key="workspace.id", ondelete="CASCADE"
    )
    respondent_id: str | None = Field(default=None, max_length=40, index=True)
    template: str = Field(max_length=60)
    message_id: str = Field(max_length=200, unique=True)
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    from_address: str = Field(max_length=400)
    reply_to: str | None = Field(default=None, max_length=320)
    to_address: str = Field(max_length=320)
    to_name: str = Field(default="", max_length=200)
    subject: str = Field(max_length=300)
    text_body: str = Field(sa_type=Text)
    html_body: str = Field(sa_type=Text)
    status: str = Field(default="pending", max_length=10)
    attempt_count: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claim_token: str | None = Field(default=None, max_length=40)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class MailAttempt(SQLModel, table=True):
    """The delivery log: one row per hand-over to the relay (or the mail folder)."""

    __tablename__ = "mail_attempt"
    __table_args__ = (Index(None, "message_id", "attempt"),)

    id: str = Field(default_factory=lambda: new_id("mla"), primary_key=True, max_length=40)
    message_id: str = Field(max_length=40, foreign_key="mail_message.id", ondelete="CASCADE")
    attempt: int
    started_at: datetime = Field(sa_type=UtcDateTime)
    duration_ms: int
    error: str | None = Field(default=None, max_length=500)

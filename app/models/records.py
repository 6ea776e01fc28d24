"""Records kept about requests: the audit trail of consultant actions and idempotency keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["AuditEvent", "IdempotencyRecord"]


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (Index(None, "workspace_id", "created_at"),)

    id: str = Field(default_factory=lambda: new_id("evt"), primary_key=True, max_length=40)
    workspace_id: str = Field(max_length=40, foreign_key="workspace.id", ondelete="CASCADE")
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60)
    subject_type: str = Field(max_length=40)
    subject_id: str = Field(max_length=40)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class IdempotencyRecord(SQLModel, table=True):
    """A POST made with an Idempotency-Key: claimed while it runs (`response_status` unset),
    then holding the first response so a retry gets it back. Kept in the database so that
    every worker sees it."""

    __tablename__ = "idempotency_record"

    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", primary_key=True
    )
    key: str = Field(primary_key=True, max_length=255)
    method: str = Field(max_length=10)
    path: str = Field(max_length=500)
    body_hash: str = Field(max_length=64)
    response_status: int | None = Field(default=None)
    response_body: str | None = Field(default=None, sa_type=Text)
    response_media_type: str | None = Field(default=None, max_length=100)
    response_location: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)

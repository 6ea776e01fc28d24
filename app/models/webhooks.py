"""Webhooks: endpoints of a workspace, the transactional outbox of events, and the delivery log.

An event row and one delivery row per subscribed endpoint are written in the transaction of
the change that causes them; delivery workers claim due deliveries, send them, and log each
attempt. The event's id is the `webhook-id` header, the same on every attempt.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["WebhookAttempt", "WebhookDelivery", "WebhookEndpoint", "WebhookEvent"]


class WebhookEndpoint(SQLModel, table=True):
    """The signing secret is kept sealed (`sealed:…`, app/services/secret_sealing.py): signing
    needs it, so a hash would not do. After a rotation the previous secret also signs until
    it expires."""

    __tablename__ = "webhook_endpoint"

    id: str = Field(default_factory=lambda: new_id("whe"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    url: str = Field(max_length=2000)
    description: str | None = Field(default=None, max_length=200)
    event_types: list[str] = Field(default_factory=list, sa_type=JSON)
    enabled: bool = Field(default=True)
    secret: str = Field(max_length=100)
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_expires_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class WebhookEvent(SQLModel, table=True):
    """`body` is the exact JSON sent, so every attempt carries the same bytes."""

    __tablename__ = "webhook_event"

    id: str = Field(default_factory=lambda: new_id("msg"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    type: str = Field(max_length=60)
    body: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class WebhookDelivery(SQLModel, table=True):
    """One event to one endpoint. `status`: pending (due at `next_attempt_at`), sending
    (claimed by a worker until `next_attempt_at`, its lease; then due again), succeeded or
    failed (out of attempts). `claim_token` names the claim a worker's result must match."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        Index(None, "status", "next_attempt_at"),
        Index(None, "endpoint_id", "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id("whd"), primary_key=True, max_length=40)
    workspace_id: str = Field(max_length=40, foreign_key="workspace.id", ondelete="CASCADE")
    endpoint_id: str = Field(max_length=40, foreign_key="webhook_endpoint.id", ondelete="CASCADE")
    event_id: str = Field(
        max_length=40, foreign_key="webhook_event.id", ondelete="CASCADE", index=True
    )
    status: str = Field(default="pending", max_length=10)
    attempt_count: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    claim_token: str | None = Field(default=None, max_length=40)
    last_status_code: int | None = Field(default=None)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class WebhookAttempt(SQLModel, table=True):
    """The delivery log: one row per request sent (or refused before sending)."""

    __tablename__ = "webhook_attempt"
    __table_args__ = (Index(None, "delivery_id", "attempt"),)

    id: str = Field(default_factory=lambda: new_id("wha"), primary_key=True, max_length=40)
    delivery_id: str = Field(max_length=40, foreign_key="webhook_delivery.id", ondelete="CASCADE")
    attempt: int
    started_at: datetime = Field(sa_type=UtcDateTime)
    duration_ms: int
    status_code: int | None = Field(default=None)
    error: str | None = Field(default=None, max_length=500)
    response_excerpt: str | None = Field(default=None, max_length=1000)

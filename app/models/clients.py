"""The client: the organisation being assessed, with the CRM's own id for it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["Client"]


class Client(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("workspace_id", "external_ref"),)

    id: str = Field(default_factory=lambda: new_id("cli"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    name: str = Field(max_length=200)
    industry: str | None = Field(default=None, max_length=100)
    size_band: str | None = Field(default=None, max_length=20)
    external_ref: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)

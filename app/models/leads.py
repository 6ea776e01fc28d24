"""Leads: people who took a workspace's public self-assessment and left their details, with
the consent they gave, in the exact wording they saw and when."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["Lead"]


class Lead(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("lead"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    respondent_id: str = Field(
        max_length=40, foreign_key="respondent.id", ondelete="CASCADE", unique=True
    )
    name: str = Field(default="", max_length=200)
    company: str = Field(default="", max_length=200)
    email: str = Field(max_length=320)
    consent_wording: str = Field(sa_type=Text)
    consented_at: datetime = Field(sa_type=UtcDateTime)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)

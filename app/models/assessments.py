"""Assessments, their respondents, and the answers saved as respondents go."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, text
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["Answer", "Assessment", "Respondent"]


class Assessment(SQLModel, table=True):
    """Pins the questionnaire by id, version and content hash, so results never drift when a
    newer version of the questionnaire is published."""

    __table_args__ = (Index(None, "workspace_id", "updated_at", "id"),)

    id: str = Field(default_factory=lambda: new_id("asm"), primary_key=True, max_length=40)
    workspace_id: str = Field(max_length=40, foreign_key="workspace.id", ondelete="CASCADE")
    client_id: str = Field(max_length=40, foreign_key="client.id", ondelete="CASCADE", index=True)
    title: str = Field(max_length=200)
    questionnaire_id: str = Field(max_length=100)
    questionnaire_version: str = Field(max_length=40)
    content_hash: str = Field(max_length=64)
    status: str = Field(default="open", max_length=10)
    # "team": run by a consultant with invited respondents; "self": one person, taken online.
    kind: str = Field(default="team", max_length=10)
    target_overall: str | None = Field(default=None, max_length=100)
    target_dimensions: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    # item id -> target answer, in the forms answers take (scoring checks them alike)
    target_items: dict[str, Any] = Field(
        default_factory=dict, sa_type=JSON, sa_column_kwargs={"server_default": text("'{}'")}
    )
    # what item targets' percent-to-target measures from: "zero" or "baseline"
    percent_to_target_from: str = Field(
        default="zero", max_length=10, sa_column_kwargs={"server_default": text("'zero'")}
    )
    baseline_assessment_id: str | None = Field(
        max_length=40, default=None, foreign_key="assessment.id", ondelete="SET NULL"
    )
    anonymity_k: int = Field(default=3)
    # Bumped by every change that can move the results; the results cache is keyed by it.
    results_version: int = Field(default=0)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The close date: the closing schedule (app/services/closing_schedule.py) closes the
    # assessment once it passes. None: it stays open until closed by hand.
    closes_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # Reminders to respondents who have not submitted: days after their invitation, and one
    # the day before the close date (app/services/reminder_steps.py).
    reminder_days: list[int] = Field(
        default_factory=lambda: [3, 7],
        sa_type=JSON,
        sa_column_kwargs={"server_default": text("'[3, 7]'")},
    )
    remind_before_close: bool = Field(
        default=True, sa_column_kwargs={"server_default": text("true")}
    )
    # When the consultants were told that everyone submitted; cleared when respondents are
    # added, so a new completion is told again.
    completion_notice_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Respondent(SQLModel, table=True):
    """The invite token is stored as its SHA-256 only; the token itself is shown once."""

    id: str = Field(default_factory=lambda: new_id("rsp"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    assessment_id: str = Field(
        max_length=40, foreign_key="assessment.id", ondelete="CASCADE", index=True
    )
    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)
    attributes: dict[str, str] = Field(default_factory=dict, sa_type=JSON)
    invite_token_hash: str = Field(max_length=64, unique=True)
    status: str = Field(default="invited", max_length=12)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # When the current invite link was issued to them (reminders count from it); None: added
    # but not invited yet (a team copied from an earlier round).
    invited_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The current invite token, sealed (app/services/link_keys.py), so a reminder can carry
    # the link; None for links issued before it was kept.
    invite_token_sealed: str | None = Field(default=None, max_length=200)
    # The respondent asked for no more reminders (the link in every invitation and reminder).
    mail_opt_out_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The respondent asked, when submitting, for a thank-you mail with their link.
    # Their personal data was erased on request (app/services/erasure.py): name, e-mail,
    # attributes and free text are gone; their scored answers count anonymously.
    erased_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    thanks_requested: bool = Field(
        default=False, sa_column_kwargs={"server_default": text("false")}
    )


class Answer(SQLModel, table=True):
    """One row per item, so a partial save writes only what changed and nothing typed is lost."""

    respondent_id: str = Field(
        max_length=40, foreign_key="respondent.id", ondelete="CASCADE", primary_key=True
    )
    item_id: str = Field(primary_key=True, max_length=100)
    value: Any = Field(sa_type=JSON)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)

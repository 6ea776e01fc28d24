"""Rendered reports, shared by every worker: one row per distinct content (see app/reports)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, utc_now

__all__ = ["CachedReport", "ReportRenderClaim"]


class CachedReport(SQLModel, table=True):
    """`cache_key` hashes the report's view model, the renderer version and the format, so a
    row is valid for as long as it exists: new answers or templates make a new key.
    `source_key` hashes what the view is built from (the assessment's results version, names,
    dates, format), so a download finds its report without scoring the answers again."""

    __tablename__ = "report_cache"
    __table_args__ = (Index(None, "assessment_id", "results_version"),)

    cache_key: str = Field(primary_key=True, max_length=64)
    source_key: str = Field(max_length=64, index=True)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    assessment_id: str = Field(max_length=40, foreign_key="assessment.id", ondelete="CASCADE")
    results_version: int
    media_type: str = Field(max_length=40)
    content: bytes = Field(sa_type=LargeBinary)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ReportRenderClaim(SQLModel, table=True):
    """Which worker pre-renders an assessment's report at a results version: the first to
    claim it, until `claimed_until`. The other workers skip it, so each report is rendered
    once however many workers poll; a claim that lapses (its worker died) is taken over."""

    __tablename__ = "report_render_claim"

    assessment_id: str = Field(
        primary_key=True, max_length=40, foreign_key="assessment.id", ondelete="CASCADE"
    )
    results_version: int
    claimed_until: datetime = Field(sa_type=UtcDateTime)

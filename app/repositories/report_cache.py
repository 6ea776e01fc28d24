"""SQL for the report cache and the claims to pre-render reports. Rows are scoped by
workspace wherever a caller names one; the pre-render queries span every workspace, since
the workers that run them serve them all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.models import Assessment, CachedReport, ReportRenderClaim
from app.models.tables import table_of

__all__ = [
    "PendingReport",
    "add_cached_report",
    "cached_report",
    "cached_report_by_source",
    "claim_pre_render",
    "closed_assessments_without_report",
    "delete_older_reports",
    "repoint_cached_report",
]

# (workspace id, assessment id, results version, kind)
PendingReport = tuple[str, str, int, str]


def cached_report(session: Session, *, workspace_id: str, cache_key: str) -> CachedReport | None:
    return session.exec(
        select(CachedReport).where(
            col(CachedReport.cache_key) == cache_key,
            col(CachedReport.workspace_id) == workspace_id,
        )
    ).first()


def cached_report_by_source(
    session: Session, *, workspace_id: str, source_key: str
) -> CachedReport | None:
    return session.exec(
        select(CachedReport).where(
            col(CachedReport.source_key) == source_key,
            col(CachedReport.workspace_id) == workspace_id,
        )
    ).first()


def delete_older_reports(
    session: Session, *, workspace_id: str, assessment_id: str, results_version: int
) -> None:
    """Drop the assessment's reports of results older than `results_version`."""
    session.execute(
        delete(CachedReport).where(
            col(CachedReport.workspace_id) == workspace_id,
            col(CachedReport.assessment_id) == assessment_id,
            col(CachedReport.results_version) < results_version,
        )
    )


def repoint_cached_report(
    session: Session, row: CachedReport, *, source_key: str, results_version: int
) -> None:
    row.source_key, row.results_version = source_key, results_version
    session.add(row)
    session.flush()


def add_cached_report(session: Session, row: CachedReport) -> None:
    """Raises IntegrityError (at the flush) when another worker stored the same key first."""
    session.add(row)
    session.flush()


def closed_assessments_without_report(session: Session, *, limit: int = 50) -> list[PendingReport]:
    """Closed assessments with no report at their current results version, most recently
    closed first."""
    has_report = (
        select(CachedReport.cache_key)
        .where(
            col(CachedReport.assessment_id) == col(Assessment.id),
            col(CachedReport.results_version) == col(Assessment.results_version),
        )
        .exists()
    )
    rows: Sequence[Any] = session.exec(
        select(Assessment.workspace_id, Assessment.id, Assessment.results_version, Assessment.kind)
        .where(col(Assessment.status) == "closed", ~has_report)
        .order_by(col(Assessment.closed_at).desc())
        .limit(limit)
    ).all()
    return [(row[0], row[1], row[2], row[3]) for row in rows]


_INSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def claim_pre_render(
    session: Session,
    *,
    assessment_id: str,
    results_version: int,
    now: datetime,
    lease: timedelta,
) -> bool:
    """Whether this worker may pre-render the assessment's report at `results_version`: it
    may unless another claimed it for that version and its claim has not lapsed. One
    statement, so two workers asking at once cannot both be told yes."""
    claim = table_of(ReportRenderClaim)
    insert: Any = _INSERT[session.get_bind().dialect.name](claim).values(
        assessment_id=assessment_id, results_version=results_version, claimed_until=now + lease
    )
    taken = insert.on_conflict_do_update(
        index_elements=[claim.c.assessment_id],
        set_={
            "results_version": insert.excluded.results_version,
            "claimed_until": insert.excluded.claimed_until,
        },
        where=or_(
            claim.c.results_version != insert.excluded.results_version,
            claim.c.claimed_until < now,
        ),
    ).returning(claim.c.assessment_id)
    return session.execute(taken).first() is not None

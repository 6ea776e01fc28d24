"""SQL for assessments. Every query is scoped by workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal

from sqlalchemy import and_, or_, update
from sqlalchemy import select as select_columns  # plain Core, for the hot read below
from sqlmodel import Session, col, select

from app.models import Assessment
from app.models.tables import table_of

__all__ = [
    "add_assessment",
    "delete_assessment",
    "get_assessment",
    "list_assessments",
    "mark_assessment_changed",
    "mark_client_assessments_changed",
    "results_versions",
]


def add_assessment(session: Session, assessment: Assessment) -> Assessment:
    session.add(assessment)
    session.flush()
    return assessment


def get_assessment(
    session: Session,
    *,
    workspace_id: str,
    assessment_id: str,
    lock: Literal["share", "exclusive"] | None = None,
) -> Assessment | None:
    """With `lock` on PostgreSQL: "share" (FOR KEY SHARE) lets many answer saves run together
    and still keeps a status change ("exclusive", FOR UPDATE) from slipping between them.
    SQLite has one writer at a time and needs neither."""
    statement = select(Assessment).where(
        Assessment.workspace_id == workspace_id, Assessment.id == assessment_id
    )
    if lock == "share":
        statement = statement.with_for_update(read=True, key_share=True)
    elif lock == "exclusive":
        statement = statement.with_for_update()
    return session.exec(statement).first()


# Plain table columns, built once: this query runs on every results read, and skipping the
# ORM's machinery halves its cost.
_ASSESSMENT = table_of(Assessment).alias("assessment_now")
_BASELINE = table_of(Assessment).alias("baseline")


def results_versions(
    session: Session, *, workspace_id: str, assessment_id: str
) -> tuple[int, str | None, int | None] | None:
    """(results version, baseline id, baseline's results version): the results cache key,
    read in one light query on every results request."""
    current, baseline = _ASSESSMENT.c, _BASELINE.c
    row = (
        session.connection()
        .execute(
            select_columns(current.results_version, baseline.id, baseline.results_version)
            .select_from(
                _ASSESSMENT.outerjoin(
                    _BASELINE,
                    and_(
                        baseline.id == current.baseline_assessment_id,
                        baseline.workspace_id == current.workspace_id,
                    ),
                )
            )
            .where(current.workspace_id == workspace_id, current.id == assessment_id)
        )
        .first()
    )
    return None if row is None else (row[0], row[1], row[2])


def list_assessments(
    session: Session,
    *,
    workspace_id: str,
    client_id: str | None,
    status: str | None,
    updated_since: datetime | None,
    after: tuple[datetime, str] | None,
    limit: int,
) -> Sequence[Assessment]:
    """Least recently updated first, ordered by (updated_at, id), so a sync that pages through
    `updated_since` sees every change; `after` is the last row of the previous page."""
    statement = select(Assessment).where(Assessment.workspace_id == workspace_id)
    if client_id is not None:
        statement = statement.where(Assessment.client_id == client_id)
    if status is not None:
        statement = statement.where(Assessment.status == status)
    if updated_since is not None:
        statement = statement.where(col(Assessment.updated_at) >= updated_since)
    if after is not None:
        updated, assessment_id = after
        statement = statement.where(
            or_(
                col(Assessment.updated_at) > updated,
                and_(col(Assessment.updated_at) == updated, col(Assessment.id) > assessment_id),
            )
        )
    statement = statement.order_by(col(Assessment.updated_at), col(Assessment.id)).limit(limit)
    return session.exec(statement).all()


def mark_assessment_changed(session: Session, *, assessment_id: str, now: datetime) -> None:
    """Bump the results version (which keys the results cache) and updated_at, in one atomic
    UPDATE so concurrent savers never lose a bump."""
    session.execute(
        update(Assessment)
        .where(col(Assessment.id) == assessment_id)
        .values(results_version=col(Assessment.results_version) + 1, updated_at=now)
        # Also apply the bump to a loaded row, so callers never trigger a lazy reload.
        .execution_options(synchronize_session="evaluate")
    )
    session.flush()


def delete_assessment(session: Session, assessment: Assessment) -> None:
    """Its respondents and answers go with it (ON DELETE CASCADE)."""
    session.delete(assessment)
    session.flush()


def mark_client_assessments_changed(session: Session, *, client_id: str, now: datetime) -> None:
    """Bump every assessment of a client whose details appear in results (its external_ref)."""
    session.execute(
        update(Assessment)
        .where(col(Assessment.client_id) == client_id)
        .values(results_version=col(Assessment.results_version) + 1, updated_at=now)
    )
    session.flush()

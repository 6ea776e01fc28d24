"""The report cache in the database: a report is rendered once per distinct content, and every
worker on every host reads the same rows.

The key is a hash of the view model, the template version and the format, so a cached row
never goes stale: changed answers, branding or templates simply produce another key. Rows of
older versions of an assessment are deleted when a newer one is stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, or_
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from app.models import Assessment, CachedReport, ReportRenderClaim
from app.reports.render import template_version
from app.reports.view_model import ReportView, view_fingerprint

__all__ = [
    "ReportFormat",
    "cached_report",
    "cached_report_by_source",
    "claim_pre_render",
    "closed_assessments_without_report",
    "report_cache_key",
    "report_source_key",
    "store_report",
]

ReportFormat = Literal["pdf", "pdf-ua", "html"]
MEDIA_TYPES: dict[ReportFormat, str] = {
    "pdf": "application/pdf",
    "pdf-ua": "application/pdf",
    "html": "text/html; charset=utf-8",
}


def report_cache_key(view: ReportView, report_format: ReportFormat, *, owner: str = "") -> str:
    """`owner` names whose report it is (workspace and assessment): two assessments with the
    same content still get rows of their own, so each knows it has been rendered."""
    material = f"{owner}:{view_fingerprint(view)}:{template_version()}:{report_format}"
    return hashlib.sha256(material.encode("ascii")).hexdigest()


def report_source_key(*parts: object) -> str:
    """A hash of what a report's view is built from, with the renderer version."""
    material = "\x1f".join(str(part) for part in (*parts, template_version()))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def cached_report(session: Session, *, workspace_id: str, cache_key: str) -> CachedReport | None:
    row = session.get(CachedReport, cache_key)
    return row if row is not None and row.workspace_id == workspace_id else None


def cached_report_by_source(
    session: Session, *, workspace_id: str, source_key: str
) -> CachedReport | None:
    return session.exec(
        select(CachedReport).where(
            col(CachedReport.source_key) == source_key,
            col(CachedReport.workspace_id) == workspace_id,
        )
    ).first()


def store_report(
    session: Session,
    *,
    workspace_id: str,
    assessment_id: str,
    results_version: int,
    cache_key: str,
    source_key: str,
    report_format: ReportFormat,
    content: bytes,
) -> None:
    """Keep a rendered report and drop those of older results of the same assessment (the
    caller treats an IntegrityError as "another worker stored the same report first")."""
    session.execute(
        delete(CachedReport).where(
            col(CachedReport.assessment_id) == assessment_id,
            col(CachedReport.results_version) < results_version,
        )
    )
    existing = session.get(CachedReport, cache_key)
    if existing is not None:  # the same content reached from newer results: point them here
        existing.source_key, existing.results_version = source_key, results_version
        session.add(existing)
        session.flush()
        return
    session.add(
        CachedReport(
            cache_key=cache_key,
            source_key=source_key,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            results_version=results_version,
            media_type=MEDIA_TYPES[report_format],
            content=content,
        )
    )
    session.flush()


def closed_assessments_without_report(
    session: Session, *, limit: int = 50
) -> list[tuple[str, str, int, str]]:
    """(workspace id, assessment id, results version, kind) of closed assessments with no
    report at their current results version, most recently closed first: the ones to
    pre-render (a self-assessment, kind "self", as the individual report)."""
    has_report = (
        select(CachedReport.cache_key)
        .where(
            col(CachedReport.assessment_id) == col(Assessment.id),
            col(CachedReport.results_version) == col(Assessment.results_version),
        )
        .exists()
    )
    rows = session.exec(
        select(Assessment.workspace_id, Assessment.id, Assessment.results_version, Assessment.kind)
        .where(col(Assessment.status) == "closed", ~has_report)
        .order_by(col(Assessment.closed_at).desc())
        .limit(limit)
    ).all()
    return [tuple(row) for row in rows]  # type: ignore[misc]


_INSERT = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}


def claim_pre_render(
    session: Session, *, assessment_id: str, results_version: int, now: datetime, lease: timedelta
) -> bool:
    """Whether this worker may pre-render the assessment's report at `results_version`: it
    may unless another claimed it for that version and its claim has not lapsed. One
    statement, so two workers asking at once cannot both be told yes."""
    claim: Any = ReportRenderClaim.__table__  # type: ignore[attr-defined]
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

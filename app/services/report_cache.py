"""The report cache: a report is rendered once per distinct content, and every worker on
every host reads the same rows.

A cached row never goes stale (its key hashes the view model, the template version and the
format: app/reports/documents.py). Rows of older results of an assessment are dropped when a
newer one is stored.
"""

from __future__ import annotations

from sqlmodel import Session

from app.models import CachedReport
from app.reports.documents import ReportFormat, media_type
from app.repositories import report_cache as report_rows

__all__ = ["store_report"]


def store_report(
    *,
    session: Session,
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
    report_rows.delete_older_reports(
        session,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
        results_version=results_version,
    )
    existing = report_rows.cached_report(session, workspace_id=workspace_id, cache_key=cache_key)
    if existing is not None:  # the same content reached from newer results: point them here
        report_rows.repoint_cached_report(
            session, existing, source_key=source_key, results_version=results_version
        )
        return
    report_rows.add_cached_report(
        session,
        CachedReport(
            cache_key=cache_key,
            source_key=source_key,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            results_version=results_version,
            media_type=media_type(report_format),
            content=content,
        ),
    )

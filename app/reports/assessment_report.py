"""Reports of stored assessments: build the view in the request's transaction, render in a
worker process, keep the result in the shared report cache.

The three steps are separate on purpose: rendering takes about a second of CPU and must run
neither inside a database transaction nor in the API's event loop.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, replace

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent
from app.reports.branding import Branding, check_firm_name
from app.reports.build_view import ReportRequestError, build_report_view
from app.reports.render import PdfOptions, html_to_pdf, render_html, render_pdf
from app.reports.report_cache import (
    MEDIA_TYPES,
    ReportFormat,
    cached_report,
    cached_report_by_source,
    report_cache_key,
    report_source_key,
)
from app.reports.view_model import ReportVariant, ReportView
from app.repositories import assessments as assessment_rows
from app.repositories import clients as client_rows
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.services.assessments import get_assessment
from app.services.errors import ConflictError
from app.services.results import score_stored_assessment
from scoring import AssessmentResult

__all__ = [
    "PreparedReport",
    "ReportDocument",
    "media_type",
    "prepare_assessment_report",
    "render_report_document",
    "warm_up_renderer",
]


RENDER_WORKER_NICENESS = 10


@dataclass(frozen=True, slots=True)
class ReportDocument:
    content: bytes
    media_type: str
    filename: str


@dataclass(frozen=True, slots=True)
class PreparedReport:
    """What a request learns in its transaction: the cached document, or the view to render."""

    workspace_id: str
    assessment_id: str
    results_version: int
    cache_key: str
    source_key: str
    report_format: ReportFormat
    filename: str
    view: ReportView | None  # None when the cached document was found by its sources
    cached: ReportDocument | None


def prepare_assessment_report(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    report_format: ReportFormat,
    variant: ReportVariant = "team",
) -> PreparedReport:
    """The cached report, found by what its view is built from; otherwise score the
    assessment, build the view and look it up by the view's own hash.

    ResultsNotReadyError until someone submits; ConflictError for an individual report of an
    assessment that does not have exactly one submitted respondent.
    """
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    workspace = workspace_rows.get_workspace(session, workspace_id)
    client = client_rows.get_client(
        session, workspace_id=workspace_id, client_id=assessment.client_id
    )
    firm_name = workspace.name if workspace is not None else ""
    client_name = client.name if client is not None else ""
    report_date = (assessment.closed_at or assessment.updated_at).date()
    source_key = _source_key(
        session, assessment, firm_name, client_name, report_date, variant, report_format
    )
    suffix = "html" if report_format == "html" else "pdf"
    filename = f"{assessment.id}-report.{suffix}"
    prepared = PreparedReport(
        workspace_id,
        assessment.id,
        assessment.results_version,
        "",
        source_key,
        report_format,
        filename,
        None,
        None,
    )
    row = cached_report_by_source(session, workspace_id=workspace_id, source_key=source_key)
    if row is not None:
        return replace(
            prepared,
            cache_key=row.cache_key,
            cached=ReportDocument(row.content, row.media_type, filename),
        )
    package, result = score_stored_assessment(session, catalog, assessment)
    if variant == "individual" and len(result.respondents) == 1:
        respondent = session.get(Respondent, result.respondents[0].respondent_id)
        result = _renamed(result, respondent.name if respondent and respondent.name else "")
    try:
        view = build_report_view(
            package,
            result,
            branding=Branding(firm_name=check_firm_name(firm_name or "OpsMaturity")),
            client_name=client_name,
            report_date=report_date,
            variant=variant,
        )
    except ReportRequestError as error:
        raise ConflictError(str(error)) from error
    key = report_cache_key(view, report_format, owner=f"{workspace_id}/{assessment.id}")
    row = cached_report(session, workspace_id=workspace_id, cache_key=key)
    cached = None if row is None else ReportDocument(row.content, row.media_type, filename)
    return replace(prepared, cache_key=key, view=view, cached=cached)


def _source_key(
    session: Session,
    assessment: Assessment,
    firm_name: str,
    client_name: str,
    report_date: object,
    variant: ReportVariant,
    report_format: ReportFormat,
) -> str:
    """Everything the view is built from that can change without a new results version."""
    baseline = None
    if assessment.baseline_assessment_id is not None:
        baseline = assessment_rows.get_assessment(
            session,
            workspace_id=assessment.workspace_id,
            assessment_id=assessment.baseline_assessment_id,
        )
    respondent_names: list[str | None] = []
    if variant == "individual":
        submitted = respondent_rows.submitted_answers(session, assessment_id=assessment.id)
        for row in submitted:
            respondent = session.get(Respondent, row.respondent_id)
            respondent_names.append(None if respondent is None else respondent.name)
    return report_source_key(
        assessment.workspace_id,
        assessment.id,
        assessment.results_version,
        assessment.content_hash,
        assessment.anonymity_k,
        assessment.target_overall,
        sorted(assessment.target_dimensions.items()),
        None if baseline is None else (baseline.id, baseline.results_version),
        firm_name,
        client_name,
        report_date,
        variant,
        report_format,
        respondent_names,
    )


def render_report_document(view: ReportView, report_format: ReportFormat) -> bytes:
    """Runs in a worker process: the view goes in (pickled), the document comes out."""
    if report_format == "html":
        return render_html(view).encode("utf-8")
    return render_pdf(view, PdfOptions(pdf_ua=report_format == "pdf-ua"))


def warm_up_renderer() -> None:
    """Start-up of a render worker: lower its CPU priority, so the API process answers first
    when both want a core, and render once, since the first render loads fonts and parses
    the stylesheets."""
    with contextlib.suppress(OSError):
        os.nice(RENDER_WORKER_NICENESS)
    html_to_pdf("<html lang='en'><body><p>Warm-up.</p></body></html>")


def media_type(report_format: ReportFormat) -> str:
    return MEDIA_TYPES[report_format]


def _renamed(result: AssessmentResult, name: str) -> AssessmentResult:
    return replace(result, respondents=(replace(result.respondents[0], respondent_id=name),))

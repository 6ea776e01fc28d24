"""Reports of stored assessments: build the view in the request's transaction, render in a
worker process, keep the result in the shared report cache.

The three steps are separate on purpose: rendering takes about a second of CPU and must run
neither inside a database transaction nor in the API's event loop.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
from dataclasses import dataclass, replace

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Respondent, Workspace
from app.reports.branding import (
    DEFAULT_FIRM_NAME,
    DEFAULT_PRIMARY_COLOUR,
    Branding,
    Logo,
    check_firm_name,
)
from app.reports.build_view import ReportRequestError, build_report_view
from app.reports.render import PdfOptions, render_html, render_pdf, warm_up_pdf_renderer
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
    "HTML_REPORT_POLICY",
    "PreparedReport",
    "ReportDocument",
    "assessment_report_view",
    "media_type",
    "prepare_assessment_report",
    "render_report_document",
    "warm_up_renderer",
    "workspace_branding",
]


RENDER_WORKER_NICENESS = 10
# The HTML report is self-contained: inline styles, charts as data: images, no scripts.
HTML_REPORT_POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'"


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
    variant: ReportVariant
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
    sources = _report_sources(session, assessment)
    source_key = _source_key(session, assessment, sources, variant, report_format)
    suffix = "html" if report_format == "html" else "pdf"
    filename = f"{assessment.id}-report.{suffix}"
    prepared = PreparedReport(
        workspace_id,
        assessment.id,
        assessment.results_version,
        "",
        source_key,
        report_format,
        variant,
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
    view = _build_view(session, catalog, assessment, sources, variant)
    key = report_cache_key(view, report_format, owner=f"{workspace_id}/{assessment.id}")
    row = cached_report(session, workspace_id=workspace_id, cache_key=key)
    cached = None if row is None else ReportDocument(row.content, row.media_type, filename)
    return replace(prepared, cache_key=key, view=view, cached=cached)


def assessment_report_view(
    *,
    session: Session,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    variant: ReportVariant = "team",
) -> ReportView:
    """The report's view model, for pages that show results the way the report does."""
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    return _build_view(session, catalog, assessment, _report_sources(session, assessment), variant)


@dataclass(frozen=True, slots=True)
class _ReportSources:
    """What a report shows besides the results: who issues it, for whom, as of when."""

    branding: Branding
    client_name: str
    report_date: dt.date


def _report_sources(session: Session, assessment: Assessment) -> _ReportSources:
    workspace = workspace_rows.get_workspace(session, assessment.workspace_id)
    client = client_rows.get_client(
        session, workspace_id=assessment.workspace_id, client_id=assessment.client_id
    )
    client_name = client.name if client is not None and assessment.kind == "team" else ""
    report_date = (assessment.closed_at or assessment.updated_at).date()
    return _ReportSources(workspace_branding(workspace), client_name, report_date)


def workspace_branding(workspace: Workspace | None) -> Branding:
    """The workspace's name, colour and logo as checked when they were saved."""
    if workspace is None:
        return Branding()
    logo = None
    if workspace.logo is not None and workspace.logo_media_type is not None:
        logo = Logo(workspace.logo_media_type, workspace.logo)  # type: ignore[arg-type]
    return Branding(
        firm_name=check_firm_name(workspace.name or DEFAULT_FIRM_NAME),
        primary_colour=workspace.brand_colour or DEFAULT_PRIMARY_COLOUR,
        logo=logo,
    )


def _build_view(
    session: Session,
    catalog: Catalog,
    assessment: Assessment,
    sources: _ReportSources,
    variant: ReportVariant,
) -> ReportView:
    package, result = score_stored_assessment(session, catalog, assessment)
    if variant == "individual" and len(result.respondents) == 1:
        respondent = session.get(Respondent, result.respondents[0].respondent_id)
        result = _renamed(result, respondent.name if respondent and respondent.name else "")
    try:
        return build_report_view(
            package,
            result,
            branding=sources.branding,
            client_name=sources.client_name,
            report_date=sources.report_date,
            variant=variant,
        )
    except ReportRequestError as error:
        raise ConflictError(str(error)) from error


def _source_key(
    session: Session,
    assessment: Assessment,
    sources: _ReportSources,
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
        sources.branding.firm_name,
        sources.branding.primary_colour,
        None if sources.branding.logo is None else hash_bytes(sources.branding.logo.content),
        sources.client_name,
        sources.report_date,
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
    warm_up_pdf_renderer()


def media_type(report_format: ReportFormat) -> str:
    return MEDIA_TYPES[report_format]


def _renamed(result: AssessmentResult, name: str) -> AssessmentResult:
    return replace(result, respondents=(replace(result.respondents[0], respondent_id=name),))


def hash_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()

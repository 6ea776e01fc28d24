"""Reports of stored assessments: build the view in the request's transaction, render in a
worker process (app/services/report_rendering.py), keep the result in the shared report cache.

The steps are separate on purpose: rendering takes about a second of CPU and must run neither
inside a database transaction nor in the API's event loop.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlmodel import Session

from app.catalog import Catalog
from app.models import Assessment, Workspace
from app.reports.branding import (
    DEFAULT_FIRM_NAME,
    DEFAULT_PRIMARY_COLOUR,
    Branding,
    Logo,
    check_firm_name,
)
from app.reports.build_view import ReportRequestError, build_report_view
from app.reports.documents import (
    ReportDocument,
    ReportFormat,
    report_cache_key,
    report_source_key,
)
from app.reports.file_name import report_filename
from app.reports.view_model import ReportDetail, ReportVariant, ReportView
from app.repositories import assessments as assessment_rows
from app.repositories import clients as client_rows
from app.repositories import report_cache as report_rows
from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.repositories.respondent_names import submitted_respondent_names
from app.services.assessments import get_assessment
from app.services.errors import ConflictError
from app.services.results import score_stored_assessment

__all__ = [
    "PreparedReport",
    "assessment_report_view",
    "prepare_assessment_report",
    "workspace_branding",
]


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
    detail: ReportDetail
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
    detail: ReportDetail = "executive",
) -> PreparedReport:
    """The cached report, found by what its view is built from; otherwise score the
    assessment, build the view and look it up by the view's own hash. `detail` is the
    report's length: the executive report, or the full one with its item-level appendix.

    ResultsNotReadyError until someone submits; ConflictError for an individual report of an
    assessment that does not have exactly one submitted respondent.
    """
    assessment = get_assessment(
        session=session, workspace_id=workspace_id, assessment_id=assessment_id
    )
    sources = _report_sources(session, assessment, variant)
    source_key = _source_key(session, assessment, sources, variant, report_format, detail)
    suffix = "html" if report_format == "html" else "pdf"
    filename = report_filename(
        client_name=sources.client_name,
        round_name=sources.round_name,
        variant=variant,
        suffix=suffix,
        detail=detail,
    )

    def prepared(
        cache_key: str, view: ReportView | None, cached: ReportDocument | None
    ) -> PreparedReport:
        return PreparedReport(
            workspace_id=workspace_id,
            assessment_id=assessment.id,
            results_version=assessment.results_version,
            cache_key=cache_key,
            source_key=source_key,
            report_format=report_format,
            variant=variant,
            detail=detail,
            filename=filename,
            view=view,
            cached=cached,
        )

    row = report_rows.cached_report_by_source(
        session, workspace_id=workspace_id, source_key=source_key
    )
    if row is not None:
        return prepared(row.cache_key, None, ReportDocument(row.content, row.media_type, filename))
    view = _build_view(session, catalog, assessment, sources, variant, detail)
    key = report_cache_key(view, report_format, owner=f"{workspace_id}/{assessment.id}")
    row = report_rows.cached_report(session, workspace_id=workspace_id, cache_key=key)
    cached = None if row is None else ReportDocument(row.content, row.media_type, filename)
    return prepared(key, view, cached)


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
    sources = _report_sources(session, assessment, variant)
    return _build_view(session, catalog, assessment, sources, variant)


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


@dataclass(frozen=True, slots=True)
class _ReportSources:
    """What a report shows besides the results: who issues it, for whom, as of when, and for
    an individual report the submitted respondents' names (in scoring order); for a team's
    round its name and how many people were invited (a self-assessment's name is a timestamp,
    and it invites nobody)."""

    branding: Branding
    client_name: str
    report_date: dt.date
    respondent_names: tuple[str | None, ...]
    round_name: str = ""
    invited_count: int | None = None


def _report_sources(
    session: Session, assessment: Assessment, variant: ReportVariant
) -> _ReportSources:
    workspace = workspace_rows.get_workspace(session, assessment.workspace_id)
    client = client_rows.get_client(
        session, workspace_id=assessment.workspace_id, client_id=assessment.client_id
    )
    client_name = client.name if client is not None and assessment.kind == "team" else ""
    report_date = (assessment.closed_at or assessment.updated_at).date()
    names: tuple[str | None, ...] = ()
    if variant == "individual":
        names = tuple(
            submitted_respondent_names(
                session, workspace_id=assessment.workspace_id, assessment_id=assessment.id
            )
        )
    round_name, invited = "", None
    if assessment.kind == "team":
        round_name = assessment.title
        invited = sum(
            respondent_rows.count_by_status(session, assessment_id=assessment.id).values()
        )
    return _ReportSources(
        workspace_branding(workspace), client_name, report_date, names, round_name, invited
    )


def _build_view(
    session: Session,
    catalog: Catalog,
    assessment: Assessment,
    sources: _ReportSources,
    variant: ReportVariant,
    detail: ReportDetail = "executive",
) -> ReportView:
    package, result = score_stored_assessment(session, catalog, assessment)
    names = sources.respondent_names
    try:
        return build_report_view(
            package,
            result,
            branding=sources.branding,
            client_name=sources.client_name,
            round_name=sources.round_name,
            invited_count=sources.invited_count,
            report_date=sources.report_date,
            variant=variant,
            respondent_name=(names[0] or "") if len(names) == 1 else "",
            detail=detail,
        )
    except ReportRequestError as error:
        raise ConflictError(str(error)) from error


def _source_key(
    session: Session,
    assessment: Assessment,
    sources: _ReportSources,
    variant: ReportVariant,
    report_format: ReportFormat,
    detail: ReportDetail,
) -> str:
    """Everything the view is built from that can change without a new results version."""
    baseline = None
    if assessment.baseline_assessment_id is not None:
        baseline = assessment_rows.get_assessment(
            session,
            workspace_id=assessment.workspace_id,
            assessment_id=assessment.baseline_assessment_id,
        )
    logo = sources.branding.logo
    return report_source_key(
        assessment.workspace_id,
        assessment.id,
        assessment.results_version,
        assessment.content_hash,
        assessment.anonymity_k,
        assessment.target_overall,
        sorted(assessment.target_dimensions.items()),
        json.dumps(assessment.target_items, sort_keys=True),
        assessment.percent_to_target_from,
        None if baseline is None else (baseline.id, baseline.results_version),
        sources.branding.firm_name,
        sources.branding.primary_colour,
        None if logo is None else hashlib.sha256(logo.content).hexdigest(),
        sources.client_name,
        sources.report_date,
        variant,
        report_format,
        list(sources.respondent_names),
        sources.round_name,
        sources.invited_count,
        detail,
    )

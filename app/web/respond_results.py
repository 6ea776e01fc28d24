"""/r/<token> after submitting: the thank-you page of an invited respondent (results are the
consultant's to share), or a self-assessment's own result and its PDF. The result page starts
the PDF's rendering and says that it is being prepared until it is (report-status)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from app.catalog import Catalog
from app.dependencies import CatalogDep, SettingsDep, UnitOfWork, UnitOfWorkDep
from app.models import utc_now
from app.report_responses import pdf_response
from app.reports.view_model import ReportView
from app.runtime import runtime_of
from app.services.assessment_reports import (
    PreparedReport,
    assessment_report_view,
    prepare_assessment_report,
)
from app.services.report_preparation import report_ready_or_started
from app.services.report_rendering import finish_report
from app.services.respondent_access import OpenedInvite, open_invite
from app.services.self_assessments import continue_in_full_form
from app.web.page_security import require_csrf
from app.web.respondent_link import TokenPath, base_path, link_context, open_link, see_other
from app.web.templating import render_page

__all__ = ["router"]

T = TypeVar("T")

router = APIRouter(prefix="/r/{token}", include_in_schema=False)


@router.get("/done", response_class=Response)
async def done(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    opened = await open_link(unit, catalog, token)
    if opened.is_self_assessment and opened.is_submitted:
        return see_other(f"{base_path(token)}/results")
    if not opened.is_submitted and not opened.accepts_answers:
        context = link_context(
            opened,
            token,
            settings,
            title="Assessment closed",
            assessment_title=opened.assessment.title,
        )
        return render_page(request, "respond/closed.html", context, status=410)
    if not opened.is_submitted:
        return see_other(base_path(token))
    return render_page(
        request, "respond/thanks.html", link_context(opened, token, settings, title="Thank you")
    )


async def _own_result(
    unit: UnitOfWork, catalog: Catalog, token: str, read: Callable[[Session, OpenedInvite], T]
) -> tuple[OpenedInvite, T | None, Response | None]:
    """`read` of a submitted self-assessment, or where to go instead: an invited respondent
    sees the thank-you page (results are the consultant's), an unsubmitted one the review."""

    def run(session: Session) -> tuple[OpenedInvite, T | None]:
        opened = open_invite(session=session, catalog=catalog, token=token)
        if not opened.is_self_assessment or not opened.is_submitted:
            return opened, None
        return opened, read(session, opened)

    opened, value = await unit.run(run)
    if not opened.is_self_assessment:
        return opened, None, see_other(f"{base_path(token)}/done")
    if not opened.is_submitted:
        return opened, None, see_other(f"{base_path(token)}/review")
    return opened, value, None


@router.get("/results", response_class=Response)
async def results(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    def view(session: Session, opened: OpenedInvite) -> tuple[ReportView, PreparedReport]:
        report_view = assessment_report_view(
            session=session,
            catalog=catalog,
            workspace_id=opened.assessment.workspace_id,
            assessment_id=opened.assessment.id,
            variant="individual",
        )
        return report_view, _prepare_pdf(session, catalog, opened)

    opened, found, detour = await _own_result(unit, catalog, token, view)
    if detour is not None or found is None:
        return detour or see_other(base_path(token))
    report_view, prepared = found
    questionnaire = opened.package.questionnaire
    context = link_context(
        opened,
        token,
        settings,
        title="Your result",
        view=report_view,
        report_ready=report_ready_or_started(runtime_of(request), prepared),
        full_diagnostic=_full_form_offer(catalog, opened) if questionnaire.short_form_of else None,
    )
    return render_page(request, "respond/results.html", context)


@router.post("/full-diagnostic", response_class=Response, dependencies=[Depends(require_csrf)])
async def continue_in_full_diagnostic(
    token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep, settings: SettingsDep
) -> Response:
    """From a quick check's result to the full diagnostic, with the answers carried over."""

    def start(session: Session, opened: OpenedInvite) -> str | None:
        if opened.package.questionnaire.short_form_of is None:
            return None  # a full diagnostic already: nothing to continue in
        return continue_in_full_form(
            session=session,
            catalog=catalog,
            opened=opened,
            base_url=settings.base_url,
            now=utc_now(),
        )

    _, new_token, detour = await _own_result(unit, catalog, token, start)
    if detour is not None:
        return detour
    if new_token is None:
        return see_other(f"{base_path(token)}/results")
    return see_other(base_path(new_token))


def _prepare_pdf(session: Session, catalog: Catalog, opened: OpenedInvite) -> PreparedReport:
    """The self-assessment's PDF: the individual executive report."""
    return prepare_assessment_report(
        session=session,
        catalog=catalog,
        workspace_id=opened.assessment.workspace_id,
        assessment_id=opened.assessment.id,
        report_format="pdf",
        variant="individual",
    )


@router.get("/report-status", response_class=JSONResponse)
async def report_status(
    request: Request, token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    """Whether the PDF can be downloaded at once; asking starts its rendering."""

    def prepare(session: Session, opened: OpenedInvite) -> PreparedReport:
        return _prepare_pdf(session, catalog, opened)

    _, prepared, detour = await _own_result(unit, catalog, token, prepare)
    if detour is not None or prepared is None:
        return detour or see_other(base_path(token))
    ready = report_ready_or_started(runtime_of(request), prepared)
    return JSONResponse({"ready": ready}, headers={"Cache-Control": "no-store"})


@router.get("/report.pdf", response_class=Response)
async def report_pdf(
    request: Request, token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    def prepare(session: Session, opened: OpenedInvite) -> PreparedReport:
        return _prepare_pdf(session, catalog, opened)

    _, prepared, detour = await _own_result(unit, catalog, token, prepare)
    if detour is not None or prepared is None:
        return detour or see_other(base_path(token))
    document = await finish_report(runtime_of(request), prepared)
    return pdf_response(document, disposition="attachment")


def _full_form_offer(catalog: Catalog, opened: OpenedInvite) -> dict[str, object]:
    """What the quick check's result page says of the full diagnostic it continues in."""
    questionnaire = opened.package.questionnaire
    full = catalog.get(
        str(questionnaire.short_form_of), questionnaire.short_form_version or questionnaire.version
    )
    carried = sum(1 for item in opened.answers if item in full.items)
    return {
        "title": full.questionnaire.title,
        "item_count": len(full.items),
        "carried": carried,
        "minutes": full.reading_time.minutes,
    }

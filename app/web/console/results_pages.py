"""An assessment's results in the console (the report's own view model: scores,
disagreement, role breakdowns, the change since the baseline round) and its report, as a PDF
download or an HTML preview, in two lengths: the executive report (the default) and the full
report with the item-level appendix. A report not rendered yet is shown as being prepared
until it is (report-status answers whether it is). results.csv is the API's CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from app.dependencies import CatalogDep, UnitOfWorkDep
from app.report_responses import html_report_response, pdf_response
from app.reports.view_model import REPORT_DETAILS, ReportDetail
from app.runtime import runtime_of
from app.services.assessment_reports import PreparedReport, prepare_assessment_report
from app.services.report_preparation import assessment_report_ready, report_ready_or_started
from app.services.report_rendering import assessment_report_document
from app.services.results import results_csv as results_csv_export
from app.services.team_results import TeamResults, team_results
from app.web.console.assessments import AssessmentId
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/assessments/{assessment_id}", include_in_schema=False)

DetailQuery = Annotated[ReportDetail, Query()]


@router.get("/results", response_class=Response)
async def results(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    prepare: Annotated[Literal["full"] | None, Query()] = None,
) -> Response:
    """`?prepare=full`: the consultant asked for the full report, which renders on demand."""

    def read(session: Session) -> tuple[TeamResults, dict[ReportDetail, PreparedReport]]:
        found = team_results(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
        if not found.view:
            return found, {}
        prepared = {
            detail: prepare_assessment_report(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                assessment_id=assessment_id,
                report_format="pdf",
                detail=detail,
            )
            for detail in REPORT_DETAILS
        }
        return found, prepared

    found, prepared = await unit.run(read)
    if not found.view:
        context = {"title": f"Results: {found.assessment.title}", "results": found}
        return render_page(request, "console/results_waiting.html", context)
    # The executive report starts at once; the full one when the consultant asks for it.
    ready = {
        detail: report_ready_or_started(
            runtime_of(request), report, start=detail == "executive" or prepare == "full"
        )
        for detail, report in prepared.items()
    }
    context = {
        "title": f"Results: {found.assessment.title}",
        "results": found,
        "report_ready": ready,
        "full_requested": prepare == "full",
    }
    return render_page(request, "console/results.html", context)


@router.get("/report-status", response_class=JSONResponse)
async def report_status(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    detail: DetailQuery = "executive",
) -> JSONResponse:
    """Whether the PDF report can be downloaded at once; asking starts its rendering."""
    ready = await assessment_report_ready(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=user.workspace_id,
        assessment_id=assessment_id,
        detail=detail,
    )
    return JSONResponse({"ready": ready}, headers={"Cache-Control": "no-store"})


@router.get("/report.pdf", response_class=Response)
async def report_pdf(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    detail: DetailQuery = "executive",
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=user.workspace_id,
        assessment_id=assessment_id,
        report_format="pdf",
        detail=detail,
    )
    return pdf_response(document, disposition="attachment")


@router.get("/report.html", response_class=Response)
async def report_preview(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    detail: DetailQuery = "executive",
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=user.workspace_id,
        assessment_id=assessment_id,
        report_format="html",
        detail=detail,
    )
    return html_report_response(document)


@router.get("/results.csv", response_class=Response)
async def results_csv(
    assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    """The same CSV as the API's GET /api/v1/assessments/{id}/results.csv."""
    export = await unit.run(
        lambda session: results_csv_export(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return Response(
        export.text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )

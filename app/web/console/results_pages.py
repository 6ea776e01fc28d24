"""An assessment's results in the console (the report's own view model: scores,
disagreement, role breakdowns, the change since the baseline round) and its report, as a PDF
download or an HTML preview."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, UnitOfWorkDep
from app.report_responses import html_report_response, pdf_response
from app.runtime import runtime_of
from app.services.report_rendering import assessment_report_document
from app.services.team_results import team_results
from app.web.console.assessments import AssessmentId
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/assessments/{assessment_id}", include_in_schema=False)


@router.get("/results", response_class=Response)
async def results(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    found = await unit.run(
        lambda session: team_results(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
    )
    template = "console/results.html" if found.view else "console/results_waiting.html"
    context = {"title": f"Results: {found.assessment.title}", "results": found}
    return render_page(request, template, context)


@router.get("/report.pdf", response_class=Response)
async def report_pdf(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=user.workspace_id,
        assessment_id=assessment_id,
        report_format="pdf",
    )
    return pdf_response(document, disposition="attachment")


@router.get("/report.html", response_class=Response)
async def report_preview(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=user.workspace_id,
        assessment_id=assessment_id,
        report_format="html",
    )
    return html_report_response(document)

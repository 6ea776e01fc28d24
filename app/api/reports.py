"""/api/v1/assessments/{id}/report.pdf and report.html: the branded report of an assessment.

Rendering runs in worker processes (app.state.report_pool) and each distinct report is kept in
the shared report cache, so a download after the first (or after the pre-render that follows
closing an assessment) is a database read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.paths import API_PREFIX, PathId
from app.api.strict_json import StrictJsonRoute
from app.catalog import Catalog
from app.dependencies import CatalogDep, ConsultantDep, UnitOfWork, UnitOfWorkDep
from app.problems import problem_responses
from app.reports.assessment_report import (
    HTML_REPORT_POLICY,
    ReportDocument,
    prepare_assessment_report,
)
from app.reports.report_cache import ReportFormat
from app.reports.report_workers import finish_report

__all__ = ["assessment_report", "html_report_response", "pdf_response", "router"]

router = APIRouter(
    prefix=f"{API_PREFIX}/assessments/{{assessment_id}}",
    tags=["reports"],
    route_class=StrictJsonRoute,
)


VariantQuery = Annotated[
    Literal["team", "individual"],
    Query(description="`individual`: the self-assessment report, for exactly one respondent"),
]


async def assessment_report(
    request: Request,
    unit: UnitOfWork,
    catalog: Catalog,
    *,
    workspace_id: str,
    assessment_id: str,
    report_format: ReportFormat,
    variant: Literal["team", "individual"] = "team",
) -> ReportDocument:
    """The report from the cache, or rendered in a worker process (the console uses it too)."""
    prepared = await unit.run(
        lambda session: prepare_assessment_report(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            report_format=report_format,
            variant=variant,
        )
    )
    return await finish_report(request.app.state, prepared)


def pdf_response(document: ReportDocument, *, disposition: str = "inline") -> Response:
    return Response(
        document.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{document.filename}"'},
    )


def html_report_response(document: ReportDocument) -> Response:
    return Response(
        document.content,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": HTML_REPORT_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )


@router.get(
    "/report.pdf",
    summary="The branded PDF report (team, or one respondent's self-assessment)",
    description=(
        "Counts submitted respondents only. `?tagged=true` returns a tagged PDF/UA-1 document. "
        "A report is rendered once per distinct content and then served from the cache."
    ),
    response_class=Response,
    responses={
        200: {
            "description": "PDF",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
        },
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def read_report_pdf(
    request: Request,
    assessment_id: PathId,
    principal: ConsultantDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    variant: VariantQuery = "team",
    tagged: Annotated[bool, Query(description="a tagged PDF/UA-1 document")] = False,
) -> Response:
    document = await assessment_report(
        request,
        unit,
        catalog,
        workspace_id=principal.workspace_id,
        assessment_id=assessment_id,
        report_format="pdf-ua" if tagged else "pdf",
        variant=variant,
    )
    return pdf_response(document)


@router.get(
    "/report.html",
    summary="The same report as a standalone HTML page",
    response_class=Response,
    responses={
        200: {"description": "HTML", "content": {"text/html": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def read_report_html(
    request: Request,
    assessment_id: PathId,
    principal: ConsultantDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    variant: VariantQuery = "team",
) -> Response:
    document = await assessment_report(
        request,
        unit,
        catalog,
        workspace_id=principal.workspace_id,
        assessment_id=assessment_id,
        report_format="html",
        variant=variant,
    )
    return html_report_response(document)

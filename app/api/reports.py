"""/api/v1/assessments/{id}/report.pdf and report.html: the branded report of an assessment.

Rendering runs in worker processes (app/services/report_rendering.py) and each distinct report
is kept in the shared report cache, so a download after the first (or after the pre-render that
follows closing an assessment) is a database read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.paths import API_PREFIX, PathId
from app.api.strict_json import StrictJsonRoute
from app.dependencies import CatalogDep, ConsultantDep, UnitOfWorkDep
from app.problems import problem_responses
from app.report_responses import html_report_response, pdf_response
from app.reports.view_model import ReportDetail
from app.runtime import runtime_of
from app.services.report_rendering import assessment_report_document

__all__ = ["router"]

router = APIRouter(
    prefix=f"{API_PREFIX}/assessments/{{assessment_id}}",
    tags=["reports"],
    route_class=StrictJsonRoute,
)


VariantQuery = Annotated[
    Literal["team", "individual"],
    Query(description="`individual`: the self-assessment report, for exactly one respondent"),
]

DetailQuery = Annotated[
    ReportDetail,
    Query(
        description=(
            "The report's length. `executive` (the default): the report without item-level "
            "detail. `full`: the same report with an appendix of item-level results, every "
            "question's answers and score."
        )
    ),
]


@router.get(
    "/report.pdf",
    summary="The branded PDF report (team, or one respondent's self-assessment)",
    description=(
        "Counts submitted respondents only. `?tagged=true` returns a tagged PDF/UA-1 document. "
        "`?detail=full` returns the full report, which adds the appendix of item-level results "
        "to the executive report (the default, `?detail=executive`). "
        "A report is rendered once per distinct content and length and then served from the "
        "cache; a closed assessment's executive report is rendered before anyone asks."
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
    detail: DetailQuery = "executive",
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=principal.workspace_id,
        assessment_id=assessment_id,
        report_format="pdf-ua" if tagged else "pdf",
        variant=variant,
        detail=detail,
    )
    return pdf_response(document)


@router.get(
    "/report.html",
    summary="The same report as a standalone HTML page",
    description="`?detail=full` adds the appendix of item-level results, as for the PDF.",
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
    detail: DetailQuery = "executive",
) -> Response:
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=principal.workspace_id,
        assessment_id=assessment_id,
        report_format="html",
        variant=variant,
        detail=detail,
    )
    return html_report_response(document)

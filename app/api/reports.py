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
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
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
    document = await assessment_report_document(
        runtime=runtime_of(request),
        unit=unit,
        catalog=catalog,
        workspace_id=principal.workspace_id,
        assessment_id=assessment_id,
        report_format="html",
        variant=variant,
    )
    return html_report_response(document)

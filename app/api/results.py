"""/api/v1/assessments/{id}/results: nested JSON, flat CRM fields, and CSV."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response

from app.api.paths import API_PREFIX, PathId
from app.api.results_schema import ResultsResponse
from app.api.strict_json import StrictJsonRoute
from app.dependencies import CatalogDep, ConsultantWorkDep, ResultsCacheDep
from app.problems import problem_responses
from app.services import results as results_service

__all__ = ["router"]

router = APIRouter(
    prefix=f"{API_PREFIX}/assessments/{{assessment_id}}",
    tags=["results"],
    route_class=StrictJsonRoute,
)

_NESTED_EXAMPLE = {
    "assessment": {
        "id": "asm_…",
        "status": "open",
        "client_external_ref": "crm-42",
        "updated_at": "…",
    },
    "participation": {"total": 5, "invited": 1, "in_progress": 1, "submitted": 3},
    "results": {
        "overall": {
            "score": 61.5,
            "stage": {"id": "steady"},
            "interval": {"low": 52.0, "high": 71.0, "n": 3},
            "interval_note": None,
            "borderline": True,
            "contested_dimensions": ["delivery"],
        },
        "dimensions": [
            {
                "id": "delivery",
                "score": 58.0,
                "stage": {"id": "steady"},
                "spread": {
                    "n": 3,
                    "sd": 31.2,
                    "agreement": 0.12,
                    "rwg": 0.12,
                    "agreement_level": "none",
                    "interval": {"low": 0.0, "high": 100.0, "n": 3},
                    "borderline": True,
                    "contested": True,
                    "stage_span": {
                        "low": {"id": "ad_hoc", "name": "Ad hoc"},
                        "high": {"id": "strong", "name": "Strong"},
                    },
                    "reading": "Steady, contested: answers span Ad hoc to Strong",
                },
            },
            "…",
        ],
        "findings": [
            {
                "code": "split",
                "dimension_ids": ["delivery"],
                "text": "The team is split on Delivery: individual answers span Ad hoc to "
                "Strong, so its stage is contested and the average hides two readings.",
                "figures": {"spans": ["…"]},
            },
            "…",
        ],
    },
}
_FLAT_EXAMPLE = {
    "opsmaturity_overall_score": 61.5,
    "opsmaturity_overall_stage": "steady",
    "opsmaturity_overall_low": 52.0,
    "opsmaturity_overall_high": 71.0,
    "opsmaturity_borderline": 1,
    "opsmaturity_contested_dimensions": "delivery",
    "opsmaturity_delivery_score": 58.0,
    "opsmaturity_delivery_contested": 1,
    "opsmaturity_delivery_borderline": 1,
    "opsmaturity_respondents_submitted": 3,
}


@router.get(
    "/results",
    summary="Aggregated scores, disagreement, targets and recommendations",
    description=(
        "Counts respondents who have submitted; `participation` shows how many that is. "
        "Each dimension's `spread` says how far the team agrees (`agreement`, r*wg(J); `rwg` "
        "is its deprecated name), its 95 % `interval`, whether that interval crosses a stage "
        "boundary (`borderline`) and whether the team is split across stages (`contested`, "
        "with `stage_span`). `findings` are the results in sentences, most important first. "
        "`?format=flat` returns one flat object of CRM-friendly `opsmaturity_*` fields."
    ),
    response_class=Response,
    responses={
        200: {
            "description": "The nested results, or the flat fields with `format=flat`",
            # Documents the cached bytes the handler sends; they are not validated per request.
            "model": ResultsResponse,
            "content": {
                "application/json": {
                    "examples": {
                        "nested": {"value": _NESTED_EXAMPLE},
                        "flat": {"value": _FLAT_EXAMPLE},
                    },
                }
            },
        },
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def read_results(
    assessment_id: PathId,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    cache: ResultsCacheDep,
    format: Annotated[Literal["nested", "flat"], Query()] = "nested",
) -> Response:
    # Unchanged results are served from the cache: one query from the event loop checks the
    # key and the results version, and the bytes go out as they were stored.
    hit = await results_service.cached_results(
        reads=work.reads, cache=cache, credential=work.credential, assessment_id=assessment_id
    )
    if hit is not None:
        caller, entry = hit
        work.note_caller(caller)
    else:
        entry = await work.run(
            lambda session, caller: results_service.assessment_results(
                session=session,
                catalog=catalog,
                cache=cache,
                workspace_id=caller.workspace_id,
                assessment_id=assessment_id,
            )
        )
    body = entry.flat_json_body if format == "flat" else entry.json_body
    return Response(body, media_type="application/json")


@router.get(
    "/results.csv",
    summary="Results as CSV: team rows per dimension and group rows",
    description=(
        "Team rows (overall and each dimension, with spread, agreement, interval, borderline "
        "and contested flags and the stage reading) and group rows exactly as the nested "
        "results' breakdowns show them. A team assessment has no per-respondent rows: beside "
        "the group figures they would let rows be matched to groups, and so to people."
    ),
    response_class=Response,
    responses={
        200: {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 404, 409, 422),
    },
)
async def read_results_csv(
    assessment_id: PathId, work: ConsultantWorkDep, catalog: CatalogDep
) -> Response:
    export = await work.run(
        lambda session, caller: results_service.results_csv(
            session=session,
            catalog=catalog,
            workspace_id=caller.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return Response(
        export.text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{export.filename}"'},
    )

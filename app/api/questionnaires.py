"""/api/v1/questionnaires and /api/v1/score: the catalog, and stateless scoring."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Query

from app.answers_file import AnswersDocument
from app.api.paths import API_PREFIX, PathId
from app.api.strict_json import StrictJsonRoute
from app.dependencies import CatalogDep, ConsultantWorkDep
from app.json_schema import inline_json_schema
from app.problems import problem_responses
from app.services import questionnaires as questionnaire_service
from app.services.stateless_scoring import score_answers_document
from app.text_rules import SINGLE_LINE_PATTERN

__all__ = ["router"]

router = APIRouter(prefix=API_PREFIX, tags=["questionnaires"], route_class=StrictJsonRoute)


@router.get(
    "/questionnaires",
    summary="List every questionnaire and version in the catalog",
    responses=problem_responses(401, 403),
)
async def list_questionnaires(
    work: ConsultantWorkDep, catalog: CatalogDep
) -> dict[str, list[dict[str, Any]]]:
    summaries = await work.run(
        lambda _session, _caller: questionnaire_service.questionnaire_summaries(catalog=catalog)
    )
    return {"questionnaires": summaries}


@router.get(
    "/questionnaires/{questionnaire_id}",
    summary="One questionnaire with its stage model (the newest version unless `version` is given)",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_questionnaire(
    questionnaire_id: PathId,
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    version: Annotated[
        str | None,
        Query(min_length=1, max_length=40, json_schema_extra={"pattern": SINGLE_LINE_PATTERN}),
    ] = None,
) -> dict[str, Any]:
    return await work.run(
        lambda _session, _caller: questionnaire_service.questionnaire_detail(
            catalog=catalog, questionnaire_id=questionnaire_id, version=version
        )
    )


@router.post(
    "/score",
    tags=["scoring"],
    summary="Score an answers document (the CLI's format) without storing anything",
    responses=problem_responses(401, 403, 409, 413, 422),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_json_schema(AnswersDocument)}},
        }
    },
)
async def score(
    work: ConsultantWorkDep,
    catalog: CatalogDep,
    document: Annotated[Any, Body()],
) -> dict[str, Any]:
    return await work.run(
        lambda _session, _caller: score_answers_document(catalog=catalog, document=document)
    )

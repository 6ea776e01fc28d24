"""POST /api/v1/score: score an answers document (the CLI's format) without storing anything."""

from __future__ import annotations

from typing import Any

from app.answers_file import parse_answers_document
from app.catalog import Catalog, UnknownQuestionnaireError
from app.result_view import assessment_json
from app.services.errors import FieldProblem, InvalidInputError
from scoring import score_assessment

__all__ = ["score_answers_document"]


def score_answers_document(*, catalog: Catalog, document: object) -> dict[str, Any]:
    """Score every respondent of the document; the caller sent the answers, so individual
    respondents are included. Raises AnswerError or InvalidInputError naming each field."""
    parsed = parse_answers_document(document)
    try:
        package = catalog.get(parsed.questionnaire_id, parsed.version)
    except UnknownQuestionnaireError as error:
        field = "questionnaire" if parsed.version is None else "version"
        raise InvalidInputError([FieldProblem(field, str(error))]) from error
    result = score_assessment(
        package,
        parsed.respondent_answers,
        targets=parsed.target_stages,
        anonymity_k=parsed.anonymity_k,
    )
    return assessment_json(package, result, include_respondents=True)

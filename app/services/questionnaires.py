"""The questionnaire catalog as the API shows it."""

from __future__ import annotations

from typing import Any

from app.catalog import Catalog
from scoring import Package, answer_progress

__all__ = ["questionnaire_detail", "questionnaire_summaries"]


def _summary(package: Package) -> dict[str, Any]:
    questionnaire = package.questionnaire
    return {
        "id": package.id,
        "version": package.version,
        "title": questionnaire.title,
        "description": questionnaire.description,
        "estimated_minutes": package.reading_time.minutes,
        "listed": questionnaire.listed,
        "content_hash": package.content_hash,
        "item_count": answer_progress(package, {}).item_count,  # asked of everyone
        "dimensions": [{"id": d.id, "title": d.title} for d in questionnaire.dimensions],
        "stages": [{"id": s.id, "name": s.name} for s in package.stage_model.stages],
    }


def questionnaire_summaries(*, catalog: Catalog) -> list[dict[str, Any]]:
    """Every questionnaire and version in the catalog."""
    return [_summary(package) for package in catalog]


def questionnaire_detail(
    *, catalog: Catalog, questionnaire_id: str, version: str | None
) -> dict[str, Any]:
    """One questionnaire (the newest version unless one is given) with its stage model.
    Raises UnknownQuestionnaireError."""
    package = catalog.get(questionnaire_id, version)
    return {
        **_summary(package),
        "questionnaire": package.questionnaire.model_dump(mode="json"),
        "stage_model": package.stage_model.model_dump(mode="json"),
    }

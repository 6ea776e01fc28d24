"""JSON Schemas of the definition formats, so an editor can complete and check YAML files."""

from __future__ import annotations

from typing import Any

from scoring.questionnaire import Questionnaire
from scoring.recommendations import RecommendationLibrary
from scoring.stage_model import StageModel

__all__ = ["definition_schemas"]


def definition_schemas() -> dict[str, dict[str, Any]]:
    """File stem -> JSON Schema, e.g. "questionnaire" -> the schema of questionnaire.yaml."""
    schemas = {}
    for stem, model in (
        ("questionnaire", Questionnaire),
        ("stage_model", StageModel),
        ("recommendations", RecommendationLibrary),
    ):
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"{stem}.schema.json"
        schemas[stem] = schema
    return schemas

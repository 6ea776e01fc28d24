"""The committed JSON Schemas are what the models generate: they never drift."""

from __future__ import annotations

from pathlib import Path

from app.cli.definition_commands import schema_files

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "questionnaires" / "schema"


def test_committed_schemas_match_the_models() -> None:
    for name, text in schema_files().items():
        committed = SCHEMA_DIR / name
        assert committed.exists(), f"{committed} is missing: run `make schema`"
        assert committed.read_text() == text, f"{committed} is stale: run `make schema`"


def test_the_schema_describes_the_formats() -> None:
    files = schema_files()
    assert set(files) == {
        "questionnaire.schema.json",
        "stage_model.schema.json",
        "recommendations.schema.json",
    }
    assert '"additionalProperties": false' in files["questionnaire.schema.json"]
    assert '"weighted_mean"' in files["stage_model.schema.json"]

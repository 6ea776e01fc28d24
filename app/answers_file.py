"""The answers document: one or more respondents' answers to a questionnaire, as YAML or JSON.

The CLI reads it from a file and POST /api/v1/score takes it as a body; both parse it here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from app.anonymity_rule import AnonymityK
from app.yaml_files import YamlSyntaxError, parse_yaml
from scoring import AnswerError, AnswerProblem, RespondentAnswers, Targets

__all__ = ["AnswersDocument", "AnswersFileError", "parse_answers_document", "read_answers_file"]

MAX_RESPONDENTS = 5000


class AnswersFileError(Exception):
    """The file cannot be read or parsed at all."""


class _TargetsModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    overall: str | None = None
    dimensions: dict[str, str] = {}
    # item id -> target answer, in the forms answers take; scoring checks each against its item
    items: dict[str, Any] = {}
    percent_to_target_from: Literal["zero", "baseline"] = "zero"


class _RespondentModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1, max_length=200)
    attributes: dict[str, str] = {}
    answers: dict[str, Any] = {}


class AnswersDocument(BaseModel):
    """The answers format; see the README for an example."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    questionnaire: str = Field(min_length=1, max_length=100)
    version: str | None = Field(default=None, max_length=40)
    anonymity_k: AnonymityK = Field(
        default=3, description="Smallest group shown on its own: an integer from 3 to 100"
    )
    targets: _TargetsModel | None = None
    respondents: list[_RespondentModel] = Field(min_length=1, max_length=MAX_RESPONDENTS)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @property
    def questionnaire_id(self) -> str:
        return self.questionnaire

    @property
    def respondent_answers(self) -> list[RespondentAnswers]:
        return [RespondentAnswers(r.id, r.answers, r.attributes) for r in self.respondents]

    @property
    def target_stages(self) -> Targets | None:
        if self.targets is None:
            return None
        targets = self.targets
        return Targets(
            targets.overall, targets.dimensions, targets.items, targets.percent_to_target_from
        )


def parse_answers_document(data: object) -> AnswersDocument:
    """Check the document's shape; raises AnswerError naming each misplaced or mistyped field."""
    try:
        return AnswersDocument.model_validate(data)
    except ValidationError as error:
        problems = [
            AnswerProblem(
                None, _field_path(data, detail["loc"]), detail["msg"].removeprefix("Value error, ")
            )
            for detail in error.errors()
        ]
        raise AnswerError(problems) from error


def read_answers_file(path: Path) -> AnswersDocument:
    """Read a YAML or JSON answers file (chosen by its suffix; YAML otherwise)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise AnswersFileError(f"{path}: cannot read: {error.strerror}") from error
    except UnicodeDecodeError as error:
        raise AnswersFileError(f"{path}: not UTF-8 text") from error
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else parse_yaml(text)
    except json.JSONDecodeError as error:
        raise AnswersFileError(f"{path}: not valid JSON: {error}") from error
    except YamlSyntaxError as error:
        raise AnswersFileError(f"{path}: {error}") from error
    return parse_answers_document(data)


def _field_path(data: object, loc: tuple[int | str, ...]) -> str:
    parts: list[str] = []
    node: Any = data
    for step in loc:
        if isinstance(step, int) and isinstance(node, list) and 0 <= step < len(node):
            element = node[step]
            label = element.get("id") if isinstance(element, dict) else None
            parts[-1] = f"{parts[-1]}[{label or step}]" if parts else f"[{step}]"
            node = element
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    return ".".join(parts) or "document"

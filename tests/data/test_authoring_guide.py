"""Every example in docs/authoring.md is checked: YAML blocks against the format (and, when
they claim to come from operational-maturity, against the package itself), commands by
running them."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from app.answers_file import parse_answers_document
from app.catalog import load_catalog
from app.cli import main
from scoring import Item, Package, Recommendation, score_assessment
from scoring.questionnaire import Attribute, Dimension
from scoring.recommendations import PlanRule, PriorityRule, SuccessMeasure
from scoring.stage_model import (
    MissingAnswers,
    NAPolicy,
    Quadrants,
    RequiresItemsGate,
    Stage,
    Thresholds,
    WeakestLinkGate,
)
from tests.conftest import QUESTIONNAIRES, REPO_ROOT

GUIDE = REPO_ROOT / "docs" / "authoring.md"

CHECKED: dict[str, type[BaseModel]] = {
    "Attribute": Attribute,
    "Dimension": Dimension,
    "Item": Item,
    "Stage": Stage,
    "Thresholds": Thresholds,
    "WeakestLinkGate": WeakestLinkGate,
    "RequiresItemsGate": RequiresItemsGate,
    "NAPolicy": NAPolicy,
    "Quadrants": Quadrants,
    "SuccessMeasure": SuccessMeasure,
    "PlanRule": PlanRule,
    "MissingAnswers": MissingAnswers,
    "PriorityRule": PriorityRule,
}


def blocks(language: str) -> list[str]:
    """The fenced blocks of the guide in one language ("" for a bare fence), in order."""
    found, current, open_language = [], [], None
    for line in GUIDE.read_text().splitlines():
        fence = re.fullmatch(r"```(\w*)", line.strip())
        if fence and open_language is None:
            open_language, current = fence.group(1), []
        elif fence and line.strip() == "```":
            if open_language == language:
                found.append("\n".join(current) + "\n")
            open_language = None
        elif open_language is not None:
            current.append(line)
    return found


def yaml_blocks_marked(marker: str) -> list[tuple[str, Any]]:
    found = []
    for block in blocks("yaml"):
        first = block.splitlines()[0]
        if first.startswith(f"# {marker}:"):
            found.append((first.split(":", 1)[1].strip(), yaml.safe_load(block)))
    return found


@pytest.fixture(scope="module")
def package() -> Package:
    return load_catalog(QUESTIONNAIRES).get("operational-maturity", "1.1.0")


def test_every_yaml_block_parses() -> None:
    assert len(blocks("yaml")) >= 20
    for block in blocks("yaml"):
        yaml.safe_load(block)


def test_checked_examples_fit_the_format(package: Package) -> None:
    checked = yaml_blocks_marked("checked")
    assert {name for name, _ in checked} == {*CHECKED, "AnswersDocument"}
    for name, data in checked:
        if name == "AnswersDocument":
            document = parse_answers_document(data)
            score_assessment(package, document.respondent_answers, targets=document.target_stages)
        else:
            CHECKED[name].model_validate(data)


def test_examples_from_the_package_are_copied_exactly(package: Package) -> None:
    copied = yaml_blocks_marked("from")
    assert len(copied) >= 10
    library = {r.id: r for r in package.library.recommendations}
    for source, data in copied:
        assert source == "operational-maturity"
        if "kind" in data:
            assert Item.model_validate(data) == package.items[data["id"]], data["id"]
        else:
            assert Recommendation.model_validate(data) == library[data["id"]], data["id"]


def test_the_short_form_example_matches_the_quick_check() -> None:
    example = next(yaml.safe_load(b) for b in blocks("yaml") if b.startswith("id: quick-check"))
    shipped = yaml.safe_load(
        (QUESTIONNAIRES / "quick-check" / "1.1.0" / "questionnaire.yaml").read_text()
    )
    for key in (
        "id",
        "version",
        "short_form_of",
        "short_form_version",
        "stage_model",
        "recommendations",
    ):
        assert example[key] == shipped[key], key
    assert example["estimated_minutes"] == shipped["estimated_minutes"]


def test_the_documented_commands_run(capsys: pytest.CaptureFixture[str]) -> None:
    commands = [
        line.split("#")[0].split()
        for block in blocks("bash")
        for line in block.splitlines()
        if line.startswith(".venv/bin/opsmaturity")
    ]
    assert len(commands) == 3
    for command in commands:
        assert main(command[1:]) == 0, command
    output = capsys.readouterr().out
    assert "ok  operational-maturity 1.1.0  49 items" in output
    # the explanation quoted in the gates section is what `score` prints
    quoted = next(b for b in blocks("") if b.startswith("Overall score 61.8"))
    for line in quoted.splitlines():
        assert line in output, line


def test_the_computed_minutes_quoted_are_current() -> None:
    catalog = load_catalog(QUESTIONNAIRES)
    full = catalog.get("operational-maturity", "1.1.0").reading_time.minutes
    quick = catalog.get("quick-check", "1.1.0").reading_time.minutes
    text = " ".join(GUIDE.read_text().split())
    assert (
        f"`operational-maturity` 1.1.0 computes {full} minutes and `quick-check` 1.1.0 {quick}."
        in text
    )

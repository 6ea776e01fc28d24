"""operational-maturity 1.1.0: the same answers score as in 1.0.0, each dimension describes
each stage in its own terms, every action says how to tell that it worked, and the default plan
stays small and spans the three periods."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.reports.action_view import roadmap_columns
from scoring import HORIZONS, Package, RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES

GOLDEN = Path(__file__).resolve().parent / "golden"
CATALOG = load_catalog(QUESTIONNAIRES)
FULL = CATALOG.get("operational-maturity", "1.1.0")
FROZEN = CATALOG.get("operational-maturity", "1.0.0")
QUICK = CATALOG.get("quick-check", "1.1.0")
GOLDEN_FILES = sorted(GOLDEN.glob("*.yaml")) + sorted(GOLDEN.glob("v1_1/*.yaml"))


def _respondents(path: Path, package: Package) -> list[RespondentAnswers]:
    document = read_answers_file(path)
    return [
        RespondentAnswers(
            respondent.id,
            {k: v for k, v in respondent.answers.items() if k in package.items},
            respondent.attributes,
        )
        for respondent in document.respondents
    ]


def test_every_dimension_describes_every_stage() -> None:
    stage_ids = [stage.id for stage in FULL.stage_model.stages]
    described = FULL.stage_model.dimension_stages
    assert sorted(described) == sorted(d.id for d in FULL.questionnaire.dimensions)
    for dimension_id, texts in described.items():
        assert sorted(texts) == sorted(stage_ids), dimension_id
        assert len(set(texts.values())) == len(stage_ids), dimension_id


def test_stage_texts_are_the_dimensions_own() -> None:
    trust = " ".join(FULL.stage_model.dimension_stages["trust"].values()).lower()
    assert "scorecard" not in trust
    assert FULL.stage_model.stage_text("trust", "managed") != FULL.stage_model.stages[3].summary


def test_every_action_has_a_structured_success_measure() -> None:
    missing = [r.id for r in FULL.library.recommendations if r.success is None]
    assert not missing
    for recommendation in FULL.library.recommendations:
        success = recommendation.success
        assert success is not None
        assert success.min_change > 0
        assert not any(item_id in success.description for item_id in FULL.items)


def test_texts_for_clients_give_no_item_value() -> None:
    """Rationales reach the report's methodology: they speak of answers, not of 0-1 values."""
    texts = json.dumps(
        [FULL.stage_model.model_dump(mode="json"), FULL.library.model_dump(mode="json")]
    )
    assert not re.search(r"\b(?:below|above|under|over) 0\.\d\d\b", texts)


def test_effort_and_impact_use_every_level() -> None:
    actions = FULL.library.recommendations
    assert {r.effort for r in actions} == {"low", "medium", "high"}
    assert {r.impact for r in actions} == {"low", "medium", "high"}


def test_the_quick_check_is_built_from_this_version() -> None:
    assert QUICK.questionnaire.short_form_version == FULL.version
    for item_id, item in QUICK.items.items():
        assert FULL.items[item_id] == item


@pytest.mark.parametrize("path", sorted(GOLDEN.glob("*.yaml")), ids=lambda p: p.stem)
def test_the_same_answers_score_as_in_1_0_0(path: Path) -> None:
    """1.1.0 rewords items but keeps every option's level, so 1.0.0's golden sets score alike."""
    before = score_assessment(FROZEN, _respondents(path, FROZEN)).team
    after = score_assessment(FULL, _respondents(path, FULL)).team
    assert [(d.score, d.stage) for d in after.dimensions] == [
        (d.score, d.stage) for d in before.dimensions
    ]
    assert (after.overall.score, after.overall.stage) == (
        before.overall.score,
        before.overall.stage,
    )


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda p: p.stem)
def test_the_default_plan_is_small_and_spans_the_periods(path: Path) -> None:
    rule = FULL.library.plan
    assert rule is not None
    result = score_assessment(FULL, _respondents(path, FULL))
    planned = [ranked for horizon in HORIZONS for ranked in result.roadmap[horizon]]
    assert len(planned) <= rule.max_actions
    assert all(len(result.roadmap[h]) <= (rule.max_per_horizon or 99) for h in HORIZONS)
    for column, horizon in zip(roadmap_columns(FULL, result), HORIZONS, strict=True):
        if not column.actions:
            # An empty period says why: nothing that applies starts in it.
            assert not any(r.recommendation.horizon == horizon for r in result.recommendations)
            assert column.empty_text

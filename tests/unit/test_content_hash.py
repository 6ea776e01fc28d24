"""A package's content hash stays what its stored assessments were created with: fields added to
the formats later are left out of the hash while a package does not use them."""

from __future__ import annotations

from typing import Any

import pytest

from app.catalog import load_catalog
from scoring import Package, build_package
from scoring.package import _hashed_dump, content_hash
from tests.conftest import QUESTIONNAIRES
from tests.unit.example_package import EXAMPLE, fresh_mappings

# As computed before any field was added to the formats (and, for operational-maturity and
# example, before packages moved into version folders, which does not change their hash).
PINNED = {
    ("example", "1.0.0"): "6d7a296d66c316e78b4cbc7b8cd851fe6f8d57ce91942596cc078aee9028597f",
    ("operational-maturity", "1.0.0"): (
        "1b7f62953a3de02de0e09cc3dd7a17c731423e335ceb2b4c83d20a6b53e7ac43"
    ),
    # The quick check names its full form's files by path, which is part of its hash; the move
    # into version folders changed that path only (migration 20261203_0200 re-pins its rows).
    ("quick-check", "1.0.0"): "36b629f0bc23d8accbc7428c27eb2fb287cf1d81597c213cc6de4f4f5ec9e245",
}


@pytest.mark.parametrize(("key", "expected"), PINNED.items(), ids=[k for k, _ in PINNED])
def test_published_packages_keep_their_hash(key: tuple[str, str], expected: str) -> None:
    assert load_catalog(QUESTIONNAIRES).get(*key).content_hash == expected


def _example(
    stage_model_changes: dict[str, Any] | None = None,
    library_changes: dict[str, Any] | None = None,
) -> Package:
    questionnaire, stage_model, library = fresh_mappings()
    stage_model.update(stage_model_changes or {})
    library.update(library_changes or {})
    return build_package(questionnaire, stage_model, library)


def test_a_new_field_left_at_its_default_leaves_the_hash_alone() -> None:
    spelled_out = _example({"dimension_stages": {}}, {"plan": None})
    assert spelled_out.content_hash == EXAMPLE.content_hash
    assert "dimension_stages" not in _hashed_dump(
        spelled_out.stage_model, spelled_out.stage_model.model_dump(mode="json")
    )


def test_using_a_new_field_changes_the_hash() -> None:
    dimension = EXAMPLE.questionnaire.dimensions[0].id
    stage = EXAMPLE.stage_model.stages[0].id
    described = _example({"dimension_stages": {dimension: {stage: "What it looks like here."}}})
    planned = _example(library_changes={"plan": {"max_actions": 8}})
    hashes = {EXAMPLE.content_hash, described.content_hash, planned.content_hash}
    assert len(hashes) == 3
    assert described.content_hash == content_hash(
        described.questionnaire, described.stage_model, described.library
    )

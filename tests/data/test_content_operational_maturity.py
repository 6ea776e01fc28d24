"""Content rules for the operational-maturity package and its quick-check short form.

The package check (build_package) guarantees the format; these tests hold the content to the
editorial bar: enough items per dimension, five distinct behavioural anchors per scale item,
at least three actions for every dimension and stage transition, and a faithful short form.
"""

from __future__ import annotations

from collections import Counter

import pytest

from app.catalog import load_catalog
from scoring import ItemKind, Package, iter_dimensions
from tests.conftest import QUESTIONNAIRES

DIMENSION_IDS = [
    "firefighting",
    "ownership",
    "cadence",
    "priorities",
    "process",
    "visibility",
    "alignment",
    "trust",
]


@pytest.fixture(scope="module")
def full() -> Package:
    return load_catalog(QUESTIONNAIRES).get("operational-maturity", "1.0.0")


@pytest.fixture(scope="module")
def quick() -> Package:
    return load_catalog(QUESTIONNAIRES).get("quick-check", "1.0.0")


def test_both_packages_validate(full: Package, quick: Package) -> None:
    assert (full.id, full.version) == ("operational-maturity", "1.0.0")
    assert (quick.id, quick.version) == ("quick-check", "1.0.0")
    assert quick.questionnaire.short_form_of == "operational-maturity"
    assert quick.stage_model == full.stage_model
    assert quick.library == full.library


def test_eight_dimensions_with_five_to_seven_items_each(full: Package) -> None:
    dimensions = full.questionnaire.dimensions
    assert [d.id for d in dimensions] == DIMENSION_IDS
    for dimension in dimensions:
        assert 5 <= len(dimension.items) <= 7, dimension.id
    assert 40 <= len(full.items) <= 55
    assert {d.axis for d in dimensions} == {"operations", "execution"}
    assert full.questionnaire.estimated_minutes is not None
    assert 12 <= full.questionnaire.estimated_minutes <= 15


def test_every_scale_item_has_five_distinct_behavioural_anchors(full: Package) -> None:
    scales = [item for item in full.items.values() if item.kind is ItemKind.SCALE]
    assert len(scales) >= len(full.items) // 2  # mostly scale items
    for item in scales:
        assert len(item.options) == 5, item.id
        labels = [option.label for option in item.options]
        assert len(set(labels)) == 5, item.id
        short = [option.short_label for option in item.options]
        assert all(s and 1 <= len(s.split()) <= 3 for s in short), (item.id, short)
        assert len(set(short)) == 5, item.id
        assert all(option.value is None for option in item.options), item.id  # even steps


def test_a_mix_of_item_kinds(full: Package) -> None:
    kinds = Counter(item.kind for item in full.items.values())
    # Every kind but `number`: no question here asks for a count that bands would help with.
    for kind in set(ItemKind) - {ItemKind.NUMBER}:
        assert kinds[kind] >= 1, kind
    unplanned = full.items["ff_unplanned_share"]
    assert unplanned.kind is ItemKind.PERCENTAGE
    values = [band.value for band in unplanned.bands]
    assert values == sorted(values, reverse=True)  # more firefighting, lower value
    assert any(item.show_if is not None for item in full.items.values())
    text = [item for item in full.items.values() if item.kind is ItemKind.TEXT]
    assert len(text) == 1 and not text[0].required


def test_prompts_ask_one_question(full: Package) -> None:
    for item in full.items.values():
        prompt = item.prompt.strip()
        assert prompt.count("?") <= 1, item.id
        assert prompt.endswith(("?", ".")), item.id


def test_attributes(full: Package) -> None:
    attributes = {a.id: a for a in full.questionnaire.attributes}
    assert list(attributes) == ["role", "function", "tenure"]
    assert attributes["role"].required
    assert [v.id for v in attributes["role"].values] == [
        "executive",
        "senior_manager",
        "manager",
        "individual_contributor",
    ]


def test_stage_model_explains_its_choices(full: Package) -> None:
    model = full.stage_model
    assert [s.id for s in model.stages] == [
        "reactive",
        "emerging",
        "structured",
        "managed",
        "scalable",
    ]
    for stage in model.stages:
        assert stage.summary and stage.feels_like and stage.risk_of_staying, stage.id
        assert 3 <= len(stage.hallmarks) <= 5, stage.id
    assert model.thresholds.rationale
    assert model.na_policy.rationale
    assert model.gates and all(gate.rationale for gate in model.gates)
    kinds = {gate.kind for gate in model.gates}
    assert kinds == {"weakest_link", "requires_items"}
    assert model.quadrants is not None


def test_every_dimension_and_transition_has_three_actions(full: Package) -> None:
    stages = [s.id for s in full.stage_model.stages]
    counts = Counter(
        (r.dimension, r.from_stage) for r in full.library.recommendations if r.trigger is None
    )
    for dimension in DIMENSION_IDS:
        for from_stage in stages[:-1]:
            assert counts[(dimension, from_stage)] >= 3, (dimension, from_stage)
    assert sum(counts.values()) >= 96


def test_actions_are_concrete(full: Package) -> None:
    for recommendation in full.library.recommendations:
        assert 2 <= len(recommendation.steps) <= 4, recommendation.id
        assert recommendation.rationale.strip(), recommendation.id
    triggered = [r for r in full.library.recommendations if r.trigger is not None]
    assert len(triggered) >= 8


def test_quick_check_reuses_twelve_items_unchanged(full: Package, quick: Package) -> None:
    assert len(quick.items) == 12
    assert [d.id for d in quick.questionnaire.dimensions] == DIMENSION_IDS
    per_dimension = Counter(quick.item_dimension.values())
    assert max(per_dimension.values()) <= 2
    assert set(per_dimension) == set(DIMENSION_IDS)
    for item_id, item in quick.items.items():
        assert full.items[item_id] == item, item_id
    assert quick.questionnaire.precision_note
    assert quick.questionnaire.estimated_minutes == 3
    assert quick.questionnaire.attributes == full.questionnaire.attributes


def test_quick_check_asks_every_gate_item(full: Package, quick: Package) -> None:
    gated = {
        required.item
        for gate in full.stage_model.gates
        if gate.kind == "requires_items"
        for required in gate.items
    }
    assert gated <= set(quick.items)


def test_dimension_axes_match_between_forms(full: Package, quick: Package) -> None:
    axes = {d.id: d.axis for d in iter_dimensions(full.questionnaire.dimensions)}
    assert {d.id: d.axis for d in quick.questionnaire.dimensions} == axes

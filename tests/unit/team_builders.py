"""Small packages built in code, and teams to score against them: scale items with five options
(values 0, .25, .5, .75 and 1), the example package's stage model without its gates, and
whatever attributes a test declares."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scoring import Package, RespondentAnswers, build_package
from tests.unit.example_package import fresh_mappings

OPTIONS = 5
"""Options per scale item; option `o{p}` is worth p / 4."""


@dataclass(frozen=True, slots=True)
class AttributeSpec:
    """An attribute as a test declares it: values are (id, label) pairs."""

    id: str
    label: str
    values: tuple[tuple[str, str], ...]
    required: bool = False


def scale_package(
    dimensions: Mapping[str, int], attributes: Sequence[AttributeSpec] = ()
) -> Package:
    """One top-level dimension per entry, each with that many five-option scale items named
    `{dimension}_{n}`; thresholds as in the example package (steady 40, strong 75)."""
    questionnaire, stage_model, recommendations = fresh_mappings()
    questionnaire["attributes"] = [
        {
            "id": a.id,
            "label": a.label,
            "required": a.required,
            "values": [{"id": v, "label": label} for v, label in a.values],
        }
        for a in attributes
    ]
    questionnaire["dimensions"] = [
        {
            "id": dimension,
            "title": dimension.title(),
            "items": [_scale_item(f"{dimension}_{n}") for n in range(1, count + 1)],
        }
        for dimension, count in dimensions.items()
    ]
    stage_model.pop("gates")
    stage_model.pop("quadrants")
    stage_model["thresholds"].pop("dimensions")
    first = next(iter(dimensions))
    recommendations["recommendations"] = [
        dict(recommendations["recommendations"][0], dimension=first)
    ]
    return build_package(questionnaire, stage_model, recommendations)


def _scale_item(item_id: str) -> dict[str, object]:
    return {
        "id": item_id,
        "kind": "scale",
        "prompt": f"How is {item_id} today?",
        "options": [{"id": f"o{p}", "label": f"Option {p}"} for p in range(OPTIONS)],
    }


def option_answers(package: Package, positions: Sequence[int]) -> dict[str, object]:
    """Answers to a `scale_package`, item by item in questionnaire order: option `o{p}`."""
    items = list(package.items)
    assert len(items) == len(positions)
    return {item_id: f"o{p}" for item_id, p in zip(items, positions, strict=True)}


def same_answer(package: Package, position: int) -> dict[str, object]:
    """The same option on every item."""
    return option_answers(package, [position] * len(package.items))


def members(
    answer_sets: Sequence[Mapping[str, object]],
    attributes: Sequence[Mapping[str, str]] | None = None,
) -> list[RespondentAnswers]:
    attributes = attributes or [{}] * len(answer_sets)
    return [
        RespondentAnswers(f"r{i}", answers, attrs)
        for i, (answers, attrs) in enumerate(zip(answer_sets, attributes, strict=True))
    ]

"""Each item kind refuses what does not fit it, with a message an author can act on."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from scoring import Item

TWO = [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}]


@pytest.mark.parametrize(
    ("definition", "message"),
    [
        (
            {"kind": "scale", "options": [{"id": "a", "label": "A"}]},
            "a scale item needs at least two options",
        ),
        (
            {"kind": "scale", "options": [*TWO, {"id": "a", "label": "C"}]},
            "option id 'a' is used twice",
        ),
        (
            {
                "kind": "scale",
                "options": [{"id": "a", "label": "A", "value": 0}, {"id": "b", "label": "B"}],
            },
            "give a value on every scale option or on none",
        ),
        (
            {
                "kind": "scale",
                "options": [
                    {"id": "a", "label": "A", "value": 1},
                    {"id": "b", "label": "B", "value": 0},
                ],
            },
            "scale option values must rise strictly",
        ),
        ({"kind": "yes_no", "bands": [{"value": 1}]}, "a yes_no item takes no bands"),
        (
            {"kind": "scale", "options": [*TWO[:1], {"id": "b", "label": "B", "exclusive": True}]},
            "only multi_choice options can be exclusive",
        ),
        (
            {"kind": "yes_no", "min": 0},
            "min and max apply to number and percentage items, not yes_no",
        ),
        ({"kind": "text", "allow_na": True}, "a text item is unscored"),
        ({"kind": "number"}, "a number item needs bands"),
        (
            {"kind": "number", "bands": [{"value": 1}, {"value": 0}]},
            "only the last band may leave out max",
        ),
        (
            {"kind": "percentage", "max": 150, "bands": [{"value": 1}]},
            "a percentage lies between 0 and 100",
        ),
        ({"kind": "number", "min": 5, "max": 5, "bands": [{"value": 1}]}, "min must be below max"),
        (
            {"kind": "number", "bands": [{"max": 3, "value": 1}]},
            "the bands leave numbers uncovered",
        ),
    ],
)
def test_an_item_that_does_not_fit_its_kind(definition: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        Item.model_validate({"id": "q", "prompt": "Q?", **definition})


def test_a_bounded_number_may_close_its_last_band_at_its_max() -> None:
    item = Item.model_validate(
        {"id": "q", "prompt": "Q?", "kind": "number", "max": 10, "bands": [{"max": 10, "value": 1}]}
    )
    assert item.bands[0].max == 10

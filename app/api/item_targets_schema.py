"""The item-target figures of the results document (`results.item_targets`), described field
by field; app/api/results_schema.py places them in the document.

Item values are on the item's normalised 0..1 scale after reverse keying; scoring works every
figure out from unrounded values (scoring/item_targets.py), and the document rounds them to
six decimals (percentages to four) only to send them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["ItemTargetFigures", "ItemTargetProgressOut", "ItemTargetsOut"]

TargetAnswer = str | int | float | bool | list[str]


class _Described(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class ItemTargetProgressOut(_Described):
    """How far the items with a target still are from it, in one dimension or overall."""

    subject: str = Field(description="A dimension id, or `overall` for every item with a target")
    item_count: int = Field(description="Items with a target")
    gap: float = Field(description="Sum over the items of |target value - current value|")
    reference_gap: float = Field(
        description="The same sum at the reference: the baseline round's values, or 0 for every "
        "item (then the sum of the target values)"
    )
    percent_to_target: float | None = Field(
        description="100 x (1 - gap / reference_gap): 100 when every target is reached, below 0 "
        "when further from the targets than at the reference; null when reference_gap is 0"
    )
    progress_to_date: float | None = Field(
        description="(sum of current - sum of baseline values) / (sum of target - sum of "
        "baseline values), a share: 1 when the targets are reached; null without a baseline "
        "round or when the targets equal the baseline"
    )


class ItemTargetFigures(_Described):
    """One item's target and where the team stands."""

    item_id: str
    dimension_id: str = Field(description="The top-level dimension the item sits in")
    target: TargetAnswer = Field(description="The target answer, as it was given")
    target_value: float = Field(description="The target answer's value, 0..1")
    current_value: float = Field(
        description="The mean value of those who answered, 0..1; 0 when nobody did"
    )
    baseline_value: float | None = Field(
        description="The same in the baseline round (0 when nobody answered it there); null "
        "without a baseline round"
    )
    gap: float = Field(description="|target value - current value|")


class ItemTargetsOut(_Described):
    """Percent-to-target over item targets, as maturity models such as OWASP SAMM define it."""

    percent_to_target_from: Literal["zero", "baseline"] = Field(
        description="The reference the assessment declares for percent_to_target"
    )
    reference: Literal["zero", "baseline"] = Field(
        description="The reference used: `zero` when the baseline is declared but there is no "
        "baseline round with submitted answers"
    )
    overall: ItemTargetProgressOut
    dimensions: list[ItemTargetProgressOut] = Field(
        description="Dimensions with at least one item target, in questionnaire order"
    )
    items: list[ItemTargetFigures] = Field(description="In questionnaire order")

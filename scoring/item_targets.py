"""Item-level targets: a target answer per item, and how far the items still are from them.

This is the percent-to-target of published maturity models such as OWASP SAMM: each item gets
a target answer, the distance still to go is summed over those items, and that sum is set
against the distance at a reference (every item at 0, or the baseline round). Every figure is
worked out from unrounded item values; only displays round.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from scoring._item_values import item_value_function
from scoring.errors import AnswerError, AnswerProblem
from scoring.package import Package
from scoring.questionnaire import RESERVED_ANSWERS

if TYPE_CHECKING:
    from scoring.targets import Targets

__all__ = [
    "TARGET_REFERENCES",
    "ItemTarget",
    "ItemTargetProgress",
    "ItemTargets",
    "TargetReference",
    "compare_to_item_targets",
    "item_target_values",
]

# What an item-target percent-to-target measures from: every item at 0, or the baseline round.
TargetReference = Literal["zero", "baseline"]
TARGET_REFERENCES: tuple[TargetReference, ...] = ("zero", "baseline")
# Sums of item values closer than this are equal: float noise, not a distance to cover.
_SAME = 1e-9


@dataclass(frozen=True, slots=True)
class ItemTarget:
    """One item's target. Values are on the item's normalised 0..1 scale after reverse keying.

    `current_value` is the mean over those who answered (N/A as the model's N/A policy
    counts it), 0 when nobody did; `baseline_value` the same in the baseline round (None
    without one)."""

    item_id: str
    dimension_id: str  # the top-level dimension the item sits in
    target: object  # the target answer as given
    target_value: float
    current_value: float
    baseline_value: float | None

    @property
    def gap(self) -> float:
        return abs(self.target_value - self.current_value)


@dataclass(frozen=True, slots=True)
class ItemTargetProgress:
    """The item targets of one dimension (or `overall`: all of them), from unrounded values.

    - gap = sum of |target value - current value| over the items;
    - reference_gap = the same sum at the reference: the baseline round's values, or 0 for
      every item (then it is the sum of the target values);
    - percent_to_target = 100 x (1 - gap / reference_gap), None when reference_gap is 0;
      below 0 when the items lie further from their targets than at the reference;
    - progress_to_date = (sum of current - sum of baseline) / (sum of target - sum of
      baseline), a share (1: the targets reached); None without a baseline or when the
      targets equal the baseline.
    """

    subject: str  # a dimension id, or "overall"
    item_count: int
    gap: float
    reference_gap: float
    percent_to_target: float | None
    progress_to_date: float | None


@dataclass(frozen=True, slots=True)
class ItemTargets:
    """An assessment's item targets: each item, each dimension with item targets, and overall.

    `percent_to_target_from` is the declared reference; `reference` the one used ("zero" when
    the baseline was declared but there is no baseline round)."""

    percent_to_target_from: TargetReference
    reference: TargetReference
    items: tuple[ItemTarget, ...]  # questionnaire order
    dimensions: tuple[ItemTargetProgress, ...]  # questionnaire order
    overall: ItemTargetProgress


def compare_to_item_targets(
    package: Package,
    current: Mapping[str, float | None],
    targets: Targets,
    baseline: Mapping[str, float | None] | None = None,
) -> ItemTargets | None:
    """Gap, percent-to-target and progress-to-date of the item targets (None without any).

    `current` and `baseline` hold item values 0..1 after reverse keying (a team's: the mean
    of those who answered each item, `TeamAggregate.item_values`); an item without a value
    counts as 0. See `ItemTargetProgress` for the formulas; every figure is worked out from
    unrounded values. Raises `AnswerError` when a target does not fit (`check_targets`).
    """
    values, problems = item_target_values(package, targets.items)
    if problems:
        raise AnswerError(problems)
    if not values:
        return None
    reference: TargetReference = (
        "baseline"
        if targets.percent_to_target_from == "baseline" and baseline is not None
        else "zero"
    )
    items = tuple(
        ItemTarget(
            item_id=item_id,
            dimension_id=package.item_dimension[item_id],
            target=targets.items[item_id],
            target_value=values[item_id],
            current_value=current.get(item_id) or 0.0,
            baseline_value=None if baseline is None else baseline.get(item_id) or 0.0,
        )
        for item_id in package.items
        if item_id in values
    )
    dimensions = tuple(
        _item_target_progress(dimension.id, in_dimension, reference)
        for dimension in package.questionnaire.dimensions
        if (in_dimension := [i for i in items if i.dimension_id == dimension.id])
    )
    return ItemTargets(
        percent_to_target_from=targets.percent_to_target_from,
        reference=reference,
        items=items,
        dimensions=dimensions,
        overall=_item_target_progress("overall", list(items), reference),
    )


def _item_target_progress(
    subject: str, items: list[ItemTarget], reference: TargetReference
) -> ItemTargetProgress:
    gap = math.fsum(item.gap for item in items)
    if reference == "baseline":
        reference_gap = math.fsum(
            abs(item.target_value - (item.baseline_value or 0.0)) for item in items
        )
    else:
        reference_gap = math.fsum(item.target_value for item in items)  # |target - 0|
    progress = None
    if all(item.baseline_value is not None for item in items):
        to_cover = math.fsum(item.target_value - (item.baseline_value or 0.0) for item in items)
        covered = math.fsum(item.current_value - (item.baseline_value or 0.0) for item in items)
        progress = None if abs(to_cover) < _SAME else covered / to_cover
    return ItemTargetProgress(
        subject=subject,
        item_count=len(items),
        gap=gap,
        reference_gap=reference_gap,
        percent_to_target=None if reference_gap < _SAME else 100 * (1 - gap / reference_gap),
        progress_to_date=progress,
    )


def item_target_values(
    package: Package, items: Mapping[str, object]
) -> tuple[dict[str, float], list[AnswerProblem]]:
    """Each item target's value 0..1 (after reverse keying), and the targets that do not fit,
    each at `targets.items.<item id>`.

    A target is checked by the item's own answer check, the one `normalise_answers` applies,
    so it takes the forms an answer takes and gets the same messages; it must be an answer
    with a value, so not free text, "not applicable" or "don't know"."""
    values: dict[str, float] = {}
    problems = []
    for item_id, raw in items.items():
        where = f"targets.items.{item_id}"
        item = package.items.get(item_id)
        message = None
        if item is None:
            message = "no such item in this questionnaire"
        elif not item.scored:
            message = "free text is not scored, so it takes no target"
        elif isinstance(raw, str) and raw in RESERVED_ANSWERS:
            message = f"a target is an answer with a value; {raw!r} has none"
        else:
            value, message = item_value_function(item, package.option_values[item_id])(raw)
            if message is None and value is not None:
                values[item_id] = value
        if message is not None:
            problems.append(AnswerProblem(None, where, message))
    return values, problems

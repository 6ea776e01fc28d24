"""Places a score in a stage by thresholds, then applies the gates, recording each step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from scoring.package import Package
from scoring.stage_model import RequiresItemsGate, WeakestLinkGate

__all__ = [
    "DecidingRule",
    "GateStep",
    "StagePlacement",
    "place_dimension_stage",
    "place_overall_stage",
    "threshold_index",
]

DecidingRule = Literal["threshold", "requires_items", "weakest_link", "no_data"]


class GateStep(NamedTuple):
    """One gate that was checked: which rule, the stage it concerns, and its figures.

    `requires_item`: `stage_index` needs `item_id` at `required` or more; the item's value is
    `value` (None: unanswered), so the stage is capped at `capped_index`. `item_not_asked`: the
    gate names an item this questionnaire does not ask, so it is skipped. `weakest_link`: the
    weakest dimension (`dimension_id`) sits at `stage_index`, and the overall stage may be at
    most `max_above` stages above it, so it is capped at `capped_index`.
    """

    code: Literal["requires_item", "item_not_asked", "weakest_link"]
    stage_index: int
    capped_index: int | None = None
    item_id: str | None = None
    required: float | None = None
    value: float | None = None
    dimension_id: str | None = None
    max_above: int | None = None


class StagePlacement(NamedTuple):
    """A stage and why: `decided_by` is the last rule that set it, `gate_steps` every gate that
    capped or was skipped. Facts only: app/ words them for a reader.

    An immutable record, built for every dimension of every response, hence a NamedTuple.
    """

    stage_id: str | None
    stage_index: int | None
    decided_by: DecidingRule
    subject: str  # a dimension id, or "overall"
    score: Decimal | None
    thresholds: tuple[Decimal, ...]
    gate_steps: tuple[GateStep, ...] = ()

    @property
    def threshold_index(self) -> int | None:
        """The stage the score reaches by thresholds alone, before any gate."""
        return None if self.score is None else threshold_index(self.score, self.thresholds)


def threshold_index(score: Decimal, thresholds: tuple[Decimal, ...]) -> int:
    """The index of the stage a display-scale score reaches by thresholds alone."""
    index = 0
    for threshold in thresholds:
        if score >= threshold:
            index += 1
    return index


def place_dimension_stage(
    package: Package,
    dimension_id: str,
    score: Decimal | None,
    item_values: Mapping[str, float | None],
) -> StagePlacement:
    """The stage of one top-level dimension from its rounded score and its item gates."""
    return _place(
        package, dimension_id, score, package.dimension_thresholds[dimension_id], item_values, ()
    )


def place_overall_stage(
    package: Package,
    score: Decimal | None,
    item_values: Mapping[str, float | None],
    dimension_stages: Sequence[tuple[str, StagePlacement]],
) -> StagePlacement:
    """The organisation's stage: thresholds, then item gates, then the weakest-link cap.

    `dimension_stages` pairs each top-level dimension's id with its placement."""
    return _place(
        package, "overall", score, package.overall_thresholds, item_values, dimension_stages
    )


def _place(
    package: Package,
    subject: str,
    score: Decimal | None,
    thresholds: tuple[Decimal, ...],
    item_values: Mapping[str, float | None],
    dimension_stages: Sequence[tuple[str, StagePlacement]],
) -> StagePlacement:
    if score is None:
        return StagePlacement(None, None, "no_data", subject, None, thresholds)
    index = threshold_index(score, thresholds)
    steps: list[GateStep] = []
    decided_by: DecidingRule = "threshold"
    for item_gate in package.item_gates.get(subject, ()):
        capped = _apply_item_gate(package, item_gate, index, item_values, steps)
        if capped < index:
            index, decided_by = capped, "requires_items"
    for weakest_link in package.weakest_link_gates if subject == "overall" else ():
        capped = _apply_weakest_link(weakest_link, index, dimension_stages, steps)
        if capped < index:
            index, decided_by = capped, "weakest_link"
    stage_id = package.stage_model.stages[index].id
    return StagePlacement(stage_id, index, decided_by, subject, score, thresholds, tuple(steps))


def _apply_item_gate(
    package: Package,
    gate: RequiresItemsGate,
    index: int,
    item_values: Mapping[str, float | None],
    steps: list[GateStep],
) -> int:
    gate_index = package.stage_index[gate.stage]
    if index < gate_index:
        return index
    for required in gate.items:
        if required.item not in package.items:
            steps.append(GateStep("item_not_asked", gate_index, item_id=required.item))
            continue
        value = item_values.get(required.item)
        if value is None or value < required.min_value:
            steps.append(
                GateStep(
                    "requires_item",
                    gate_index,
                    capped_index=gate_index - 1,
                    item_id=required.item,
                    required=required.min_value,
                    value=value,
                )
            )
            return gate_index - 1
    return index


def _apply_weakest_link(
    gate: WeakestLinkGate,
    index: int,
    dimension_stages: Sequence[tuple[str, StagePlacement]],
    steps: list[GateStep],
) -> int:
    placed = [(p.stage_index, d) for d, p in dimension_stages if p.stage_index is not None]
    if not placed:
        return index
    weakest_index, weakest_id = min(placed, key=lambda pair: pair[0])
    cap = weakest_index + gate.max_stages_above
    if index <= cap:
        return index
    steps.append(
        GateStep(
            "weakest_link",
            weakest_index,
            capped_index=cap,
            dimension_id=weakest_id,
            max_above=gate.max_stages_above,
        )
    )
    return cap

"""Places a score in a stage by thresholds, then applies the gates, explaining each step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from scoring.package import Package
from scoring.stage_model import RequiresItemsGate, WeakestLinkGate

__all__ = ["DecidingRule", "StagePlacement", "place_dimension_stage", "place_overall_stage"]

DecidingRule = Literal["threshold", "requires_items", "weakest_link", "no_data"]


@dataclass(frozen=True, slots=True)
class StagePlacement:
    """A stage and why: `decided_by` is the last rule that set it, `explanation` every step."""

    stage_id: str | None
    stage_index: int | None
    decided_by: DecidingRule
    explanation: tuple[str, ...]


def place_dimension_stage(
    package: Package,
    dimension_id: str,
    score: Decimal | None,
    item_values: Mapping[str, float | None],
) -> StagePlacement:
    """The stage of one top-level dimension from its rounded score and its item gates."""
    title = package.dimension(dimension_id).title
    return _place(
        package,
        title,
        score,
        package.dimension_thresholds[dimension_id],
        dimension_id,
        item_values,
        (),
    )


def place_overall_stage(
    package: Package,
    score: Decimal | None,
    item_values: Mapping[str, float | None],
    dimension_stages: Sequence[tuple[str, StagePlacement]],
) -> StagePlacement:
    """The organisation's stage: thresholds, then item gates, then the weakest-link cap."""
    return _place(
        package,
        "Overall",
        score,
        package.overall_thresholds,
        "overall",
        item_values,
        dimension_stages,
    )


def _place(
    package: Package,
    subject: str,
    score: Decimal | None,
    thresholds: tuple[Decimal, ...],
    scope: str,
    item_values: Mapping[str, float | None],
    dimension_stages: Sequence[tuple[str, StagePlacement]],
) -> StagePlacement:
    stages = package.stage_model.stages
    if score is None:
        return StagePlacement(
            None, None, "no_data", (f"{subject}: no scored answers, so no stage.",)
        )
    index = sum(1 for threshold in thresholds if score >= threshold)
    steps = [_threshold_step(package, subject, score, thresholds, index)]
    decided_by: DecidingRule = "threshold"
    for gate in package.stage_model.gates:
        if isinstance(gate, RequiresItemsGate) and gate.applies_to == scope:
            capped = _apply_item_gate(package, gate, index, item_values, steps)
            if capped < index:
                index, decided_by = capped, "requires_items"
    for gate in package.stage_model.gates:
        if isinstance(gate, WeakestLinkGate) and scope == "overall":
            capped = _apply_weakest_link(package, gate, index, dimension_stages, steps)
            if capped < index:
                index, decided_by = capped, "weakest_link"
    steps.append(f"{subject} stage: {stages[index].name}.")
    return StagePlacement(stages[index].id, index, decided_by, tuple(steps))


def _threshold_step(
    package: Package, subject: str, score: Decimal, thresholds: tuple[Decimal, ...], index: int
) -> str:
    stages = package.stage_model.stages
    if index == 0:
        reached = f"below the {thresholds[0]} needed for {stages[1].name}, so {stages[0].name}"
    else:
        reached = f"reaches the {thresholds[index - 1]} needed for {stages[index].name}"
    following = (
        f"; {stages[index + 1].name} needs {thresholds[index]}"
        if index < len(thresholds) and index > 0
        else ""
    )
    return f"{subject} score {score} {reached}{following}."


def _apply_item_gate(
    package: Package,
    gate: RequiresItemsGate,
    index: int,
    item_values: Mapping[str, float | None],
    steps: list[str],
) -> int:
    stages = package.stage_model.stages
    gate_index = package.stage_index[gate.stage]
    if index < gate_index:
        return index
    for required in gate.items:
        if required.item not in package.items:
            steps.append(
                f"{stages[gate_index].name} requires item '{required.item}', which this questionnaire does not ask; the gate is skipped."
            )
            continue
        value = item_values.get(required.item)
        if value is None or value < required.min_value:
            shown = "unanswered" if value is None else f"{value:.2f}"
            steps.append(
                f"{stages[gate_index].name} requires item '{required.item}' at {required.min_value:.2f} or more; "
                f"it is {shown}, so the stage is capped at {stages[gate_index - 1].name}."
            )
            return gate_index - 1
    return index


def _apply_weakest_link(
    package: Package,
    gate: WeakestLinkGate,
    index: int,
    dimension_stages: Sequence[tuple[str, StagePlacement]],
    steps: list[str],
) -> int:
    placed = [(p.stage_index, title) for title, p in dimension_stages if p.stage_index is not None]
    if not placed:
        return index
    weakest_index, weakest_title = min(placed, key=lambda pair: pair[0])
    cap = weakest_index + gate.max_stages_above
    if index <= cap:
        return index
    stages = package.stage_model.stages
    steps.append(
        f"Weakest link: {weakest_title} is at {stages[weakest_index].name}, and the overall stage may be at most "
        f"{gate.max_stages_above} above it, so it is capped at {stages[cap].name}."
    )
    return cap

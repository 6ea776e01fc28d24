"""Places a score in a stage by thresholds, then applies the gates, explaining each step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Literal, NamedTuple

from scoring.package import Package
from scoring.stage_model import RequiresItemsGate, WeakestLinkGate

__all__ = ["DecidingRule", "StagePlacement", "place_dimension_stage", "place_overall_stage"]

DecidingRule = Literal["threshold", "requires_items", "weakest_link", "no_data"]


class StagePlacement(NamedTuple):
    """A stage and why: `decided_by` is the last rule that set it, `explanation` every step.

    An immutable record, built for every dimension of every response, hence a NamedTuple.

    The facts are kept and the sentences written only when read: most placements are scored
    in bulk and never shown.
    """

    stage_id: str | None
    stage_index: int | None
    decided_by: DecidingRule
    subject: str
    score: Decimal | None
    thresholds: tuple[Decimal, ...]
    stage_names: tuple[str, ...]
    gate_steps: tuple[str, ...] = ()

    @property
    def explanation(self) -> tuple[str, ...]:
        if self.score is None or self.stage_index is None:
            return (f"{self.subject}: no scored answers, so no stage.",)
        return (
            _threshold_step(self.subject, self.score, self.thresholds, self.stage_names),
            *self.gate_steps,
            f"{self.subject} stage: {self.stage_names[self.stage_index]}.",
        )


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
    names = package.stage_names
    if score is None:
        return StagePlacement(None, None, "no_data", subject, None, thresholds, names)
    index = 0
    for threshold in thresholds:
        if score >= threshold:
            index += 1
    steps: list[str] = []
    decided_by: DecidingRule = "threshold"
    for item_gate in package.item_gates.get(scope, ()):
        capped = _apply_item_gate(package, item_gate, index, item_values, steps)
        if capped < index:
            index, decided_by = capped, "requires_items"
    for weakest_link in package.weakest_link_gates if scope == "overall" else ():
        capped = _apply_weakest_link(package, weakest_link, index, dimension_stages, steps)
        if capped < index:
            index, decided_by = capped, "weakest_link"
    return StagePlacement(
        stages[index].id, index, decided_by, subject, score, thresholds, names, tuple(steps)
    )


def _threshold_step(
    subject: str, score: Decimal, thresholds: tuple[Decimal, ...], names: tuple[str, ...]
) -> str:
    index = sum(1 for threshold in thresholds if score >= threshold)
    if index == 0:
        reached = f"is below the {thresholds[0]} needed for {names[1]}, so {names[0]}"
    else:
        reached = f"reaches the {thresholds[index - 1]} needed for {names[index]}"
    following = (
        f"; {names[index + 1]} needs {thresholds[index]}" if 0 < index < len(thresholds) else ""
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

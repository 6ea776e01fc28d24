"""Places a score in a stage by thresholds, then applies the gates, recording each step.

The rules of one subject (a top-level dimension, or the overall score) are compiled once per
package into `StageRules`: its thresholds, stage ids, and its gates with the positions of the
items they name, so placing a score reads no definitions. Under a stage model without thresholds
the rules place nothing: every placement keeps its score and is decided by `no_stages`.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import TYPE_CHECKING, Literal, NamedTuple

from scoring.stage_model import RequiresItemsGate, StageModel, WeakestLinkGate

if TYPE_CHECKING:
    pass

__all__ = [
    "DecidingRule",
    "GateStep",
    "StagePlacement",
    "StageRules",
    "stage_rules",
    "threshold_index",
]

DecidingRule = Literal["threshold", "requires_items", "weakest_link", "no_data", "no_stages"]
"""`no_data`: no score to place. `no_stages`: the stage model has no thresholds, so it places
nothing in a stage (a published model whose score is the level itself); the score is kept."""


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
        """The stage the score reaches by thresholds alone, before any gate (None: no score,
        or a model without stages)."""
        if self.score is None or self.decided_by == "no_stages":
            return None
        return threshold_index(self.score, self.thresholds)


def threshold_index(score: Decimal, thresholds: tuple[Decimal, ...]) -> int:
    """The index of the stage a display-scale score reaches by thresholds alone: how many
    thresholds it reaches (they rise strictly, as the package checks)."""
    return bisect_right(thresholds, score)


# A requires_items gate compiled: the index of the stage it guards, and each required item's
# id, minimum value and position among the package's items (None: the questionnaire lacks it).
_ItemGate = tuple[int, tuple[tuple[str, float, int | None], ...]]


@dataclass(frozen=True, slots=True)
class StageRules:
    """How one subject (a top-level dimension id, or "overall") is placed in a stage."""

    subject: str
    thresholds: tuple[Decimal, ...]
    stage_ids: tuple[str, ...]
    item_gates: tuple[_ItemGate, ...]
    weakest_links: tuple[WeakestLinkGate, ...]  # the overall score's only
    places_stages: bool = True  # False: the stage model has no thresholds

    def place(
        self,
        score: Decimal | None,
        item_values: Sequence[float | None],
        dimension_stages: Sequence[tuple[str, StagePlacement]] = (),
    ) -> StagePlacement:
        """The stage of `score` after the gates; `item_values` by the package's item positions,
        `dimension_stages` each top-level dimension's id and placement (for the overall score)."""
        subject, thresholds = self.subject, self.thresholds
        if not self.places_stages:
            return StagePlacement(None, None, "no_stages", subject, score, thresholds)
        if score is None:
            return StagePlacement(None, None, "no_data", subject, None, thresholds)
        index = bisect_right(thresholds, score)  # threshold_index
        if not self.item_gates and not self.weakest_links:
            # tuple.__new__ builds the record without the NamedTuple's Python-level __new__:
            # this is done for every dimension of every response (see scoring/_plan.py).
            placed = (self.stage_ids[index], index, "threshold", subject, score, thresholds, ())
            return tuple.__new__(StagePlacement, placed)
        steps: list[GateStep] = []
        decided_by: DecidingRule = "threshold"
        for item_gate in self.item_gates:
            capped = _apply_item_gate(item_gate, index, item_values, steps)
            if capped < index:
                index, decided_by = capped, "requires_items"
        for weakest_link in self.weakest_links:
            capped = _apply_weakest_link(weakest_link, index, dimension_stages, steps)
            if capped < index:
                index, decided_by = capped, "weakest_link"
        stage_id = self.stage_ids[index]
        return StagePlacement(stage_id, index, decided_by, subject, score, thresholds, tuple(steps))


def stage_rules(
    stage_model: StageModel,
    subject: str,
    thresholds: tuple[Decimal, ...],
    item_positions: Mapping[str, int],
) -> StageRules:
    """The rules of `subject` (a top-level dimension id, or "overall") under `stage_model`;
    `item_positions` gives each of the package's items its position. Under a model without
    thresholds (`thresholds` then empty) the rules place nothing."""
    stage_index = {stage.id: index for index, stage in enumerate(stage_model.stages)}
    item_gates = tuple(
        (
            stage_index[gate.stage],
            tuple(
                (required.item, required.min_value, item_positions.get(required.item))
                for required in gate.items
            ),
        )
        for gate in stage_model.gates
        if isinstance(gate, RequiresItemsGate) and gate.applies_to == subject
    )
    weakest_links = tuple(
        gate
        for gate in stage_model.gates
        if isinstance(gate, WeakestLinkGate) and subject == "overall"
    )
    stage_ids = tuple(stage.id for stage in stage_model.stages)
    return StageRules(
        subject, thresholds, stage_ids, item_gates, weakest_links, stage_model.places_stages
    )


def _apply_item_gate(
    gate: _ItemGate,
    index: int,
    item_values: Sequence[float | None],
    steps: list[GateStep],
) -> int:
    gate_index, required_items = gate
    if index < gate_index:
        return index
    for item_id, min_value, position in required_items:
        if position is None:
            steps.append(GateStep("item_not_asked", gate_index, item_id=item_id))
            continue
        value = item_values[position]
        if value is None or value < min_value:
            steps.append(
                GateStep(
                    "requires_item",
                    gate_index,
                    capped_index=gate_index - 1,
                    item_id=item_id,
                    required=min_value,
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
    weakest_index, weakest_id = min(placed, key=itemgetter(0))
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

"""The console's target form: what it offers for one questionnaire (its stages, dimensions and
scored items, nothing of any other questionnaire), and what it posts turned into targets.

The form's fields: `target_overall` (a stage id), `target_dimension.<dimension id>` (a stage
id), `target_item.<item id>` (an option id, yes / no, a number, or several option ids for a
multi-choice item), `percent_to_target_from` ("zero" or "baseline") and `targets_for`, the
questionnaire the fields were shown for. A blank field sets no target. The targets are checked
by scoring (`check_targets`), as the API's are; a problem names the form's own field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.services.errors import FieldProblem
from scoring import (
    AnswerProblem,
    Item,
    ItemKind,
    Package,
    Targets,
    check_targets,
    iter_dimensions,
)

__all__ = [
    "DIMENSION_FIELD",
    "ITEM_FIELD",
    "ItemChoice",
    "TargetChoices",
    "TargetForm",
    "form_of_targets",
    "read_target_form",
    "target_choices",
    "targets_from_form",
]

DIMENSION_FIELD = "target_dimension."
ITEM_FIELD = "target_item."


@dataclass(frozen=True, slots=True)
class ItemChoice:
    """One scored item as the form offers it: `options` for choice and yes/no items; a number
    field (with `unit`, `low` and `high`) for number and percentage items."""

    id: str
    prompt: str
    kind: str  # "choice", "multi" or "number"
    options: tuple[tuple[str, str], ...]  # (option id, label)
    unit: str
    low: float | None
    high: float | None


@dataclass(frozen=True, slots=True)
class TargetChoices:
    """What the target form offers for one questionnaire."""

    questionnaire_id: str
    questionnaire_title: str
    stages: tuple[tuple[str, str], ...]  # (stage id, name), lowest first
    # (dimension id, title, its scored items at every level beneath it), in questionnaire order
    dimensions: tuple[tuple[str, str, tuple[ItemChoice, ...]], ...]


@dataclass(frozen=True, slots=True)
class TargetForm:
    """The target fields as typed; blank fields set no target."""

    targets_for: str = ""
    overall: str = ""
    dimensions: Mapping[str, str] = field(default_factory=dict)
    items: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    percent_to_target_from: str = "zero"

    @property
    def sets_any(self) -> bool:
        return bool(
            self.overall
            or any(self.dimensions.values())
            or any(v for values in self.items.values() for v in values)
        )


def target_choices(package: Package) -> TargetChoices:
    """The stages, dimensions and scored items of `package`, for the target form."""
    dimensions = []
    for top in package.questionnaire.dimensions:
        items = tuple(
            _item_choice(item)
            for dimension in iter_dimensions((top,))
            for item in dimension.items
            if item.scored
        )
        dimensions.append((top.id, top.title, items))
    return TargetChoices(
        questionnaire_id=package.id,
        questionnaire_title=package.questionnaire.title,
        stages=tuple((stage.id, stage.name) for stage in package.stage_model.stages),
        dimensions=tuple(dimensions),
    )


def _item_choice(item: Item) -> ItemChoice:
    if item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE):
        percentage = item.kind is ItemKind.PERCENTAGE
        return ItemChoice(
            item.id,
            item.prompt,
            "number",
            (),
            "%" if percentage else (item.unit or ""),
            0.0 if percentage and item.min is None else item.min,
            100.0 if percentage and item.max is None else item.max,
        )
    if item.kind is ItemKind.YES_NO:
        options: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("no", "No"))
    else:
        options = tuple((o.id, o.short_label or o.label) for o in item.options)
    kind = "multi" if item.kind is ItemKind.MULTI_CHOICE else "choice"
    return ItemChoice(item.id, item.prompt, kind, options, "", None, None)


def read_target_form(form: Mapping[str, Sequence[str]]) -> TargetForm:
    """The target fields of a posted form (field name -> every value posted under it)."""

    def first(name: str) -> str:
        return next((v.strip() for v in form.get(name, ()) if v.strip()), "")

    return TargetForm(
        targets_for=first("targets_for"),
        overall=first("target_overall"),
        dimensions={
            key.removeprefix(DIMENSION_FIELD): first(key)
            for key in form
            if key.startswith(DIMENSION_FIELD)
        },
        items={
            key.removeprefix(ITEM_FIELD): tuple(v.strip() for v in values if v.strip())
            for key, values in form.items()
            if key.startswith(ITEM_FIELD)
        },
        percent_to_target_from=first("percent_to_target_from") or "zero",
    )


def targets_from_form(package: Package, form: TargetForm) -> tuple[Targets, list[FieldProblem]]:
    """The targets the form sets for `package`, and a problem per field that does not fit,
    named by the form's field (`target_item.<id>`, …)."""
    problems: list[FieldProblem] = []
    items: dict[str, object] = {}
    for item_id, values in form.items.items():
        if not values:
            continue
        item = package.items.get(item_id)
        if item is not None and item.kind is ItemKind.MULTI_CHOICE:
            items[item_id] = list(values)
        elif item is not None and item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE):
            number = _number(values[0])
            if number is None:
                problems.append(
                    FieldProblem(f"{ITEM_FIELD}{item_id}", "enter a number, for example 25")
                )
            else:
                items[item_id] = number
        else:
            items[item_id] = values[0]
    targets = Targets(
        form.overall or None,
        {key: value for key, value in form.dimensions.items() if value},
        items,
        form.percent_to_target_from,  # type: ignore[arg-type]  # check_targets refuses others
    )
    for problem in check_targets(package, targets):
        problems.append(FieldProblem(_form_field(problem.field), _form_message(problem)))
    return targets, problems


def form_of_targets(questionnaire_id: str, targets: Targets | None) -> TargetForm:
    """The form showing stored targets, for editing them."""
    if targets is None:
        return TargetForm(targets_for=questionnaire_id)
    return TargetForm(
        targets_for=questionnaire_id,
        overall=targets.overall or "",
        dimensions=dict(targets.dimensions),
        items={item_id: _typed(raw) for item_id, raw in targets.items.items()},
        percent_to_target_from=targets.percent_to_target_from,
    )


def _typed(raw: object) -> tuple[str, ...]:
    if isinstance(raw, bool):
        return ("yes" if raw else "no",)
    if isinstance(raw, list | tuple):
        return tuple(str(choice) for choice in raw)
    if isinstance(raw, float) and raw.is_integer():
        return (str(int(raw)),)
    return (str(raw),)


def _number(text: str) -> int | float | None:
    cleaned = text.replace(",", ".").replace("%", "").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _form_field(scoring_field: str) -> str:
    if scoring_field == "targets.overall":
        return "target_overall"
    if scoring_field.startswith("targets.dimensions."):
        return DIMENSION_FIELD + scoring_field.removeprefix("targets.dimensions.")
    if scoring_field.startswith("targets.items."):
        return ITEM_FIELD + scoring_field.removeprefix("targets.items.")
    return scoring_field.removeprefix("targets.")


def _form_message(problem: AnswerProblem) -> str:
    if problem.field == "targets.overall" or (
        problem.field.startswith("targets.dimensions.") and "stage" in problem.message
    ):
        return "choose one of this questionnaire's stages"
    if problem.field == "targets.percent_to_target_from":
        return "choose from zero or from the baseline round"
    return problem.message

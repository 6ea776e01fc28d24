"""The questionnaire as pages: one top-level dimension per page, its sub-dimensions as
sections. Builds what a page shows from the package and the saved answers, and reads a
posted form back into answers in the format the API takes, so both save the same way.

Form fields: `a.<item>` holds the answer (a radio group, checkboxes or a text box);
`s.<item>` the "not applicable" / "don't know" choice of a number or text item;
`m.<item>` marks a multi-choice item as present on the form, so unticking every box clears it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from scoring import AnswerProgress, Package, answer_progress
from scoring.questionnaire import DONT_KNOW, NOT_APPLICABLE, Dimension, Item, ItemKind

__all__ = [
    "ChoiceView",
    "ItemView",
    "PageView",
    "SectionView",
    "page_count",
    "page_items",
    "page_view",
    "parse_page_form",
    "progress",
    "shown_items",
]

SPECIAL_LABELS = {NOT_APPLICABLE: "Not applicable", DONT_KNOW: "Don't know"}
YES_NO_LABELS = {"yes": "Yes", "no": "No"}


@dataclass(frozen=True, slots=True)
class ChoiceView:
    value: str
    label: str
    checked: bool
    exclusive: bool = False
    special: bool = False


@dataclass(frozen=True, slots=True)
class ItemView:
    id: str
    kind: str
    prompt: str
    help: str | None
    required: bool
    shown: bool
    choices: tuple[ChoiceView, ...]  # options, then N/A and "don't know" where allowed
    specials: tuple[ChoiceView, ...]  # number and text items: N/A and "don't know"
    text_value: str  # number and text items
    range_text: str  # number items: "A number from 0 to 100."
    unit: str | None
    max_length: int
    error: str | None

    @property
    def multiple(self) -> bool:
        return self.kind == ItemKind.MULTI_CHOICE

    @property
    def numeric(self) -> bool:
        return self.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE)


@dataclass(frozen=True, slots=True)
class SectionView:
    title: str | None
    description: str
    items: tuple[ItemView, ...]


@dataclass(frozen=True, slots=True)
class PageView:
    number: int  # 1-based
    count: int
    title: str
    description: str
    sections: tuple[SectionView, ...]
    titles: tuple[str, ...]  # every page's title, for the step list


def page_count(package: Package) -> int:
    return len(package.questionnaire.dimensions)


def _sections(dimension: Dimension) -> list[tuple[Dimension, bool]]:
    """The dimension and its sub-dimensions, depth first; the flag marks a sub-dimension."""
    found = [(dimension, False)]
    pending = list(dimension.dimensions)
    while pending:
        sub = pending.pop(0)
        found.append((sub, True))
        pending[0:0] = list(sub.dimensions)
    return found


def page_items(package: Package, number: int) -> list[Item]:
    dimension = package.questionnaire.dimensions[number - 1]
    return [item for section, _ in _sections(dimension) for item in section.items]


def shown_items(package: Package, answers: Mapping[str, Any]) -> set[str]:
    """Items the respondent is shown (scoring.answer_progress decides)."""
    return set(answer_progress(package, answers).shown)


def progress(package: Package, answers: Mapping[str, Any]) -> AnswerProgress:
    """The progress bar's "N of M": scoring.answer_progress, as the API and console count."""
    return answer_progress(package, answers)


def page_view(
    package: Package,
    number: int,
    answers: Mapping[str, Any],
    *,
    typed: Mapping[str, Any] | None = None,
    errors: Mapping[str, str] | None = None,
) -> PageView:
    """Page `number` with each item's saved answer, or what was typed when it was refused."""
    dimensions = package.questionnaire.dimensions
    dimension = dimensions[number - 1]
    values = {**answers, **(typed or {})}
    shown = shown_items(package, answers)
    sections = tuple(
        SectionView(
            section.title if is_sub else None,
            section.description if is_sub else "",
            tuple(
                _item_view(item, values.get(item.id), item.id in shown, (errors or {}).get(item.id))
                for item in section.items
            ),
        )
        for section, is_sub in _sections(dimension)
        if section.items
    )
    return PageView(
        number,
        len(dimensions),
        dimension.title,
        dimension.description,
        sections,
        tuple(d.title for d in dimensions),
    )


def _item_view(item: Item, value: Any, shown: bool, error: str | None) -> ItemView:
    specials = [
        code
        for code, allowed in ((NOT_APPLICABLE, item.allow_na), (DONT_KNOW, item.allow_dont_know))
        if allowed
    ]
    chosen = (
        set(value)
        if isinstance(value, list)
        else {value if not isinstance(value, bool) else ("yes" if value else "no")}
    )
    choices: list[ChoiceView] = []
    if item.kind is ItemKind.YES_NO:
        choices = [ChoiceView(v, YES_NO_LABELS[v], v in chosen) for v in ("yes", "no")]
    elif item.options:
        choices = [
            ChoiceView(o.id, o.label, o.id in chosen, exclusive=o.exclusive) for o in item.options
        ]
    special_views = tuple(
        ChoiceView(code, SPECIAL_LABELS[code], code in chosen, special=True) for code in specials
    )
    numeric_or_text = item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE, ItemKind.TEXT)
    text_value = ""
    if numeric_or_text and value is not None and value not in SPECIAL_LABELS:
        text_value = _number_text(value) if not isinstance(value, str) else value
    return ItemView(
        id=item.id,
        kind=item.kind.value,
        prompt=item.prompt,
        help=item.help,
        required=item.required,
        shown=shown,
        choices=tuple(choices) + (() if numeric_or_text else special_views),
        specials=special_views if numeric_or_text else (),
        text_value=text_value,
        range_text=_range_text(item),
        unit="%" if item.kind is ItemKind.PERCENTAGE else item.unit,
        max_length=item.max_length,
        error=error,
    )


def _range_text(item: Item) -> str:
    if item.kind is ItemKind.PERCENTAGE:
        low, high = (
            item.min if item.min is not None else 0,
            item.max if item.max is not None else 100,
        )
        return f"A percentage from {_number_text(low)} to {_number_text(high)}."
    if item.kind is not ItemKind.NUMBER:
        return ""
    if item.min is not None and item.max is not None:
        return f"A number from {_number_text(item.min)} to {_number_text(item.max)}."
    if item.min is not None:
        return f"A number of at least {_number_text(item.min)}."
    return ""


def _number_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_page_form(
    package: Package, items: Iterable[Item], form: Mapping[str, Sequence[str]]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The answers a posted page holds (None clears an item) and the fields that could not be
    read, by item id. Values are checked against the items later, by the scoring engine."""
    changes: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for item in items:
        raw = [v for v in form.get(f"a.{item.id}", ()) if v != ""]
        special = next((v for v in form.get(f"s.{item.id}", ()) if v in SPECIAL_LABELS), None)
        if item.kind is ItemKind.MULTI_CHOICE:
            if not raw and f"m.{item.id}" not in form:
                continue
            specials_chosen = [v for v in raw if v in SPECIAL_LABELS]
            changes[item.id] = specials_chosen[0] if specials_chosen else (raw or None)
        elif special is not None:
            changes[item.id] = special
        elif item.kind in (ItemKind.NUMBER, ItemKind.PERCENTAGE):
            text = raw[0].strip() if raw else ""
            number = _parse_number(text)
            if text and number is None:
                errors[item.id] = "enter a number, for example 25"
            elif f"a.{item.id}" in form or f"s.{item.id}" in form:
                changes[item.id] = number
        elif item.kind is ItemKind.TEXT:
            if f"a.{item.id}" in form:
                text = raw[0].strip() if raw else ""
                changes[item.id] = text or None
        elif raw:
            changes[item.id] = raw[0]
        elif f"a.{item.id}" in form or f"p.{item.id}" in form:
            changes[item.id] = None
    return changes, errors


def _parse_number(text: str) -> int | float | None:
    cleaned = text.replace(",", ".").replace("%", "").strip()
    try:
        number = float(cleaned)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    return int(number) if number.is_integer() and abs(number) < 2**53 else number

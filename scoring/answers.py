"""Turns one respondent's raw answers into normalised item values, checking each against its item."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from scoring.errors import AnswerError, AnswerProblem
from scoring.package import Package
from scoring.questionnaire import DONT_KNOW, NOT_APPLICABLE, Condition, Item, ItemKind

__all__ = ["AnswerStatus", "ItemAnswer", "check_attributes", "condition_holds", "normalise_answers"]

AnswerStatus = Literal["answered", "na", "dont_know", "missing", "hidden"]


@dataclass(frozen=True, slots=True)
class ItemAnswer:
    """One item as scored: `value` is normalised 0..1 after reverse keying and the N/A policy,
    or None when the item does not count (unscored, excluded, unanswered or hidden)."""

    item_id: str
    status: AnswerStatus
    value: float | None
    raw: object = None
    keyed_value: float | None = None  # before the N/A policy: what conditions test


def normalise_answers(
    package: Package, answers: Mapping[str, object], *, respondent: str | None = None
) -> dict[str, ItemAnswer]:
    """Check and normalise answers keyed by item id, in questionnaire order.

    Raises `AnswerError` listing every answer that does not fit its item: unknown item ids,
    values outside the options or bands, wrong types, N/A where the item does not allow it.
    Answers to items hidden by their `show_if` condition are kept but not scored.
    """
    problems = [
        AnswerProblem(respondent, f"answers.{key}", "no such item in this questionnaire")
        for key in answers
        if key not in package.items
    ]
    na_mode = package.stage_model.na_policy.mode
    na_value = {"exclude": None, "zero": 0.0, "target": package.stage_model.na_policy.target_value}[
        na_mode
    ]
    result: dict[str, ItemAnswer] = {}
    for item_id, item in package.items.items():
        raw = answers.get(item_id)
        if item.show_if is not None and not condition_holds(
            item.show_if, result[item.show_if.item]
        ):
            result[item_id] = ItemAnswer(item_id, "hidden", None, raw)
        elif raw is None:
            result[item_id] = ItemAnswer(item_id, "missing", None)
        elif raw == NOT_APPLICABLE and item.allow_na:
            result[item_id] = ItemAnswer(item_id, "na", na_value, raw)
        elif raw == DONT_KNOW and item.allow_dont_know:
            result[item_id] = ItemAnswer(item_id, "dont_know", None, raw)
        else:
            value, message = _keyed_value(package, item, raw)
            if message is not None:
                problems.append(AnswerProblem(respondent, f"answers.{item_id}", message))
                result[item_id] = ItemAnswer(item_id, "missing", None)
            else:
                result[item_id] = ItemAnswer(item_id, "answered", value, raw, value)
    if problems:
        raise AnswerError(problems)
    return result


def condition_holds(condition: Condition, answer: ItemAnswer) -> bool:
    """Whether an answer meets a show_if or trigger condition; unanswered items meet none."""
    if answer.status != "answered":
        return False
    if condition.answer_in is not None:
        raw = answer.raw
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        if isinstance(raw, list | tuple):
            return any(choice in condition.answer_in for choice in raw)
        return raw in condition.answer_in
    value = answer.keyed_value
    if value is None:
        return False
    if condition.value_at_least is not None:
        return value >= condition.value_at_least
    return value <= condition.value_at_most  # type: ignore[operator]  # validated: one test is set


def _keyed_value(package: Package, item: Item, raw: object) -> tuple[float | None, str | None]:
    kind = item.kind
    if kind is ItemKind.TEXT:
        if not isinstance(raw, str):
            return None, "expected text"
        if len(raw) > item.max_length:
            return None, f"text is longer than {item.max_length} characters"
        return None, None
    value, message = _plain_value(package, item, raw)
    if value is None:
        return None, message
    return (1.0 - value if item.reverse else value), None


def _plain_value(package: Package, item: Item, raw: object) -> tuple[float | None, str | None]:
    kind = item.kind
    values = package.option_values[item.id]
    if kind is ItemKind.YES_NO:
        if isinstance(raw, bool):
            raw = "yes" if raw else "no"
        if raw not in ("yes", "no"):
            return None, f"expected yes or no{_allowed_extras(item)}, got {_shown(raw)}"
        return values[str(raw)], None
    if kind in (ItemKind.SCALE, ItemKind.SINGLE_CHOICE):
        if not isinstance(raw, str) or raw not in values:
            return (
                None,
                f"{_shown(raw)} is not one of the options {list(values)}{_allowed_extras(item)}",
            )
        return values[raw], None
    if kind is ItemKind.MULTI_CHOICE:
        return _multi_value(item, values, raw)
    return _banded_value(item, raw)


def _multi_value(
    item: Item, values: Mapping[str, float], raw: object
) -> tuple[float | None, str | None]:
    if not isinstance(raw, Sequence) or isinstance(raw, str):
        return None, f"expected a list of options from {list(values)}{_allowed_extras(item)}"
    unknown = [choice for choice in raw if not isinstance(choice, str) or choice not in values]
    if unknown:
        return None, f"{[_shown(u) for u in unknown]} are not options; choose from {list(values)}"
    if len(set(raw)) != len(raw):
        return None, "an option is chosen twice"
    return min(1.0, sum(values[str(choice)] for choice in raw)), None


def _banded_value(item: Item, raw: object) -> tuple[float | None, str | None]:
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        return None, f"expected a number{_allowed_extras(item)}, got {_shown(raw)}"
    number = float(raw)
    if not math.isfinite(number):
        return None, "expected a finite number"
    low, high = item.min, item.max
    if item.kind is ItemKind.PERCENTAGE:
        low = 0.0 if low is None else low
        high = 100.0 if high is None else high
    if (low is not None and number < low) or (high is not None and number > high):
        return (
            None,
            f"{raw} lies outside {low if low is not None else '-inf'}..{high if high is not None else 'inf'}",
        )
    for band in item.bands:
        if band.max is None or number <= band.max:
            return band.value, None
    return (
        None,
        f"{raw} lies above every band",
    )  # pragma: no cover - validation requires an open last band


def _allowed_extras(item: Item) -> str:
    extras = [
        word
        for word, allowed in (("na", item.allow_na), ("dont_know", item.allow_dont_know))
        if allowed
    ]
    return f" (or {' / '.join(extras)})" if extras else ""


def _shown(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 60 else text[:57] + "..."


def check_attributes(
    package: Package, attributes: Mapping[str, object], *, respondent: str | None = None
) -> list[AnswerProblem]:
    """Problems with a respondent's attributes: unknown ones, values not allowed, required ones missing."""
    declared = {attribute.id: attribute for attribute in package.questionnaire.attributes}
    problems = [
        AnswerProblem(
            respondent, f"attributes.{key}", f"unknown attribute; known: {sorted(declared)}"
        )
        for key in attributes
        if key not in declared
    ]
    for attribute in package.questionnaire.attributes:
        value = attributes.get(attribute.id)
        allowed = [v.id for v in attribute.values]
        if value is None:
            if attribute.required:
                problems.append(AnswerProblem(respondent, f"attributes.{attribute.id}", "required"))
        elif value not in allowed:
            message = f"{_shown(value)} is not one of {allowed}"
            problems.append(AnswerProblem(respondent, f"attributes.{attribute.id}", message))
    return problems

"""Turns one respondent's raw answers into normalised item values, checking each against its item."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal, NamedTuple

from scoring._item_values import shown
from scoring.errors import AnswerProblem
from scoring.package import Package
from scoring.questionnaire import Condition

__all__ = [
    "AnswerStatus",
    "ItemAnswer",
    "check_attributes",
    "condition_holds",
    "normalise_answers",
    "normalise_with_completeness",
]

AnswerStatus = Literal["answered", "na", "dont_know", "missing", "hidden"]


class ItemAnswer(NamedTuple):
    """One item as scored: `value` is normalised 0..1 after reverse keying and the N/A and
    missing-answer policies, or None when the item does not count (unscored, excluded, "don't
    know", unanswered under the `exclude` rule, or hidden)."""

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
    return normalise_with_completeness(package, answers, respondent=respondent)[0]


def normalise_with_completeness(
    package: Package, answers: Mapping[str, object], *, respondent: str | None = None
) -> tuple[dict[str, ItemAnswer], float]:
    """normalise_answers, and the share of shown, required items answered (N/A and "don't
    know" count as answered), in one pass: this is the hot path of scoring, compiled once per
    package (scoring/_plan.py)."""
    return package.plan.normalise(answers, respondent)


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
            message = f"{shown(value)} is not one of {allowed}"
            problems.append(AnswerProblem(respondent, f"attributes.{attribute.id}", message))
    return problems

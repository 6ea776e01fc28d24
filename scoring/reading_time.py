"""How long a questionnaire takes: computed from what a respondent reads and answers, never stated.

minutes = words read / WORDS_PER_MINUTE + closed answers × SECONDS_PER_ANSWER / 60
          + written answers × SECONDS_PER_WRITTEN_ANSWER / 60, rounded up to a whole minute.

Words read are the questionnaire's description, each dimension's title and description (the
page headings), each attribute's label and values, and for every item on the longest path its
prompt, help and the labels of its options (or of its bands, which the page shows beside a
number). The longest path counts every unconditional item and, for each item that others depend
on, the answer that shows the most reading behind it. The reading rate is the mean silent
reading rate of adults for non-fiction (Brysbaert 2019, "How many words do we read per minute?
A review and meta-analysis of reading rate", Journal of Memory and Language 109).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from scoring.questionnaire import Condition, Item, ItemKind, Questionnaire, iter_dimensions

__all__ = [
    "SECONDS_PER_ANSWER",
    "SECONDS_PER_WRITTEN_ANSWER",
    "WORDS_PER_MINUTE",
    "ReadingTime",
    "reading_time",
]

WORDS_PER_MINUTE = 238
SECONDS_PER_ANSWER = 4  # choosing among read options, or typing a number
SECONDS_PER_WRITTEN_ANSWER = 45  # an optional comment of a sentence or two


@dataclass(frozen=True, slots=True)
class ReadingTime:
    """The figures behind an estimate, so that docs and tests can show the arithmetic."""

    words: int
    closed_answers: int
    written_answers: int

    @property
    def minutes(self) -> int:
        seconds = (
            self.words / WORDS_PER_MINUTE * 60
            + self.closed_answers * SECONDS_PER_ANSWER
            + self.written_answers * SECONDS_PER_WRITTEN_ANSWER
        )
        return max(1, math.ceil(seconds / 60))


def reading_time(
    questionnaire: Questionnaire, option_values: Mapping[str, Mapping[str, float]]
) -> ReadingTime:
    """Words read and answers given on the longest path through the questionnaire
    (`option_values`: each choice item's option values before reverse keying)."""
    words = _words(questionnaire.description)
    for attribute in questionnaire.attributes:
        words += _words(attribute.label, *(value.label for value in attribute.values))
    for dimension in iter_dimensions(questionnaire.dimensions):
        words += _words(dimension.title, dimension.description)
    items = {
        item.id: item
        for dimension in iter_dimensions(questionnaire.dimensions)
        for item in dimension.items
    }
    shown = _longest_path(items, option_values)
    words += sum(_item_words(item) for item in shown)
    written = sum(item.kind is ItemKind.TEXT for item in shown)
    closed = len(questionnaire.attributes) + len(shown) - written
    return ReadingTime(words=words, closed_answers=closed, written_answers=written)


def _longest_path(
    items: Mapping[str, Item], option_values: Mapping[str, Mapping[str, float]]
) -> list[Item]:
    """Unconditional items, plus the dependents of each controlling item under the answer that
    shows the most words."""
    shown = [item for item in items.values() if item.show_if is None]
    dependents: dict[str, list[Item]] = {}
    for item in items.values():
        if item.show_if is not None:
            dependents.setdefault(item.show_if.item, []).append(item)
    for controlling_id, group in dependents.items():
        controlling = items.get(controlling_id)
        answers = (
            _possible_answers(controlling, option_values.get(controlling_id, {}))
            if controlling
            else [(None, None)]
        )
        best = max(
            (
                [item for item in group if _shows(item.show_if, raw, value)]
                for raw, value in answers
            ),
            key=lambda chosen: sum(_item_words(item) for item in chosen),
        )
        shown.extend(best)
    return shown


def _possible_answers(
    item: Item, values: Mapping[str, float]
) -> list[tuple[str | None, float | None]]:
    """(option id, keyed value) for every option of a choice item; else the ends of the scale."""
    if values:
        return [
            (option_id, 1 - value if item.reverse else value) for option_id, value in values.items()
        ]
    return [(None, 0.0), (None, 1.0)]


def _shows(condition: Condition | None, raw: str | None, value: float | None) -> bool:
    if condition is None:
        return True
    if condition.answer_in is not None:
        return raw is None or raw in condition.answer_in
    if value is None:
        return True
    if condition.value_at_least is not None:
        return value >= condition.value_at_least
    return condition.value_at_most is None or value <= condition.value_at_most


def _item_words(item: Item) -> int:
    return _words(
        item.prompt,
        item.help or "",
        *(option.label for option in item.options),
        *(band.label or "" for band in item.bands),
    )


def _words(*texts: str) -> int:
    return sum(len(text.split()) for text in texts)

"""How far a respondent is through a questionnaire, and which of its items they are shown.

Every interface that says "N of M" (the questionnaire pages, the API's answers, the console's
respondents) counts with `answer_progress`, so all of them say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from scoring.answers import ItemAnswer, normalise_answers
from scoring.errors import AnswerError
from scoring.package import Package

__all__ = ["AnswerProgress", "answer_progress", "progress_of_normalised"]

_ANSWER_FIELD = "answers."


@dataclass(frozen=True, slots=True)
class AnswerProgress:
    """The items a respondent is shown and which of them count as answered.

    `shown` is in questionnaire order; `answered` and `required` are subsets of it.
    """

    shown: tuple[str, ...]
    answered: frozenset[str]
    required: frozenset[str]

    @property
    def item_count(self) -> int:
        """Questions shown, required or not: the M of "N of M"."""
        return len(self.shown)

    @property
    def answered_items(self) -> int:
        """Shown questions answered: the N of "N of M"."""
        return len(self.answered)

    @property
    def required_items(self) -> int:
        return len(self.required)

    @property
    def required_answered(self) -> int:
        return len(self.required & self.answered)

    @property
    def missing_required(self) -> tuple[str, ...]:
        """Shown, required items not answered yet, in questionnaire order."""
        return tuple(i for i in self.shown if i in self.required and i not in self.answered)

    @property
    def percent(self) -> int:
        """Answered share of shown items, 0..100; 100 when nothing is shown."""
        return round(100 * self.answered_items / self.item_count) if self.item_count else 100


def answer_progress(package: Package, answers: Mapping[str, object]) -> AnswerProgress:
    """The items shown to a respondent with `answers`, and how many of them are answered.

    The counting rule, the same everywhere a count is shown:

    - An item is *shown* when it has no `show_if` condition, or when the answer to the item
      its condition names meets it (as scoring decides: `condition_holds`). An item that
      depends on a hidden item is hidden too.
    - A shown item is *answered* when it has an answer that scoring accepts for it.
      "Not applicable" and "don't know" count as answered (the respondent has responded);
      so does an optional item, and free text.
    - What does not count: an answer to an item that is now hidden (it is kept, but neither
      counted nor scored), an answer to an item the questionnaire does not have, and a value
      that does not fit its item. Such answers never raise here: saved answers are shown as
      far as they are usable, whatever they hold.
    - `item_count` counts shown items, required or optional. `required_answered` over
      `required_items` is scoring's completeness of the same answers.

    With no answers, `item_count` is the number of questions every respondent is asked:
    follow-up questions are shown only once an answer brings them up.
    """
    try:
        normalised = normalise_answers(package, answers)
    except AnswerError as error:
        # Count the usable answers: without the refused ones, every item is decided as it was
        # (a refused value meets no condition), so visibility stays scoring's own.
        refused = {problem.field.removeprefix(_ANSWER_FIELD) for problem in error.problems}
        usable = {key: value for key, value in answers.items() if key not in refused}
        normalised = normalise_answers(package, usable)
    return progress_of_normalised(package, normalised)


def progress_of_normalised(
    package: Package, normalised: Mapping[str, ItemAnswer]
) -> AnswerProgress:
    """answer_progress of answers that `normalise_answers` has already read (and accepted)."""
    shown = tuple(item_id for item_id, answer in normalised.items() if answer.status != "hidden")
    items = package.items
    return AnswerProgress(
        shown=shown,
        answered=frozenset(i for i in shown if normalised[i].status != "missing"),
        required=frozenset(i for i in shown if items[i].required),
    )

"""answer_progress: which items a respondent is shown and how many of them count as answered,
on a package built by hand with a follow-up, a follow-up of the follow-up, N/A, "don't know",
a number and optional free text."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from scoring import AnswerProgress, Package, answer_progress, build_package
from scoring.answers import normalise_with_completeness
from tests.unit.example_package import EXAMPLE, FULL_ANSWERS, WORST_ANSWERS, fresh_mappings


def _scale(item_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": item_id,
        "kind": "scale",
        "prompt": f"How is {item_id}?",
        "options": [{"id": f"o{p}", "label": f"Option {p}"} for p in range(3)],
        **extra,
    }


def _package() -> Package:
    """uses_tracker (yes/no) -> tracker_review (shown on yes) -> tracker_depth (shown when the
    review is at least the middle option); owner allows N/A; comment is optional text."""
    questionnaire, stage_model, recommendations = fresh_mappings()
    questionnaire["attributes"] = []
    questionnaire["dimensions"] = [
        {
            "id": "work",
            "title": "Work",
            "items": [
                {"id": "uses_tracker", "kind": "yes_no", "prompt": "Is there a tracker?"},
                _scale(
                    "tracker_review",
                    show_if={"item": "uses_tracker", "answer_in": ["yes"]},
                    allow_dont_know=True,
                ),
                _scale("tracker_depth", show_if={"item": "tracker_review", "value_at_least": 0.5}),
                _scale("owner", allow_na=True),
                {
                    "id": "late_share",
                    "kind": "percentage",
                    "prompt": "What share is late?",
                    "bands": [{"max": 10, "value": 1}, {"value": 0}],
                },
                {"id": "comment", "kind": "text", "prompt": "Anything else?", "required": False},
            ],
        }
    ]
    stage_model.pop("gates")
    stage_model.pop("quadrants")
    stage_model["thresholds"].pop("dimensions")
    recommendations["recommendations"] = [
        dict(recommendations["recommendations"][0], dimension="work")
    ]
    return build_package(questionnaire, stage_model, recommendations)


PACKAGE = _package()
ALWAYS_SHOWN = ("uses_tracker", "owner", "late_share", "comment")


def test_with_no_answers_only_the_unconditional_items_are_shown() -> None:
    progress = answer_progress(PACKAGE, {})
    assert progress.shown == ALWAYS_SHOWN
    assert (progress.answered_items, progress.item_count) == (0, 4)
    assert (progress.required_answered, progress.required_items) == (0, 3)
    assert progress.missing_required == ("uses_tracker", "owner", "late_share")
    assert progress.percent == 0


def test_an_answer_that_meets_a_condition_shows_its_follow_up() -> None:
    progress = answer_progress(PACKAGE, {"uses_tracker": "yes"})
    assert progress.shown == ("uses_tracker", "tracker_review", "owner", "late_share", "comment")
    assert (progress.answered_items, progress.item_count) == (1, 5)
    assert progress.missing_required == ("tracker_review", "owner", "late_share")
    assert progress.percent == 20
    # A follow-up of the follow-up, by value; True is "yes" as the API takes it.
    deeper = answer_progress(PACKAGE, {"uses_tracker": True, "tracker_review": "o2"})
    assert "tracker_depth" in deeper.shown and deeper.item_count == 6


def test_an_answer_to_an_item_that_is_now_hidden_does_not_count() -> None:
    answers = {
        "uses_tracker": "no",
        "tracker_review": "o2",  # given before "yes" turned into "no": kept, not counted
        "tracker_depth": "o1",  # hidden too: the item it depends on is hidden
        "owner": "o1",
        "late_share": 5,
    }
    progress = answer_progress(PACKAGE, answers)
    assert progress.shown == ALWAYS_SHOWN
    assert progress.answered == {"uses_tracker", "owner", "late_share"}
    assert (progress.answered_items, progress.item_count) == (3, 4)
    assert progress.required_answered == progress.required_items == 3
    assert progress.missing_required == ()


def test_not_applicable_and_dont_know_count_as_answered() -> None:
    answers = {"uses_tracker": "yes", "tracker_review": "dont_know", "owner": "na"}
    progress = answer_progress(PACKAGE, answers)
    assert {"tracker_review", "owner"} <= progress.answered
    # "Don't know" meets no condition, so the follow-up of the review stays hidden.
    assert "tracker_depth" not in progress.shown
    assert (progress.answered_items, progress.item_count) == (3, 5)


def test_optional_free_text_counts_when_given_but_is_never_required() -> None:
    progress = answer_progress(PACKAGE, {"comment": "Fewer meetings"})
    assert progress.answered == {"comment"}
    assert "comment" not in progress.required
    assert progress.required_answered == 0


def test_answers_that_do_not_fit_never_raise_and_do_not_count() -> None:
    answers = {
        "uses_tracker": "maybe",  # not yes or no: its follow-up stays hidden
        "tracker_review": "o2",
        "owner": "na",
        "late_share": 250,  # outside 0..100
        "no_such_item": "o1",
    }
    progress = answer_progress(PACKAGE, answers)
    assert progress.shown == ALWAYS_SHOWN
    assert progress.answered == {"owner"}
    assert progress.missing_required == ("uses_tracker", "late_share")


def test_nothing_shown_is_all_done() -> None:
    assert AnswerProgress((), frozenset(), frozenset()).percent == 100


def test_a_whole_questionnaire_answered() -> None:
    progress = answer_progress(EXAMPLE, FULL_ANSWERS)
    assert progress.shown == tuple(EXAMPLE.items)
    assert (progress.answered_items, progress.item_count, progress.percent) == (11, 11, 100)
    worst = answer_progress(EXAMPLE, WORST_ANSWERS)  # "no" hides the review's follow-up
    assert (worst.answered_items, worst.item_count) == (9, 10)
    assert worst.missing_required == ()


_CHOICES = {
    "uses_tracker": st.sampled_from(["yes", "no", True, False]),
    "tracker_review": st.sampled_from(["o0", "o1", "o2", "dont_know"]),
    "tracker_depth": st.sampled_from(["o0", "o1", "o2"]),
    "owner": st.sampled_from(["o0", "o1", "o2", "na"]),
    "late_share": st.integers(0, 100),
    "comment": st.text(max_size=20),
}


@given(st.fixed_dictionaries({}, optional=_CHOICES))
def test_required_answered_over_required_is_scorings_completeness(
    answers: dict[str, object],
) -> None:
    progress = answer_progress(PACKAGE, answers)
    _, completeness = normalise_with_completeness(PACKAGE, answers)
    assert progress.required_answered / progress.required_items == completeness
    assert progress.answered <= set(progress.shown)
    assert progress.answered_items <= progress.item_count
    hidden = set(PACKAGE.items) - set(progress.shown)
    assert not hidden & progress.answered

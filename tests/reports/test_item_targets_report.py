"""Targets by question in the report: each dimension page and the scores table show percent
to target where questions have a target answer, and nothing where none has."""

from __future__ import annotations

import datetime as dt

from app.reports import Branding, build_report_view
from app.reports.render import render_html
from scoring import RespondentAnswers, Targets, score_assessment
from tests.reports.example_answers import example_assessment
from tests.unit.example_package import EXAMPLE, FULL_ANSWERS, WORST_ANSWERS

# plan_horizon: month (2/3) and none (0), mean 1/3 of a target of 1 (quarter);
# weekly_review: weekly (1) and rarely (0), mean .5 of 1 (weekly).
TEAM = [
    RespondentAnswers("a", FULL_ANSWERS, {"role": "manager"}),
    RespondentAnswers("b", WORST_ANSWERS, {"role": "executive"}),
]
TARGETS = Targets(items={"plan_horizon": "quarter", "weekly_review": "weekly"})


def _view(targets: Targets | None):  # type: ignore[no-untyped-def]
    result = score_assessment(EXAMPLE, TEAM, targets=targets)
    return build_report_view(
        EXAMPLE,
        result,
        branding=Branding(),
        client_name="Fabrikam",
        report_date=dt.date(2025, 1, 2),
        variant="team",
    )


def test_dimension_pages_and_scores_show_percent_to_target() -> None:
    view = _view(TARGETS)
    pages = {d.title: d for d in view.dimensions}
    assert pages["Delivery"].item_target_text.startswith(
        "Targets by question: 33% of the way there across 1 question, measured from every "
        "question at its lowest answer (remaining gap 0.67 of 1.00"
    )
    assert pages["Rhythm"].item_target_text.startswith("Targets by question: 50% of the way")
    assert pages["Tooling"].item_target_text == ""
    rows = {row.title: row.item_target_text for row in view.score_rows}
    assert rows == {"Delivery": "33% of 1 question", "Tooling": "–", "Rhythm": "50% of 1 question"}
    # Overall: a gap of 2/3 + 1/2 = 7/6 of 2, 100 x (1 - 7/12) = 41.7.
    assert view.item_targets_text.startswith("Targets by question: 42% of the way there across 2")
    html = render_html(view)
    assert "To targets by question" in html
    assert pages["Delivery"].item_target_text in html


def test_without_item_targets_nothing_is_shown() -> None:
    view = _view(Targets(overall="strong"))
    assert all(d.item_target_text == "" for d in view.dimensions)
    assert all(row.item_target_text == "" for row in view.score_rows)
    assert view.item_targets_text == ""
    package, result = example_assessment()
    assert "To targets by question" not in render_html(
        build_report_view(
            package,
            result,
            branding=Branding(),
            client_name="Fabrikam",
            report_date=dt.date(2025, 1, 2),
            variant="team",
        )
    )

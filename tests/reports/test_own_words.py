"""Written answers have a section of their own, "In their own words": each distinct text once
with how many people wrote it, escaped like every other text, and never on a dimension page;
and a word that a folded YAML line broke at its hyphen reads whole."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from markupsafe import escape

from app.reports import Branding, ReportView, build_report_view, render_html
from app.reports.formatting import mend_folded_hyphens
from tests.reports.example_answers import TEAM, example_assessment
from tests.reports.golden_reports import golden_report

SCRIPT = "<script>alert('x')</script>"
SHARED = "The weekly meeting helps; now keep it when a big order goes wrong."


def _view(rows: list[dict[str, Any]]) -> ReportView:
    package, result = example_assessment(rows)
    return build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2026, 12, 3),
        variant="team",
    )


def _with_ideas(*ideas: str) -> list[dict[str, Any]]:
    rows = [dict(row) for row in TEAM]
    for index, idea in enumerate(ideas):
        rows[index] = dict(
            rows[index], answers={**rows[index]["answers"], "improvement_idea": idea}
        )
    return rows


def test_the_same_text_from_two_people_is_shown_once_with_a_count() -> None:
    view = _view(_with_ideas(SHARED, f"  {SHARED.upper()}  ", f"Idea {SCRIPT}"))
    [group] = view.comment_groups
    counts = {comment.text.casefold(): comment.count for comment in group.comments}
    assert counts[SHARED.casefold()] == 2
    assert group.comments[0].count == 2  # the most frequent first
    html = render_html(view)
    assert html.count(str(escape(SHARED))) + html.count(str(escape(SHARED.upper()))) == 1
    assert "2 people" in html
    assert SCRIPT not in html and str(escape(SCRIPT)) in html


def test_comments_stand_in_their_own_section_not_on_a_dimension_page() -> None:
    html = render_html(_view(_with_ideas(SHARED)))
    own_words = html.index('id="own-words"')
    assert html.index(str(escape(SHARED))) > own_words
    dimension_pages = html[html.index('id="dimension-1"') : own_words]
    assert 'class="comment"' not in dimension_pages


def test_a_team_too_small_to_stay_anonymous_gets_the_reason_and_no_comment() -> None:
    package, result = example_assessment(_with_ideas(SHARED))
    view = build_report_view(
        package,
        dataclasses.replace(result, anonymity_k=9),
        branding=Branding(),
        client_name="",
        report_date=dt.date(2026, 12, 3),
        variant="team",
    )
    assert view.comment_groups == ()
    assert "at least 9 people" in view.comments_note


def test_a_hyphenated_word_broken_by_a_folded_line_reads_whole() -> None:
    assert mend_folded_hyphens("and early- warning numbers") == "and early-warning numbers"
    assert mend_folded_hyphens("short- and long-term plans") == "short- and long-term plans"
    view = golden_report("pinned", "v1_1/split_leadership_team.yaml", "team").view
    html = render_html(view)
    assert "early- warning" not in html
    assert "early-warning numbers let problems" in html

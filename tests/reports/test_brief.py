"""The one-page brief: page 2 of every golden report, exactly one page, with the stage, the
number who answered (team reports) and the first three actions with owner and first step; the
findings in the engine's order; the change since a baseline round; the cover and running
headers that never print an id."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from app.reports import Branding, build_report_view
from app.reports.brief_view import response_text, responses_text
from app.reports.file_name import report_filename, slug
from scoring import score_assessment
from tests.reports.golden_reports import GOLDEN_CASES, golden_report, page_boxes
from tests.reports.specimen import specimen_answers, specimen_package

BRIEF_MARK = re.compile(r"\b(THE BRIEF|YOUR BRIEF)\b")


@pytest.mark.parametrize(("package", "golden", "variant"), GOLDEN_CASES)
def test_the_brief_is_page_two_and_fits_on_it(package: str, golden: str, variant: str) -> None:
    report = golden_report(package, golden, variant)
    brief = report.view.brief
    assert brief is not None
    pages = [" ".join(page.text.split()) for page in page_boxes(report.pdf)]
    holding = [n for n, text in enumerate(pages, start=1) if BRIEF_MARK.search(text)]
    assert holding == [2]
    # the brief's last line is on page 2 too, and page 3 is the next section
    last = brief.actions[-1].first_step or brief.actions[-1].title
    assert " ".join(last.split())[-40:] in pages[1]
    # a short form's report has no summary beside the brief: its strengths and risks follow
    assert ("Strengths and risks" if report.view.compact else "EXECUTIVE SUMMARY") in pages[2]
    page = pages[1]
    assert brief.stage_heading in page
    assert len(brief.actions) == 3
    for action in brief.actions:
        assert action.title in page
        assert action.first_step and action.first_step[:40] in page
        if action.owner_role:
            assert f"Owner: {action.owner_role}" in page
    if variant == "team":
        assert brief.responses_text.startswith(f"{report.view.respondent_count} ")
        assert brief.responses_text in page
    else:
        assert "Responses".upper() not in page and not brief.responses_text


def test_the_brief_lists_a_split_and_a_group_gap_before_strengths() -> None:
    view = golden_report("pinned", "demo_round.yaml", "team").view
    assert view.brief is not None
    findings = view.brief.findings
    assert "split" in findings[0]
    assert "against" in findings[1]  # the leaders-vs-rest gap: "… read … 67.8 against 34.0"
    assert any("strongest dimension" in f for f in findings[2:])
    assert view.brief.interval_text.startswith("Overall score 48.0, 42.9–53.0")
    # the interval stands beside the score, so the findings do not repeat it
    assert not any("95 % interval" in f for f in findings)


def test_the_brief_states_the_change_since_the_baseline_round() -> None:
    package = specimen_package()
    baseline = score_assessment(package, specimen_answers(package, seed=3))
    result = score_assessment(package, specimen_answers(package), baseline=baseline)
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2026, 12, 3),
        variant="team",
    )
    assert view.brief is not None
    assert " since the previous assessment (" in view.brief.change_text


def test_an_action_without_an_owner_is_shown_without_one() -> None:
    package = specimen_package()
    result = score_assessment(package, specimen_answers(package))
    first = result.recommendations[0]
    unowned = dataclasses.replace(
        first, recommendation=first.recommendation.model_copy(update={"owner_role": None})
    )
    result = dataclasses.replace(result, recommendations=(unowned, *result.recommendations[1:]))
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2026, 12, 3),
        variant="team",
    )
    assert view.brief is not None
    assert view.brief.actions[0].owner_role == ""


def test_response_rates() -> None:
    assert response_text(12, 14) == "12 of 14 responded"
    assert response_text(12, None) == "12 responded"
    assert responses_text(12, 14) == "12 of 14 invited (86%)"
    assert responses_text(12, None) == "12 respondents"
    assert responses_text(1, None) == "1 respondent"
    assert responses_text(3, 2) == "3 respondents"  # an invited count that cannot be right


@pytest.mark.parametrize("variant", ["team", "individual"])
def test_the_cover_and_headers_never_print_an_id(variant: str) -> None:
    report = golden_report("pinned", "v1_1/scaling_company.yaml", variant)
    view = report.view
    assert view.respondent_name == ""  # an answers file gives ids only
    assert view.cover_subject == ("Leadership team" if variant == "team" else "Self-assessment")
    pages = [page.text for page in page_boxes(report.pdf)]
    assert not [n for n, text in enumerate(pages, 1) if re.search(r"\bceo\b", text)]
    assert "organisation named on the cover" not in " ".join(pages)
    cover = " ".join(pages[0].split())
    assert cover.count(view.questionnaire_title) == 1  # the title, not repeated as the subject


def test_a_named_round_is_on_the_cover_with_its_response_rate() -> None:
    report = golden_report("pinned", "demo_round.yaml", "team")
    cover = " ".join(page_boxes(report.pdf)[0].text.split())
    assert "Brightwater Foods" in cover and "Q4 2026" in cover
    assert "12 of 14 responded" in cover
    later = " ".join(page_boxes(report.pdf)[3].text.split())
    assert "Prepared for the organisation named on the cover" in later


def test_report_file_names_are_ascii_slugs_of_client_and_round() -> None:
    assert (
        report_filename(
            client_name="Brightwater Foods",
            round_name="Q4 2026",
            variant="team",
            suffix="pdf",
        )
        == "brightwater-foods-q4-2026-report.pdf"
    )
    assert (
        report_filename(
            client_name="Société Générale", round_name="", variant="team", suffix="html"
        )
        == "societe-generale-report.html"
    )
    assert (
        report_filename(client_name="", round_name="", variant="individual", suffix="pdf")
        == "self-assessment-report.pdf"
    )
    assert (
        report_filename(
            client_name="Brightwater",
            round_name="Brightwater — Q1 2027",
            variant="team",
            suffix="pdf",
        )
        == "brightwater-q1-2027-report.pdf"
    )
    full = report_filename(
        client_name="Brightwater Foods",
        round_name="Q4 2026",
        variant="team",
        suffix="pdf",
        detail="full",
    )
    assert full == "brightwater-foods-q4-2026-full-report.pdf"
    assert slug('"; rm -rf /\r\n') == "rm-rf"
    assert slug("日本") == ""

"""The quick check's report reads as a quick check: at most seven pages, its note on how roughly
to read the stages, no page for a dimension of one or two questions, and the full report's
length untouched."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.reports import Branding, build_report_view, render_pdf
from scoring import Package, RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES
from tests.reports.conftest import no_weasyprint_warnings

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
CATALOG = load_catalog(QUESTIONNAIRES)
MOST_PAGES = 6  # cover, brief, strengths and risks with the ladder, roadmap, two of methodology


def _text(package: Package, golden: str) -> tuple[int, str]:
    respondent = read_answers_file(GOLDEN / golden).respondents[0]
    answers = {k: v for k, v in respondent.answers.items() if k in package.items}
    result = score_assessment(package, [RespondentAnswers("ceo", answers, respondent.attributes)])
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2026, 12, 3),
        variant="individual",
        respondent_name="Dana",
    )
    with no_weasyprint_warnings():
        reader = PdfReader(io.BytesIO(render_pdf(view)))
    return len(reader.pages), " ".join(
        " ".join(page.extract_text().split()) for page in reader.pages
    )


@pytest.mark.parametrize("golden", ["firefighting_startup.yaml", "disciplined_company.yaml"])
def test_the_quick_check_report_is_short_and_says_how_rough_it_is(golden: str) -> None:
    quick = CATALOG.get("quick-check", "1.1.0")
    pages, text = _text(quick, golden)
    assert pages <= MOST_PAGES
    note = quick.questionnaire.precision_note
    assert note is not None
    assert " ".join(note.split()) in text
    assert (
        "dimension 1 of" not in text.lower()
    )  # one or two questions per dimension: no pages of their own
    assert "First step:" in text  # the roadmap carries each action's first step instead


def test_the_full_diagnostic_keeps_its_dimension_pages() -> None:
    full = CATALOG.get("operational-maturity", "1.1.0")
    pages, text = _text(full, "firefighting_startup.yaml")
    assert pages > MOST_PAGES
    assert "dimension 8 of 8" in text.lower()
    assert "rough indication" not in text

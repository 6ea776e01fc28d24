"""Two report lengths: the executive report (the default) leaves the item-level results out of
the dimension pages; the full report adds them at the end as "Appendix: item-level results"."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader

from app.reports import render_html, render_pdf
from app.reports.documents import report_cache_key
from tests.reports.conftest import RenderedReport, no_weasyprint_warnings

APPENDIX = "Appendix: item-level results"


def _full(report: RenderedReport) -> RenderedReport:
    view = dataclasses.replace(report.view, detail="full")
    with no_weasyprint_warnings():
        pdf = render_pdf(view)
    return RenderedReport(report.package, report.result, view, pdf, render_html(view))


@pytest.fixture(scope="module")
def full_team_report(standard_team_report: RenderedReport) -> RenderedReport:
    return _full(standard_team_report)


@pytest.fixture(scope="module")
def full_individual_report(individual_report: RenderedReport) -> RenderedReport:
    return _full(individual_report)


def _dimension_pages(html: str) -> list[str]:
    return re.findall(r'<section class="chapter dimension".*?</section>', html, flags=re.S)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_the_executive_report_is_the_default_and_has_no_item_level_detail(
    standard_team_report: RenderedReport,
) -> None:
    assert standard_team_report.view.detail == "executive"
    pages = _dimension_pages(standard_team_report.html)
    assert pages, "the standard report has dimension pages"
    for page in pages:
        assert 'class="items"' not in page
        assert 'class="prompt"' not in page
    assert APPENDIX not in standard_team_report.html
    assert APPENDIX not in _words(standard_team_report.text)
    prompts = [item.prompt for d in standard_team_report.view.dimensions for item in d.items]
    text = _words(standard_team_report.text)
    assert sum(prompt in text for prompt in prompts) < len(prompts) / 2


def test_the_full_report_adds_the_item_appendix_at_the_end(
    standard_team_report: RenderedReport, full_team_report: RenderedReport
) -> None:
    text = _words(full_team_report.text)
    assert APPENDIX in text
    executive_pages = len(standard_team_report.reader.pages)
    full_pages = len(full_team_report.reader.pages)
    assert full_pages > executive_pages
    # the appendix is the last chapter: its heading is on a page after the methodology's
    page_texts = [_words(page.extract_text()) for page in full_team_report.reader.pages]
    appendix_page = next(n for n, page in enumerate(page_texts) if APPENDIX in page)
    methodology_page = next(
        n for n, page in enumerate(page_texts) if "Methodology" in page and n > 1
    )
    assert appendix_page > methodology_page
    # the dimension pages stay as they are in the executive report
    for page in _dimension_pages(full_team_report.html):
        assert 'class="items"' not in page
    appendix = full_team_report.html.split('id="item-results"', 1)[1]
    for dimension in full_team_report.view.dimensions:
        for item in dimension.items:
            assert str(item.prompt) in appendix or _escaped(item.prompt) in appendix


def _escaped(text: str) -> str:
    from markupsafe import escape

    return str(escape(text))


def test_the_individual_full_report_shows_each_answer_given(
    individual_report: RenderedReport, full_individual_report: RenderedReport
) -> None:
    answer = "The next month is planned and reviewed"  # the option label chosen
    assert answer in _words(full_individual_report.text)
    assert APPENDIX in _words(full_individual_report.text)
    assert answer not in _words(individual_report.text)
    assert len(full_individual_report.reader.pages) > len(individual_report.reader.pages)


def test_the_two_lengths_are_cached_apart(
    standard_team_report: RenderedReport, full_team_report: RenderedReport
) -> None:
    executive_key = report_cache_key(standard_team_report.view, "pdf", owner="w/a")
    full_key = report_cache_key(full_team_report.view, "pdf", owner="w/a")
    assert executive_key != full_key


def test_the_full_pdf_reads_back(full_team_report: RenderedReport) -> None:
    reader = PdfReader(io.BytesIO(full_team_report.pdf))
    assert reader.metadata is not None and reader.metadata.title

"""Every golden answer file rendered as a team report and as a self-assessment (its first
respondent), with the package it pins, and with the quick check: the reports whose layout
tests/reports/test_brief.py and test_page_fill.py check page by page.

Rendered once per test session (a render takes a few seconds) and shared by those tests.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.cli.score_command import score_answers_file
from app.reports import Branding, ReportView, build_report_view, render_pdf
from scoring import RespondentAnswers, score_assessment
from tests.conftest import QUESTIONNAIRES
from tests.reports.conftest import no_weasyprint_warnings

__all__ = ["GOLDEN_CASES", "GoldenReport", "PageBoxes", "golden_report", "page_boxes"]

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
REPORT_DATE = dt.date(2026, 12, 3)
# The quick check is rendered from a few golden sets only: a team of twelve, one of six, and
# two single answers at either end of the scale.
_QUICK_CHECK_SETS = (
    "demo_round.yaml",
    "v1_1/split_leadership_team.yaml",
    "firefighting_startup.yaml",
    "disciplined_company.yaml",
)
# The demo round is named and counts its invitations; the others show the fallbacks.
_CLIENTS = {"demo_round.yaml": ("Brightwater Foods", "Q4 2026", 14)}


def _golden_files() -> list[str]:
    return sorted(
        path.relative_to(GOLDEN).as_posix()
        for path in (*GOLDEN.glob("*.yaml"), *GOLDEN.glob("v1_1/*.yaml"))
    )


GOLDEN_CASES: tuple[tuple[str, str, str], ...] = tuple(
    (package, golden, variant)
    for package, files in (("pinned", _golden_files()), ("quick-check", _QUICK_CHECK_SETS))
    for golden in files
    for variant in ("team", "individual")
)


@dataclass(frozen=True)
class GoldenReport:
    view: ReportView
    pdf: bytes


@functools.cache
def golden_report(package_name: str, golden: str, variant: str) -> GoldenReport:
    path = GOLDEN / golden
    if package_name == "pinned":
        package, result = score_answers_file(path, QUESTIONNAIRES)
        people = list(read_answers_file(path).respondent_answers)
    else:
        package = load_catalog(QUESTIONNAIRES).get(package_name)
        people = [
            RespondentAnswers(
                person.respondent_id,
                {k: v for k, v in person.answers.items() if k in package.items},
                person.attributes,
            )
            for person in read_answers_file(path).respondent_answers
        ]
        result = score_assessment(package, people)
    if variant == "individual" and len(result.respondents) > 1:
        result = score_assessment(package, people[:1])
    client, round_name, invited = _CLIENTS.get(golden, ("", "", None))
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name=client,
        report_date=REPORT_DATE,
        variant=variant,  # type: ignore[arg-type]
        round_name=round_name,
        invited_count=invited,
    )
    with no_weasyprint_warnings():
        pdf = render_pdf(view)
    return GoldenReport(view, pdf)


@dataclass(frozen=True)
class PageBoxes:
    """One page: its text, and the boxes drawn inside its text area (the page less its
    margins, so running headers and footers are not counted), in points from the top left."""

    text: str
    area: tuple[float, float, float, float]  # x0, top, x1, bottom
    boxes: tuple[tuple[float, float, float, float], ...]


# The @page margins of report_templates/report.css: 24mm top, 20mm sides, 22mm bottom.
_MM = 72 / 25.4
_MARGINS = (20 * _MM, 24 * _MM, 20 * _MM, 22 * _MM)  # left, top, right, bottom


@functools.cache
def page_boxes(pdf: bytes) -> tuple[PageBoxes, ...]:
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        for page in document.pages:
            left, top, right, bottom = _MARGINS
            area = (left, top, float(page.width) - right, float(page.height) - bottom)
            boxes = tuple(
                (float(o["x0"]), float(o["top"]), float(o["x1"]), float(o["bottom"]))
                for kind in ("chars", "rects", "images", "curves", "lines")
                for o in getattr(page, kind)
            )
            pages.append(PageBoxes(page.extract_text() or "", area, boxes))
    return tuple(pages)

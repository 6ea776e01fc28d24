"""A SAMM-like model scored in points gets a report on its own scale: a sub-dimension
scorecard down to the streams, scores beside the most they can reach, the right captions."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.reports import Branding, build_report_view, render_html, render_pdf
from scoring import RespondentAnswers, build_package, score_assessment
from tests.reports.conftest import no_weasyprint_warnings
from tests.unit.test_rollups import ANSWERS, LIBRARY, QUESTIONNAIRE, _stage_model


def test_a_points_model_reports_its_scorecard_on_its_own_scale() -> None:
    package = build_package(QUESTIONNAIRE, _stage_model(), LIBRARY)
    result = score_assessment(package, [RespondentAnswers("ciso", ANSWERS, {})])
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Contoso",
        report_date=dt.date(2026, 12, 3),
        variant="individual",
        respondent_name="Ciso",
    )
    assert view.score_caption == "Scores in points."
    rows = [(row.depth, row.title, row.score_text, row.percent_text) for row in view.scorecard]
    # design .6875 of 2 (34%): threat .875, its streams 1 and .75; arch .5, streams 1 and 0
    assert rows[:7] == [
        (0, "Design", "0.69 of 2.00", "34%"),
        (1, "threat", "0.88 of 2.00", "44%"),
        (2, "threat_a", "1.00 of 2.00", "50%"),
        (2, "threat_b", "0.75 of 2.00", "38%"),
        (1, "arch", "0.50 of 2.00", "25%"),
        (2, "arch_a", "1.00 of 2.00", "50%"),
        (2, "arch_b", "0.00 of 2.00", "0%"),
    ]
    html = render_html(view)
    assert "Sub-dimension scorecard" in html
    assert "an item score from 0 to 1" in html
    with no_weasyprint_warnings():
        reader = PdfReader(io.BytesIO(render_pdf(view)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Sub-dimension scorecard" in text
    assert "0.69 of 2.00" in text


def test_a_declared_priority_formula_is_printed_in_the_methodology() -> None:
    formula = "((1 + target - current)^2 - 1) / ((1 + max_gap)^2 - 1)"
    library = {**LIBRARY, "priority": {"formula": formula, "rationale": "SAMM's stream weight."}}
    package = build_package(QUESTIONNAIRE, _stage_model(), library)
    result = score_assessment(package, [RespondentAnswers("ciso", ANSWERS, {})])
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Contoso",
        report_date=dt.date(2026, 12, 3),
        variant="individual",
        respondent_name="Ciso",
    )
    html = render_html(view)
    assert f"priority = {formula}" in html
    assert "SAMM&#39;s stream weight." in html or "SAMM's stream weight." in html
    assert "impact × (1 + stage gap)" not in html

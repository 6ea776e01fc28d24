"""A model without thresholds (levels, no stage bands) gets a report of scores: no stage ladder,
no stage column, and a methodology appendix that says the model has no stage bands."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from app.reports import Branding, ReportVariant, build_report_view, render_html, render_pdf
from scoring import RespondentAnswers, score_assessment
from tests.reports.conftest import no_weasyprint_warnings
from tests.unit.test_stages_without_thresholds import ALL_THERE, ANSWERS, levels_package

NO_BANDS = "This model has no stage bands: it places no stages"


@pytest.mark.parametrize("variant", ["individual", "team"])
def test_a_levels_model_reports_scores_without_a_stage_ladder(variant: ReportVariant) -> None:
    package = levels_package()
    respondents = [RespondentAnswers("ciso", ANSWERS, {})]
    if variant == "team":
        respondents.append(RespondentAnswers("cto", ALL_THERE, {}))
    result = score_assessment(package, respondents)
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Contoso",
        report_date=dt.date(2026, 12, 3),
        variant=variant,
        respondent_name="Ciso",
    )
    assert not view.places_stages
    assert view.methodology.threshold_rows == ()
    assert view.ladder_notes == ()
    html = render_html(view)
    assert "The stage ladder" not in html
    assert view.stage_ladder_chart == ""
    assert 'class="ladder-chart"' not in html
    assert "Threshold to reach" not in html
    assert NO_BANDS in html
    with no_weasyprint_warnings():
        reader = PdfReader(io.BytesIO(render_pdf(view)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "The stage ladder" not in text
    assert "Stage 1 of" not in text
    assert "No stage: too few answers" not in text
    assert NO_BANDS in text
    assert "This model places no stages; the score is the maturity level." in text
    # governance 1.375 and verification 2.25 for one; with a second at 3 everywhere, 2.19 and 2.63
    expected = ("1.38", "2.25") if variant == "individual" else ("2.19", "2.63")
    for score in expected:
        assert score in text
    assert "Sub-dimension scorecard" in text

"""Text from respondents, clients and firms is shown as text: never as markup, never as template."""

from __future__ import annotations

import datetime as dt
import io

from pypdf import PdfReader

from app.reports import Branding, build_report_view, render_html, render_pdf
from tests.reports.example_answers import TEAM, example_assessment, individual_assessment

SCRIPT = "<script>alert('x')</script>"
IMAGE = "<img src=http://127.0.0.1:9/track.png>"
TEMPLATE = "{{7*7}}{% raw %}"


def _hostile_team() -> list[dict[str, object]]:
    rows = [dict(row) for row in TEAM]
    rows[0] = dict(rows[0], answers={**rows[0]["answers"], "improvement_idea": f"Idea {SCRIPT}"})  # type: ignore[dict-item]
    rows[2] = dict(rows[2], answers={**rows[2]["answers"], "improvement_idea": f"Idea {IMAGE}"})  # type: ignore[dict-item]
    rows[4] = dict(rows[4], answers={**rows[4]["answers"], "improvement_idea": f"Idea {TEMPLATE}"})  # type: ignore[dict-item]
    return rows


def _pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_hostile_answers_client_and_firm_appear_as_text_in_html_and_pdf() -> None:
    package, result = example_assessment(_hostile_team())
    view = build_report_view(
        package,
        result,
        branding=Branding.checked(firm_name=f"Firm {TEMPLATE}"),
        client_name=f"Client {SCRIPT}",
        report_date=dt.date(2025, 1, 2),
        variant="team",
    )
    html = render_html(view)
    assert "<script>" not in html
    assert "<img src=http" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=http://127.0.0.1:9/track.png&gt;" in html
    assert "{{7*7}}{% raw %}" in html
    text = _pdf_text(render_pdf(view))
    assert SCRIPT in text
    assert IMAGE in text
    assert "Idea {{7*7}}{% raw %}" in text
    assert "Firm {{7*7}}" in text


def test_a_hostile_respondent_name_in_a_self_assessment_is_text() -> None:
    package, result = individual_assessment(respondent="rsp_1")
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2025, 1, 2),
        variant="individual",
        respondent_name=f"Jane {SCRIPT}",
    )
    assert view.respondent_name == f"Jane {SCRIPT}"
    assert "<script>" not in render_html(view)
    assert f"Jane {SCRIPT}" in _pdf_text(render_pdf(view))


def test_html_report_has_no_scripts_and_no_external_references() -> None:
    package, result = example_assessment(_hostile_team())
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="",
        report_date=dt.date(2025, 1, 2),
        variant="team",
    )
    html = render_html(view)
    assert "<script" not in html.lower()
    for attribute in ('src="http', "src='http", 'href="http', "url(http", "@import"):
        assert attribute not in html

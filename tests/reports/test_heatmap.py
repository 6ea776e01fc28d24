"""The heatmap in a rendered team report, read back from the PDF: the golden demo round (twelve
respondents, k = 3) shows its leaders against the rest, every role, a pooled group of functions,
and a tenure withheld beside a tenure of fewer than three people. Values are printed in their
cells, each cell is filled with its class's colour, and a suppressed cell shows no value."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.reports import Branding, build_report_view, render_pdf
from app.reports.heatmap_view import HEATMAP_COLOURS, HeatmapView, cell_colours
from scoring import AssessmentResult, score_assessment
from tests.conftest import QUESTIONNAIRES
from tests.reports.conftest import no_weasyprint_warnings

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden" / "demo_round.yaml"


@dataclasses.dataclass(frozen=True)
class Rendered:
    result: AssessmentResult
    heatmap: HeatmapView
    pages: list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]  # text, words, rects


@pytest.fixture(scope="module")
def demo_round() -> Rendered:
    document = read_answers_file(GOLDEN)
    package = load_catalog(QUESTIONNAIRES).get(document.questionnaire_id, document.version)
    result = score_assessment(
        package, list(document.respondent_answers), anonymity_k=document.anonymity_k
    )
    view = build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Fabrikam",
        report_date=dt.date(2026, 12, 2),
        variant="team",
    )
    assert view.heatmap is not None
    with no_weasyprint_warnings():
        pdf = render_pdf(view)
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as document_pdf:
        for page in document_pdf.pages:
            text = page.extract_text() or ""
            if "Scores by" in text or "against the rest of the team" in text:
                pages.append((text, page.extract_words(), page.rects))
    return Rendered(result, view.heatmap, pages)


def _hex(colour: object) -> str | None:
    if isinstance(colour, (tuple, list)) and len(colour) == 3:
        return "#" + "".join(f"{round(float(c) * 255):02x}" for c in colour)
    return None


def _fill_behind(word: dict[str, Any], rects: list[dict[str, Any]]) -> str | None:
    """The fill of the smallest filled rectangle that holds the word."""
    middle_x, middle_y = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
    holding = [
        r
        for r in rects
        if r.get("fill")
        and r["x0"] <= middle_x <= r["x1"]
        and r["top"] <= middle_y <= r["bottom"]
        and _hex(r.get("non_stroking_color")) is not None
    ]
    if not holding:
        return None
    smallest = min(holding, key=lambda r: r["width"] * r["height"])
    return _hex(smallest["non_stroking_color"])


def test_the_heatmap_pages_are_in_the_team_report(demo_round: Rendered) -> None:
    text = " ".join(" ".join(t.split()) for t, _, _ in demo_round.pages)
    assert "Scores by group" in text
    assert "Leaders (Executive) against the rest of the team" in text
    for heading in ("Scores by your role", "Scores by your main area of work"):
        assert heading in text
    assert "Scores by how long you have worked here" in text
    # the legend says what a suppressed cell is, and why
    assert "n < 3: fewer than 3 people" in text
    assert "withheld: at least 3 people" in text
    # the columns: each role, the pooled functions, and the two suppressed tenures
    # (a heading may wrap: "Individual / contributor")
    for column in ("Executive", "Senior manager", "contributor", "Other (pooled)", "n = 8"):
        assert column in text
    tenure = next(t for t, _, _ in demo_round.pages if "Scores by how long" in t)
    tenure_table = tenure.split("Scores by how long you have worked here", 1)[1]
    assert "withheld" in tenure_table and "n < 3" in tenure_table and "five" in tenure_table


def test_values_are_printed_in_cells_of_their_colour(demo_round: Rendered) -> None:
    role = next(t for t in demo_round.heatmap.tables if t.attribute_id == "role")
    executives = role.columns.index(next(c for c in role.columns if c.label == "Executive"))
    expected = {row.cells[executives].text for row in role.rows}
    assert "69.4" in expected  # the executives' ownership score, in the golden file's answers
    checked = 0
    for _, words, rects in demo_round.pages:
        for word in words:
            if word["text"] in ("69.4", "26.4", "50.8"):
                fill = _fill_behind(word, rects)
                assert fill in HEATMAP_COLOURS, (word["text"], fill)
                assert fill == cell_colours(float(word["text"]))[0], word["text"]
                checked += 1
    assert checked >= 3


def test_suppressed_cells_show_no_value(demo_round: Rendered) -> None:
    tenure = next(t for t in demo_round.heatmap.tables if t.attribute_id == "tenure")
    suppressed = [i for i, c in enumerate(tenure.columns) if c.suppression]
    assert [tenure.columns[i].note for i in suppressed] == ["withheld", "n < 3"]
    for row in tenure.rows:
        assert all(row.cells[i].text == "–" and row.cells[i].suppressed for i in suppressed)
    # the true means of the withheld and the small tenure groups appear nowhere in the tenure
    # table of the PDF
    text = next(t for t, _, _ in demo_round.pages if "Scores by how long" in t)
    table_text = text.split("Scores by how long you have worked here", 1)[1]
    result = demo_round.result
    for value in ("years_3_to_5", "under_1_year"):
        members = [r for r in result.respondents if r.attributes.get("tenure") == value]
        assert members
        raw = sum(r.overall.raw for r in members if r.overall.raw is not None) / len(members)
        hidden = f"{raw * 100:.1f}"
        assert hidden not in table_text.split(), (value, hidden)
    rows = [line for line in table_text.splitlines() if line.startswith("Overall")]
    assert rows and rows[0].count("–") == 2

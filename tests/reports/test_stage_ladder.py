"""The stage ladder draws each marker wholly inside the column of the stage given, also when a
gate holds the stage below what the score alone would reach, and says so beside the chart."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from app.answers_file import read_answers_file
from app.catalog import load_catalog
from app.reports import Branding, ReportView, build_report_view, render_html
from scoring import AssessmentResult, Package, score_assessment
from tests.conftest import QUESTIONNAIRES

GOLDEN = Path(__file__).resolve().parents[1] / "data" / "golden"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def package() -> Package:
    return load_catalog(QUESTIONNAIRES).get("operational-maturity", "1.0.0")


def scored(package: Package, name: str) -> AssessmentResult:
    document = read_answers_file(GOLDEN / f"{name}.yaml")
    return score_assessment(
        package,
        document.respondent_answers,
        targets=document.target_stages,
        anonymity_k=document.anonymity_k,
    )


def team_view(package: Package, result: AssessmentResult) -> ReportView:
    return build_report_view(
        package,
        result,
        branding=Branding(),
        client_name="Fabrikam",
        report_date=dt.date(2026, 12, 2),
        variant="team",
    )


def marker_extents(svg: str) -> dict[str, tuple[float, float]]:
    """Each row's label -> the horizontal extent of its marker, white outline included."""
    root = ET.fromstring(svg)
    label_y = {
        "".join(text.itertext()): float(text.attrib["y"])
        for text in root.iter(f"{SVG}text")
        if float(text.attrib["x"]) < 10  # row labels sit at the left edge
    }
    extents: dict[str, tuple[float, float]] = {}
    for circle in root.iter(f"{SVG}circle"):
        cx, cy, r = (float(circle.attrib[k]) for k in ("cx", "cy", "r"))
        reach = r + float(circle.attrib.get("stroke-width", 0)) / 2
        (label,) = (name for name, y in label_y.items() if abs(y - 3.8 - cy) < 0.5)
        extents[label] = (cx - reach, cx + reach)
    return extents


def column_spans(svg: str) -> list[tuple[float, float]]:
    """Each stage column's left and right edge, from the coloured bars above the columns."""
    root = ET.fromstring(svg)
    bars = [rect for rect in root.iter(f"{SVG}rect") if rect.attrib.get("height") == "4"]
    return [
        (float(bar.attrib["x"]) - 1, float(bar.attrib["x"]) + float(bar.attrib["width"]) + 1)
        for bar in bars
    ]


def stage_columns(result: AssessmentResult) -> dict[str, int]:
    """Each ladder row's label -> the index of the stage it was given."""
    team = result.team
    columns = {"Overall": team.overall.stage.stage_index}
    for dimension in team.dimensions:
        assert dimension.stage is not None
        columns[dimension.title] = dimension.stage.stage_index
    return {label: index for label, index in columns.items() if index is not None}


@pytest.mark.parametrize(
    "name",
    [
        "divided_leadership",  # overall 68.1 reaches managed; an item gate gives structured
        "partial_with_na",  # overall 62.6 reaches managed; the weakest link gives structured
        "disciplined_company",  # firefighting 91.7 reaches scalable; an item gate gives managed
        "firefighting_startup",  # cadence exactly 20.0: the first point of emerging
    ],
)
def test_every_marker_sits_inside_the_column_of_the_stage_given(
    package: Package, name: str
) -> None:
    result = scored(package, name)
    svg = str(team_view(package, result).stage_ladder_chart)
    spans = column_spans(svg)
    extents = marker_extents(svg)
    expected = stage_columns(result)
    assert set(extents) == set(expected)
    for label, index in expected.items():
        left, right = extents[label]
        column_left, column_right = spans[index]
        assert column_left < left and right < column_right, (
            f"{label}: marker {left:.1f}..{right:.1f} is not inside column {index} "
            f"({column_left:.1f}..{column_right:.1f})"
        )


@pytest.mark.parametrize(
    ("name", "subject", "rule"),
    [
        ("divided_leadership", "Overall", "a required item"),
        ("partial_with_na", "Overall", "the weakest-link rule"),
        ("disciplined_company", "Firefighting and control", "a required item"),
    ],
)
def test_a_capped_stage_says_the_score_alone_would_reach_higher(
    package: Package, name: str, subject: str, rule: str
) -> None:
    result = scored(package, name)
    view = team_view(package, result)
    higher = "Scalable" if subject.startswith("Firefighting") else "Managed"
    given = "Managed" if subject.startswith("Firefighting") else "Structured"
    (note,) = [note for note in view.ladder_notes if note.startswith(subject)]
    assert f"would reach {higher}" in note
    assert rule in note
    assert f"holds it at {given}" in note
    assert note in render_html(view)
    # The chart marks the cap too, for a reader who never reads the caption.
    assert "capped" in str(view.stage_ladder_chart)


def test_no_note_when_every_stage_follows_its_score(package: Package) -> None:
    view = team_view(package, scored(package, "efficient_but_stalled"))
    assert view.ladder_notes == ()
    assert "capped" not in str(view.stage_ladder_chart)

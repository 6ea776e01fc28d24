"""`opsmaturity report` writes branded PDF and HTML reports from an answers file, offline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from app.cli import main
from tests.reports.example_answers import TEAM


@pytest.fixture
def team_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.yaml"
    path.write_text(
        yaml.safe_dump({"questionnaire": "example", "respondents": TEAM}), encoding="utf-8"
    )
    return path


@pytest.fixture
def solo_file(tmp_path: Path) -> Path:
    path = tmp_path / "solo.yaml"
    document = {"questionnaire": "example", "respondents": [dict(TEAM[0], id="Jane Doe")]}
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def test_team_report_pdf_with_branding(
    team_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>'
    )
    output = tmp_path / "out.pdf"
    code = main(
        [
            "report",
            str(team_file),
            "-o",
            str(output),
            "--firm",
            "Northwind Advisory",
            "--logo",
            str(logo),
            "--colour",
            "#7a1f3d",
            "--client",
            "Fabrikam",
            "--date",
            "2025-11-20",
        ]
    )
    assert code == 0
    assert "team report" in capsys.readouterr().out
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert reader.metadata is not None and reader.metadata.author == "Northwind Advisory"
    text = reader.pages[0].extract_text()
    assert "Fabrikam" in text and "20 November 2025" in text


def test_one_respondent_gives_the_individual_report(solo_file: Path, tmp_path: Path) -> None:
    output = tmp_path / "solo.pdf"
    assert main(["report", str(solo_file), "-o", str(output)]) == 0
    text = PdfReader(io.BytesIO(output.read_bytes())).pages[0].extract_text()
    assert "INDIVIDUAL SELF-ASSESSMENT" in text.upper()
    # An answers file names respondents by id only, and a report never prints an id.
    assert "Jane Doe" not in text and "Self-assessment" in text


def test_html_output_and_pdf_ua(team_file: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    assert main(["report", str(team_file), "-o", str(html)]) == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    tagged = tmp_path / "tagged.pdf"
    assert main(["report", str(team_file), "-o", str(tagged), "--pdf-ua"]) == 0
    assert "/StructTreeRoot" in PdfReader(io.BytesIO(tagged.read_bytes())).trailer["/Root"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--variant", "individual"], "needs one respondent"),
        (["--colour", "blue"], "colour"),
        (["--logo", "{bad_logo}"], "PNG, JPEG or SVG"),
    ],
)
def test_refusals_are_reported_without_a_traceback(
    team_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    bad_logo = tmp_path / "logo.png"
    bad_logo.write_bytes(b"%PDF-1.7 not an image")
    extra = [part.replace("{bad_logo}", str(bad_logo)) for part in extra]
    assert main(["report", str(team_file), "-o", str(tmp_path / "x.pdf"), *extra]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()

"""`opsmaturity report --full`: the full report, with the item-level appendix, offline."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.cli import main
from tests.cli.test_cli import readme_block

APPENDIX = "Appendix: item-level results"


@pytest.fixture
def answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(readme_block("yaml", "respondents:"))
    return path


def _pdf(path: Path) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return len(reader.pages), " ".join(" ".join(p.extract_text().split()) for p in reader.pages)


def test_full_adds_the_item_appendix_to_the_pdf(
    answers: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    executive, full = tmp_path / "executive.pdf", tmp_path / "full.pdf"
    assert main(["report", str(answers), "-o", str(executive)]) == 0
    assert "executive" in capsys.readouterr().out
    assert main(["report", str(answers), "--full", "-o", str(full)]) == 0
    assert f"wrote {full}" in capsys.readouterr().out
    executive_pages, executive_text = _pdf(executive)
    full_pages, full_text = _pdf(full)
    assert APPENDIX in full_text and APPENDIX not in executive_text
    assert full_pages > executive_pages


def test_full_html_has_the_appendix(answers: Path, tmp_path: Path) -> None:
    output = tmp_path / "full.html"
    assert main(["report", str(answers), "--full", "--html", "-o", str(output)]) == 0
    html = output.read_text(encoding="utf-8")
    assert APPENDIX in html and 'id="item-results"' in html

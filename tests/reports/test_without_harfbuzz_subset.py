"""Reports render on a machine without libharfbuzz-subset0.

WeasyPrint then warns (a DeprecationWarning, at import) that a future version will need the
library, and subsets fonts with fontTools. The test suite ignores that one warning
(pyproject.toml); this test proves the ignore hides nothing broken: in a fresh interpreter where
the library cannot be loaded, under the suite's own warning filters, `opsmaturity report` writes
a PDF with the report's text and its fonts embedded as subsets.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from pypdf import PdfReader

from tests.reports.example_answers import TEAM

ROOT = Path(__file__).resolve().parents[2]

# Runs in the child: make every load of HarfBuzz-Subset fail, as on a machine without it.
WITHOUT_SUBSET = """
import sys
import cffi

real_dlopen = cffi.FFI.dlopen

def dlopen(self, name, *args, **kwargs):
    if name is not None and "harfbuzz-subset" in str(name):
        raise OSError(f"cannot load {name}")
    return real_dlopen(self, name, *args, **kwargs)

cffi.FFI.dlopen = dlopen

from weasyprint.text import ffi
assert ffi.harfbuzz_subset is None, "HarfBuzz-Subset was loaded"

from app.cli import main
sys.exit(main(["report", sys.argv[1], "-o", sys.argv[2]]))
"""


def suite_warning_options() -> list[str]:
    """The suite's `filterwarnings`, as the interpreter's -W options (the same syntax)."""
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    filters = settings["tool"]["pytest"]["ini_options"]["filterwarnings"]
    return [option for line in filters for option in ("-W", line)]


def test_a_report_renders_without_harfbuzz_subset(tmp_path: Path) -> None:
    answers = tmp_path / "team.yaml"
    answers.write_text(
        yaml.safe_dump({"questionnaire": "example", "respondents": TEAM}), encoding="utf-8"
    )
    output = tmp_path / "team.pdf"
    run = subprocess.run(
        [sys.executable, *suite_warning_options(), "-c", WITHOUT_SUBSET, str(answers), str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    reader = PdfReader(io.BytesIO(output.read_bytes()))
    assert len(reader.pages) > 3
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Example team pulse" in text and "Methodology" in text
    fonts = [
        descriptor["/FontName"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        if (descriptor := font.get_object().get("/FontDescriptor"))
        or (descriptor := _descendant_descriptor(font.get_object()))
    ]
    # A subset font's name starts with six capital letters and a plus sign (PDF 32000, 9.6.4).
    assert fonts and all(str(name)[7:8] == "+" for name in fonts), fonts


def _descendant_descriptor(font: object) -> object:
    descendants = font.get("/DescendantFonts")  # type: ignore[attr-defined]
    return descendants[0].get_object().get("/FontDescriptor") if descendants else None

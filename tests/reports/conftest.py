"""Report fixtures: rendered reports are shared per session (a render takes about a second), and
every test fails when WeasyPrint logs a warning, because WeasyPrint logs problems instead of
raising them."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pypdf import PdfReader

from app.reports import Branding, PdfOptions, ReportView, build_report_view, render_html, render_pdf
from scoring import AssessmentResult, Package
from tests.reports.example_answers import example_assessment, individual_assessment
from tests.reports.specimen import specimen_assessment

REPORT_DATE = dt.date(2025, 11, 21)
BRANDING = Branding.checked(firm_name="Northwind Advisory", primary_colour="#1f4e79")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


# Without libharfbuzz-subset0 WeasyPrint says, for every font, that it subsets with fontTools
# instead: a fact about the machine, not the report (test_without_harfbuzz_subset.py).
FONTTOOLS_FALLBACK = "Using fontTools instead of HarfBuzz-Subset"


@contextlib.contextmanager
def no_weasyprint_warnings() -> Iterator[None]:
    """Fails when WeasyPrint logs a warning or an error inside the block."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    messages = [
        record.getMessage()[:300]
        for record in handler.records
        if not record.getMessage().startswith(FONTTOOLS_FALLBACK)
    ]
    assert not messages, f"WeasyPrint logged warnings: {messages}"


@pytest.fixture
def weasyprint_log() -> Iterator[list[logging.LogRecord]]:
    """For a test that expects WeasyPrint to complain: the records, instead of a failure."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)


@pytest.fixture(autouse=True)
def fail_on_weasyprint_warnings(request: pytest.FixtureRequest) -> Iterator[None]:
    if "weasyprint_log" in request.fixturenames:
        yield
        return
    with no_weasyprint_warnings():
        yield


@dataclass(frozen=True)
class RenderedReport:
    package: Package
    result: AssessmentResult
    view: ReportView
    pdf: bytes
    html: str

    @property
    def reader(self) -> PdfReader:
        return PdfReader(io.BytesIO(self.pdf))

    @property
    def text(self) -> str:
        # Headers and footers repeat on every page; the full text keeps them, which is fine.
        return "\n".join(page.extract_text() for page in self.reader.pages)


def _rendered(
    package: Package, result: AssessmentResult, variant: str, client: str
) -> RenderedReport:
    view = build_report_view(
        package,
        result,
        branding=BRANDING,
        client_name=client,
        report_date=REPORT_DATE,
        variant=variant,  # type: ignore[arg-type]
    )
    with no_weasyprint_warnings():
        pdf = render_pdf(view)
    return RenderedReport(package, result, view, pdf, render_html(view))


@pytest.fixture(scope="session")
def standard_team_report() -> RenderedReport:
    """8 dimensions, 12 respondents: the size the benchmark calls standard."""
    package, result = specimen_assessment()
    return _rendered(package, result, "team", "Contoso Manufacturing")


@pytest.fixture(scope="session")
def example_team_report() -> RenderedReport:
    package, result = example_assessment()
    return _rendered(package, result, "team", "Fabrikam & Sons")


@pytest.fixture(scope="session")
def individual_report() -> RenderedReport:
    package, result = individual_assessment()
    return _rendered(package, result, "individual", "Fabrikam & Sons")


@pytest.fixture(scope="session")
def tagged_pdf(example_team_report: RenderedReport) -> bytes:
    with no_weasyprint_warnings():
        return render_pdf(example_team_report.view, PdfOptions(pdf_ua=True))


@pytest.fixture(scope="session")
def flagship_team_report() -> RenderedReport:
    """The flagship package (its own data tests keep it valid) with a generated team of 12."""
    from tests.reports.specimen import flagship_assessment

    assessed = flagship_assessment(respondents=12)
    assert assessed is not None, "questionnaires/operational-maturity does not validate"
    package, result = assessed
    return _rendered(package, result, "team", "Contoso Manufacturing")

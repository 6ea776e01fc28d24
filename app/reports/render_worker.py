"""What a report-rendering worker process runs: its start-up, and a view model in, a document
out. Rendering takes about a second of CPU, so it runs neither inside a database transaction
nor in the API's event loop."""

from __future__ import annotations

import contextlib
import os

from app.reports.documents import ReportFormat
from app.reports.render import PdfOptions, render_html, render_pdf, warm_up_pdf_renderer
from app.reports.view_model import ReportView

__all__ = ["RENDER_WORKER_NICENESS", "render_report_document", "warm_up_renderer"]

RENDER_WORKER_NICENESS = 10


def render_report_document(view: ReportView, report_format: ReportFormat) -> bytes:
    """Runs in a worker process: the view goes in (pickled), the document comes out."""
    if report_format == "html":
        return render_html(view).encode("utf-8")
    return render_pdf(view, PdfOptions(pdf_ua=report_format == "pdf-ua"))


def warm_up_renderer() -> None:
    """Start-up of a render worker: lower its CPU priority, so the API process answers first
    when both want a core, and render once, since the first render loads fonts and parses
    the stylesheets."""
    with contextlib.suppress(OSError):
        os.nice(RENDER_WORKER_NICENESS)
    warm_up_pdf_renderer()

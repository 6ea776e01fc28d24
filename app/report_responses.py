"""HTTP responses that carry a report document, shared by the API and the web pages."""

from __future__ import annotations

from fastapi import Response

from app.reports.documents import ReportDocument

__all__ = ["HTML_REPORT_POLICY", "html_report_response", "pdf_response"]

# The HTML report is self-contained: inline styles, charts as data: images, no scripts.
HTML_REPORT_POLICY = (
    "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; base-uri 'none'"
)


def pdf_response(document: ReportDocument, *, disposition: str = "inline") -> Response:
    return Response(
        document.content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'{disposition}; filename="{document.filename}"'},
    )


def html_report_response(document: ReportDocument) -> Response:
    return Response(
        document.content,
        media_type="text/html; charset=utf-8",
        headers={
            "Content-Security-Policy": HTML_REPORT_POLICY,
            "X-Content-Type-Options": "nosniff",
        },
    )

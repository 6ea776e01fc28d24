"""Reports: a flat view model built from scoring results, rendered to HTML and PDF."""

from app.reports.branding import Branding, BrandingError, Logo, check_colour, check_logo
from app.reports.build_view import ReportRequestError, build_report_view
from app.reports.render import PdfOptions, render_html, render_pdf, template_version
from app.reports.view_model import (
    REPORT_DETAILS,
    ReportDetail,
    ReportVariant,
    ReportView,
    view_fingerprint,
)

__all__ = [
    "REPORT_DETAILS",
    "Branding",
    "BrandingError",
    "Logo",
    "PdfOptions",
    "ReportDetail",
    "ReportRequestError",
    "ReportVariant",
    "ReportView",
    "build_report_view",
    "check_colour",
    "check_logo",
    "render_html",
    "render_pdf",
    "template_version",
    "view_fingerprint",
]

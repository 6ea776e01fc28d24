"""Renders a report view to HTML (for the browser) and to PDF (WeasyPrint).

The Jinja environment autoescapes everything and fails on any undefined name. The PDF renderer
loads nothing but our template files and data: URIs (see url_fetcher.py), drops attachments,
and reuses parsed stylesheets and fonts within a process, which is most of its start-up cost.
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from app.reports.embedded_fonts import embedded_font_css
from app.reports.view_model import ReportView

__all__ = [
    "TEMPLATES_DIR",
    "PdfOptions",
    "html_to_pdf",
    "pdf_source_html",
    "render_html",
    "render_pdf",
    "report_environment",
    "template_version",
    "warm_up_pdf_renderer",
]

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "report_templates"
_TEMPLATE_FOR_VARIANT = {"team": "team.html", "individual": "individual.html"}
REPORTS_CODE_DIR = Path(__file__).resolve().parent
_RENDERED_SUFFIXES = (".html", ".css", ".otf", ".ttf", ".py")


@dataclass(frozen=True, slots=True)
class PdfOptions:
    """`pdf_ua`: a tagged PDF/UA-1 document (structure tags, language, title in the viewer)."""

    pdf_ua: bool = False

    @property
    def cache_label(self) -> str:
        return "pdf-ua-1" if self.pdf_ua else "pdf"


def svg_data_uri(svg: Markup) -> str:
    """A chart as an image URI. As an image, an SVG stays out of the HTML style cascade and
    its drawing is cheap for the PDF renderer; the browser shows it the same way."""
    return "data:image/svg+xml;base64," + base64.b64encode(str(svg).encode("utf-8")).decode("ascii")


@functools.cache
def report_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    environment.filters["svg_data_uri"] = svg_data_uri
    return environment


@functools.cache
def template_version() -> str:
    """A digest of every template, stylesheet and font, of the code that builds the view
    (app/reports/*.py) and of WeasyPrint's version: a change to any of them changes the cache
    key of every report."""
    digest = hashlib.sha256(f"weasyprint {version('weasyprint')}".encode())
    sources = [(TEMPLATES_DIR, path) for path in TEMPLATES_DIR.rglob("*")]
    sources += [(REPORTS_CODE_DIR, path) for path in REPORTS_CODE_DIR.glob("*.py")]
    for root, path in sorted(sources, key=lambda pair: pair[1]):
        if path.suffix in _RENDERED_SUFFIXES:
            digest.update(path.relative_to(root).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _render_template(view: ReportView, inline_css: str) -> str:
    template = report_environment().get_template(_TEMPLATE_FOR_VARIANT[view.variant])
    return template.render(
        view=view,
        inline_css=Markup(inline_css),  # noqa: S704 - our own stylesheet, never user text
        template_version=template_version(),
    )


def render_html(view: ReportView) -> str:
    """A standalone HTML page: styles and the Inter faces inline, charts as inline SVG, no
    scripts, no fetches."""
    fonts = embedded_font_css(TEMPLATES_DIR / "fonts")
    return _render_template(
        view, fonts + (TEMPLATES_DIR / "report.css").read_text(encoding="utf-8")
    )


@functools.cache
def _pdf_resources() -> tuple[Any, Any, tuple[Any, ...]]:
    """The URL fetcher, font configuration and parsed stylesheets, built once per process."""
    # WeasyPrint loads only where PDFs are made (render workers, the CLI), not in the API.
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    from app.reports.url_fetcher import TemplateOnlyURLFetcher

    fetcher = TemplateOnlyURLFetcher(TEMPLATES_DIR)
    fonts = FontConfiguration()
    # Release the fonts before interpreter shutdown tears down what their finaliser needs.
    atexit.register(_pdf_resources.cache_clear)
    stylesheets = tuple(
        CSS(filename=TEMPLATES_DIR / name, url_fetcher=fetcher, font_config=fonts)
        for name in ("fonts.css", "report.css")
    )
    return fetcher, fonts, stylesheets


def pdf_source_html(view: ReportView) -> str:
    """The HTML that the PDF renderer receives: the stylesheets come separately, parsed once."""
    return _render_template(view, "")


def render_pdf(view: ReportView, options: PdfOptions = PdfOptions()) -> bytes:
    """The report as PDF bytes, with the title and author (the firm) in its metadata."""
    return html_to_pdf(pdf_source_html(view), options)


def html_to_pdf(html: str, options: PdfOptions = PdfOptions()) -> bytes:
    """Any HTML through the report's renderer: our stylesheets and fonts, the restricted URL
    fetcher, no attachments. `render_pdf` uses it; tests feed it hostile documents."""
    from weasyprint import HTML

    fetcher, fonts, stylesheets = _pdf_resources()
    document = HTML(string=html, base_url=TEMPLATES_DIR.as_uri() + "/", url_fetcher=fetcher).render(
        stylesheets=list(stylesheets), font_config=fonts
    )
    _drop_attachments(document)
    variant: dict[str, Any] = (
        {"pdf_variant": "pdf/ua-1", "pdf_tags": True} if options.pdf_ua else {}
    )
    pdf: bytes = document.write_pdf(**variant)
    return pdf


def warm_up_pdf_renderer() -> None:
    """One small render that touches what every report needs: each font face of the report,
    a table, a list and an SVG chart with text. A worker calls it at start-up, so its first
    report pays none of the loading."""
    chart = svg_data_uri(
        Markup(
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 60 12" width="60" height="12">'
            '<rect width="20" height="12" fill="#1f4e79"/>'
            '<text x="24" y="10" font-size="10" font-family="Inter">Warm</text></svg>'
        )
    )
    faces = "".join(
        f'<p style="font-weight: {weight}">Warm-up</p>' for weight in (400, 500, 600, 700)
    )
    html_to_pdf(
        "<html lang='en'><body><section class='chapter'>"
        f"{faces}<p><i>Warm-up</i></p><table class='data'><tr><td>1</td></tr></table>"
        f"<ul><li>Warm-up</li></ul><img src='{chart}' alt=''></section></body></html>"
    )


def _drop_attachments(document: Any) -> None:
    """Nothing is ever attached to a report: a <link rel=attachment> or <a rel=attachment>
    would make the renderer fetch and embed a file, so both kinds are removed before writing."""
    document.metadata.attachments = []
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[0] != "attachment"]

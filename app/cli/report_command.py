"""`opsmaturity report ANSWERS_FILE -o report.pdf`: a branded PDF or HTML report, offline.

Rendering loads nothing from the network: the renderer only reads report_templates/, and a
logo is read here, checked and embedded in the document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from app.cli.score_command import CommandError, score_answers_file
from app.reports import (
    Branding,
    BrandingError,
    PdfOptions,
    ReportRequestError,
    ReportVariant,
    build_report_view,
    render_html,
    render_pdf,
)
from app.settings import DEFAULT_QUESTIONNAIRES_DIR

__all__ = ["register", "run_report"]


def register(commands: Any) -> None:
    report = commands.add_parser(
        "report",
        help="render a branded PDF (or HTML) report from an answers file, offline",
        description="Render the team report (or, for one respondent, the self-assessment report).",
    )
    report.add_argument("answers_file", type=Path, metavar="ANSWERS_FILE")
    report.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="where to write the report (default: ANSWERS_FILE's name with .pdf or .html)",
    )
    report.add_argument(
        "--html", action="store_true", help="write HTML instead of PDF (also for -o *.html)"
    )
    report.add_argument(
        "--variant",
        choices=("team", "individual"),
        help="default: individual for one respondent, team otherwise",
    )
    report.add_argument("--firm", metavar="NAME", help="firm name on the cover and in headers")
    report.add_argument("--logo", type=Path, metavar="FILE", help="PNG, JPEG or SVG logo")
    report.add_argument("--colour", "--color", metavar="#RRGGBB", help="primary brand colour")
    report.add_argument("--client", default="", metavar="NAME", help="the assessed organisation")
    report.add_argument(
        "--date",
        type=dt.date.fromisoformat,
        metavar="YYYY-MM-DD",
        help="date printed on the report (default: today)",
    )
    report.add_argument(
        "--baseline", type=Path, metavar="FILE", help="an earlier answers file to compare with"
    )
    report.add_argument(
        "--full",
        action="store_true",
        help="the full report: the executive report with an appendix of item-level results",
    )
    report.add_argument(
        "--pdf-ua", action="store_true", help="write a tagged PDF/UA-1 document (accessibility)"
    )
    report.add_argument(
        "--questionnaires",
        type=Path,
        default=DEFAULT_QUESTIONNAIRES_DIR,
        metavar="DIR",
        help="folder of questionnaire packages (default: questionnaires/)",
    )
    report.set_defaults(handler=run_report)


def _branding(arguments: argparse.Namespace) -> Branding:
    logo_bytes = None
    if arguments.logo is not None:
        try:
            logo_bytes = arguments.logo.read_bytes()
        except OSError as error:
            raise CommandError([f"{arguments.logo}: cannot read: {error.strerror}"]) from error
    try:
        return Branding.checked(
            firm_name=arguments.firm, primary_colour=arguments.colour, logo_bytes=logo_bytes
        )
    except BrandingError as error:
        raise CommandError([f"branding: {error}"]) from error


def _output_path(arguments: argparse.Namespace) -> tuple[Path, bool]:
    output: Path | None = arguments.output
    as_html = bool(arguments.html) or (output is not None and output.suffix.lower() == ".html")
    if output is None:
        output = Path(arguments.answers_file.stem).with_suffix(".html" if as_html else ".pdf")
    return output, as_html


def run_report(arguments: argparse.Namespace) -> int:
    try:
        branding = _branding(arguments)
        package, result = score_answers_file(
            arguments.answers_file, arguments.questionnaires, arguments.baseline
        )
        variant: ReportVariant = arguments.variant or (
            "individual" if len(result.respondents) == 1 else "team"
        )
        view = build_report_view(
            package,
            result,
            branding=branding,
            client_name=arguments.client,
            report_date=arguments.date or dt.date.today(),
            variant=variant,
            detail="full" if arguments.full else "executive",
        )
    except CommandError as error:
        for line in error.lines:
            print(line, file=sys.stderr)
        return 1
    except ReportRequestError as error:
        print(f"{arguments.answers_file}: {error}", file=sys.stderr)
        return 1
    output, as_html = _output_path(arguments)
    try:
        if as_html:
            output.write_text(render_html(view), encoding="utf-8")
        else:
            output.write_bytes(render_pdf(view, PdfOptions(pdf_ua=arguments.pdf_ua)))
    except OSError as error:
        print(f"{output}: cannot write: {error.strerror}", file=sys.stderr)
        return 1
    length = "full" if arguments.full else "executive"
    print(f"wrote {output} ({variant} report, {length})")
    return 0

"""A report's download name: `<client>-<round>-report.pdf`, ASCII only, safe in a
Content-Disposition header and on every file system; never the assessment's id."""

from __future__ import annotations

import re
import unicodedata

from app.reports.view_model import ReportDetail, ReportVariant

__all__ = ["report_filename", "slug"]

_PART_LENGTH = 60
_FALLBACK = {"team": "leadership-team", "individual": "self-assessment"}


def slug(text: str) -> str:
    """Reads "Brightwater Foods — Q4 2026" as "brightwater-foods-q4-2026": accents dropped,
    anything but letters and digits a single hyphen, at most 60 characters."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    hyphenated = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return hyphenated[:_PART_LENGTH].rstrip("-")


def report_filename(
    *,
    client_name: str,
    round_name: str,
    variant: ReportVariant,
    suffix: str,
    detail: ReportDetail = "executive",
) -> str:
    """The client and the round, each slugified; a round already named after its client is
    not named twice; with neither, what the report is of. The full report is named so."""
    client, round_part = slug(client_name), slug(round_name)
    if client and round_part.startswith(client):
        client = ""
    parts = [part for part in (client, round_part) if part] or [_FALLBACK[variant]]
    length = ("full",) if detail == "full" else ()
    return "-".join((*parts, *length, f"report.{suffix}"))

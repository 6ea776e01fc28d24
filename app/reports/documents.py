"""A rendered report as the cache keeps it and a response sends it: format, media type, bytes,
and the keys that say which content it was rendered from.

The cache key is a hash of the view model (which carries the report's length, executive or
full), the template version and the format, so a cached document never goes stale: changed
answers, branding or templates simply produce another key.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Literal

from app.reports.render import template_version
from app.reports.view_model import ReportView, view_fingerprint

__all__ = [
    "MEDIA_TYPES",
    "ReportDocument",
    "ReportFormat",
    "media_type",
    "report_cache_key",
    "report_source_key",
]

ReportFormat = Literal["pdf", "pdf-ua", "html"]
MEDIA_TYPES: dict[ReportFormat, str] = {
    "pdf": "application/pdf",
    "pdf-ua": "application/pdf",
    "html": "text/html; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class ReportDocument:
    content: bytes
    media_type: str
    filename: str


def media_type(report_format: ReportFormat) -> str:
    return MEDIA_TYPES[report_format]


def report_cache_key(view: ReportView, report_format: ReportFormat, *, owner: str = "") -> str:
    """`owner` names whose report it is (workspace and assessment): two assessments with the
    same content still get rows of their own, so each knows it has been rendered."""
    material = f"{owner}:{view_fingerprint(view)}:{template_version()}:{report_format}"
    return hashlib.sha256(material.encode("ascii")).hexdigest()


def report_source_key(*parts: object) -> str:
    """A hash of what a report's view is built from, with the renderer version. The parts
    name the report's length too: the executive and the full report are cached apart."""
    material = "\x1f".join(str(part) for part in (*parts, template_version()))
    return hashlib.sha256(material.encode("utf-8")).hexdigest()

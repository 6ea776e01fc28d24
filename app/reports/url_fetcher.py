"""The only way the PDF renderer may load anything: files under report_templates/ and data: URIs.

WeasyPrint fetches every URL a document mentions (stylesheets, fonts, images, attachments).
A report contains text from respondents and clients, so this fetcher refuses everything but
our own template files and inline images: no file:// outside the templates folder, no http(s)
(so no internal addresses such as 127.0.0.1 or 169.254.169.254), no other schemes.
Attachments are removed from the document before the PDF is written (see render.py).
"""

from __future__ import annotations

import base64
import logging
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from weasyprint import URLFetcher
from weasyprint.urls import URLFetcherResponse

__all__ = ["TEMPLATE_MEDIA_TYPES", "TemplateOnlyURLFetcher", "URLRefusedError"]

logger = logging.getLogger(__name__)

# What a template folder file may be, by suffix: the renderer needs nothing else.
TEMPLATE_MEDIA_TYPES = {
    ".css": "text/css",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
DATA_MEDIA_TYPES = frozenset({"image/png", "image/jpeg", "image/svg+xml"})
MAX_DATA_URI_BYTES = 1024 * 1024


class URLRefusedError(ValueError):
    """The report renderer asked for something it may not load."""


class TemplateOnlyURLFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no stubs
    """A URL fetcher that serves files under `root` and image data: URIs, and refuses the rest."""

    def __init__(self, root: Path) -> None:
        super().__init__(timeout=1, allowed_protocols=("file", "data"), allow_redirects=False)
        self.root = root.resolve()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        try:
            if url.startswith("data:"):
                return self._data(url)
            if url.startswith("file:"):
                return self._template_file(url)
            raise URLRefusedError("only template files and data: URIs may be loaded")
        except URLRefusedError as error:
            logger.warning("report renderer refused %s: %s", url[:120], error)
            raise

    def _template_file(self, url: str) -> URLFetcherResponse:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise URLRefusedError("file URLs on other hosts are refused")
        path = Path(url2pathname(unquote(parts.path)))
        try:
            resolved = path.resolve(strict=True)
        except OSError as error:
            raise URLRefusedError("no such template file") from error
        if not resolved.is_relative_to(self.root) or not resolved.is_file():
            raise URLRefusedError("only files under report_templates/ may be loaded")
        media_type = TEMPLATE_MEDIA_TYPES.get(resolved.suffix.lower())
        if media_type is None:
            raise URLRefusedError(f"template files of type {resolved.suffix!r} are not served")
        return URLFetcherResponse(
            resolved.as_uri(), body=resolved.read_bytes(), headers={"Content-Type": media_type}
        )

    def _data(self, url: str) -> URLFetcherResponse:
        header, separator, payload = url[5:].partition(",")
        if not separator:
            raise URLRefusedError("malformed data: URI")
        fields = [field.strip().lower() for field in header.split(";")]
        media_type = fields[0] or "text/plain"
        if media_type not in DATA_MEDIA_TYPES:
            raise URLRefusedError(f"data: URIs of type {media_type!r} are refused")
        try:
            body = (
                base64.b64decode(payload, validate=True)
                if "base64" in fields[1:]
                else unquote(payload).encode("utf-8")
            )
        except ValueError as error:
            raise URLRefusedError("malformed base64 in a data: URI") from error
        if len(body) > MAX_DATA_URI_BYTES:
            raise URLRefusedError("data: URI too large")
        return URLFetcherResponse(url[:64], body=body, headers={"Content-Type": media_type})

"""The PDF renderer loads only our template files and image data: URIs, and embeds no attachment."""

from __future__ import annotations

import base64
import http.server
import io
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.reports.render import TEMPLATES_DIR, html_to_pdf
from app.reports.url_fetcher import TemplateOnlyURLFetcher, URLRefusedError

PNG_1x1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@pytest.fixture
def fetcher() -> TemplateOnlyURLFetcher:
    return TemplateOnlyURLFetcher(TEMPLATES_DIR)


@pytest.fixture
def recording_server() -> Iterator[tuple[str, list[str]]]:
    """A web server on 127.0.0.1 that records every request it gets."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.end_headers()
            self.wfile.write(PNG_1x1)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        (TEMPLATES_DIR / ".." / "pyproject.toml").as_uri(),
        TEMPLATES_DIR.as_uri() + "/../pyproject.toml",
        TEMPLATES_DIR.as_uri() + "/%2e%2e/pyproject.toml",
        "file://otherhost" + str(TEMPLATES_DIR / "report.css"),
        TEMPLATES_DIR.as_uri() + "/base.html",  # a template itself is not a resource
        "http://127.0.0.1/",
        "http://localhost:8000/api/v1/assessments",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "https://example.com/logo.png",
        "ftp://example.com/file",
        "data:text/html,<script>alert(1)</script>",
        "data:application/pdf;base64,JVBERi0=",
        "data:image/png;base64,@@not-base64@@",
        "javascript:alert(1)",
    ],
)
def test_fetcher_refuses_everything_but_template_files_and_image_data(
    fetcher: TemplateOnlyURLFetcher, url: str
) -> None:
    with pytest.raises(URLRefusedError):
        fetcher.fetch(url)


def test_fetcher_serves_template_stylesheets_fonts_and_image_data(
    fetcher: TemplateOnlyURLFetcher,
) -> None:
    css = fetcher.fetch((TEMPLATES_DIR / "report.css").as_uri())
    assert css.content_type == "text/css"
    font = fetcher.fetch((TEMPLATES_DIR / "fonts" / "Inter-Regular.otf").as_uri())
    assert font.read()[:4] == b"OTTO"
    image = fetcher.fetch("data:image/png;base64," + base64.b64encode(PNG_1x1).decode())
    assert image.read() == PNG_1x1


def test_fetcher_refuses_a_symlink_that_leaves_the_templates_folder(tmp_path: Path) -> None:
    root = tmp_path / "templates"
    root.mkdir()
    (root / "escape.css").symlink_to("/etc/passwd")
    with pytest.raises(URLRefusedError):
        TemplateOnlyURLFetcher(root).fetch((root / "escape.css").as_uri())


def test_rendering_a_hostile_document_fetches_nothing_and_attaches_nothing(
    recording_server: tuple[str, list[str]], weasyprint_log: list[logging.LogRecord]
) -> None:
    base, requests = recording_server
    png = base64.b64encode(PNG_1x1).decode()
    html = f"""<html><head>
      <link rel="stylesheet" href="{base}/style.css">
      <link rel="attachment" href="file:///etc/passwd" title="passwd">
      <link rel="attachment" href="{(TEMPLATES_DIR / "report.css").as_uri()}">
      <style>@import url("{base}/import.css"); body {{ background: url("{base}/bg.png"); }}
             @font-face {{ font-family: X; src: url("{base}/font.otf"); }}</style>
    </head><body>
      <img src="{base}/pixel.png"><img src="file:///etc/passwd">
      <img src="http://169.254.169.254/latest/meta-data/">
      <object data="{base}/object.svg"></object><embed src="{base}/embed.svg">
      <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
        <image xlink:href="{base}/svg-image.png" width="10" height="10"/></svg>
      <a rel="attachment" href="data:image/png;base64,{png}">attached?</a>
      <a rel="attachment" href="{base}/attachment.bin">attached?</a>
      <p>Body text</p>
    </body></html>"""
    pdf = html_to_pdf(html)
    assert requests == []
    reader = PdfReader(io.BytesIO(pdf))
    assert reader.attachments == {}
    assert "/EmbeddedFiles" not in str(reader.trailer["/Root"].get("/Names", {}))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert annotation.get_object().get("/Subtype") != "/FileAttachment"
    assert "Body text" in reader.pages[0].extract_text()
    assert weasyprint_log, "the refusals are logged by WeasyPrint"

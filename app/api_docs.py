"""The API's documentation pages, /docs (Swagger UI) and /redoc (ReDoc).

Their scripts and styles are served from here (the files of the fastapi-offline package), not
from a CDN: the pages work on a network without internet access, and each carries a
Content-Security-Policy that allows this origin only, plus the hash of Swagger UI's one inline
script. The shared security headers are added as for every response
(app/observability/security_headers.py), which keeps a policy a response already has.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import fastapi_offline
from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.requests import Request
from starlette.responses import HTMLResponse

__all__ = ["DOCS_ASSETS_PATH", "install_api_docs"]

DOCS_ASSETS_PATH = "/docs-assets"
_ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def install_api_docs(app: FastAPI) -> None:
    """Call with an app built with docs_url=None and redoc_url=None."""
    assert app.openapi_url is not None
    app.mount(DOCS_ASSETS_PATH, StaticFiles(directory=_ASSETS_DIR), name="docs-assets")
    swagger_ui = _page_with_policy(
        get_swagger_ui_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} API",
            swagger_js_url=f"{DOCS_ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS_PATH}/favicon.png",
            oauth2_redirect_url=None,
        )
    )
    redoc = _page_with_policy(
        get_redoc_html(
            openapi_url=app.openapi_url,
            title=f"{app.title} API",
            redoc_js_url=f"{DOCS_ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{DOCS_ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )
    )

    async def show_swagger_ui(_request: Request) -> HTMLResponse:
        return HTMLResponse(swagger_ui[0], headers=swagger_ui[1])

    async def show_redoc(_request: Request) -> HTMLResponse:
        return HTMLResponse(redoc[0], headers=redoc[1])

    app.add_route("/docs", show_swagger_ui, include_in_schema=False)
    app.add_route("/redoc", show_redoc, include_in_schema=False)


def _page_with_policy(page: HTMLResponse) -> tuple[str, dict[str, str]]:
    """The page's HTML, and a policy that lets it load this origin's files and run its own
    inline scripts (by their hashes), and nothing else. Both viewers style elements inline,
    and ReDoc searches in a worker it starts from a blob: URL."""
    html = bytes(page.body).decode("utf-8")
    scripts = ["'self'"] + [
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for script in _INLINE_SCRIPT.findall(html)
    ]
    policy = "; ".join(
        (
            "default-src 'none'",
            f"script-src {' '.join(scripts)}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "worker-src blob:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        )
    )
    return html, {"Content-Security-Policy": policy}

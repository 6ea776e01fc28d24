"""The pages' Jinja environment and the one function that renders a page.

Autoescaping is on and undefined names raise, as in the reports. Every page gets the CSRF
token of its visitor's session (app/web/page_security.py), the signed-in user if any, and
`static()`, which adds a content hash to an asset's URL so browsers may cache it for a year.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

__all__ = ["STATIC_DIR", "TEMPLATES_DIR", "new_page_environment", "render_page", "static_url"]

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@cache
def _asset_version(name: str) -> str:
    return hashlib.sha256((STATIC_DIR / name).read_bytes()).hexdigest()[:12]


def static_url(name: str) -> str:
    return f"/static/{name}?v={_asset_version(name)}"


def new_page_environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals["static"] = static_url
    return environment


def render_page(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    environment: Environment = request.app.state.page_environment
    values = {
        "request_path": request.url.path,
        "csrf_token": getattr(request.state, "csrf_token", ""),
        "console_user": getattr(request.state, "console_user", None),
        # False for a console viewer: templates leave out the forms and buttons that change.
        "can_change": getattr(getattr(request.state, "console_user", None), "role", "") != "viewer",
        "brand": None,
        "title": "OpsMaturity",
    }
    values.update(context or {})
    html = environment.get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))

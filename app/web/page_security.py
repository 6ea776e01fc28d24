"""Security of the pages: response headers, and CSRF protection by a double-submit cookie.

Every page response carries a strict Content-Security-Policy (scripts only from this origin,
no framing, forms post only here); the headers every response shares, such as
`Referrer-Policy: no-referrer` (respondent links carry their token in the path), come from
app/observability/security_headers.py. A visitor gets a random CSRF token in an HttpOnly, SameSite
cookie; every form repeats it in a hidden field and `require_csrf` compares the two, and also
refuses requests that the browser marks as cross-site.
"""

from __future__ import annotations

import hmac
import re
import secrets
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CsrfError",
    "PageSecurityMiddleware",
    "cookie_header",
    "require_csrf",
]

CSRF_COOKIE = "om_csrf"
CSRF_FIELD = "csrf_token"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
# Paths that are not pages: the API answers with JSON and sets its own headers.
_NOT_PAGES = ("/api/", "/healthz", "/readyz", "/docs", "/openapi.json", "/redoc")

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        # The brand colour is set per workspace in a style attribute; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    )
)
# X-Frame-Options, nosniff and the referrer policy go on every response:
# app/observability/security_headers.py.
_PAGE_HEADERS = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)


class CsrfError(Exception):
    """A form post without the visitor's CSRF token, or from another site."""


def cookie_header(
    name: str, value: str, *, secure: bool, max_age: int | None = None, same_site: str = "Lax"
) -> str:
    cookie: SimpleCookie = SimpleCookie()
    cookie[name] = value
    morsel = cookie[name]
    morsel["path"] = "/"
    morsel["httponly"] = True
    morsel["samesite"] = same_site
    if secure:
        morsel["secure"] = True
    if max_age is not None:
        morsel["max-age"] = max_age
    return morsel.OutputString()


class PageSecurityMiddleware:
    """Adds the page headers and hands every visitor a CSRF token (pure ASGI: no body copy)."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NOT_PAGES):
            await self.app(scope, receive, send)
            return
        existing = _cookie_value(scope, CSRF_COOKIE)
        token = existing if existing and _TOKEN.fullmatch(existing) else None
        new_token = token is None
        if token is None:
            token = secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf_token"] = token
        is_asset = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in _PAGE_HEADERS if n not in present]
                if not is_asset and b"cache-control" not in present:
                    # Pages show answers and results: never keep them in a shared cache.
                    headers.append((b"cache-control", b"no-store"))
                if new_token and not is_asset:
                    value = cookie_header(
                        CSRF_COOKIE, token, secure=self.secure_cookies, same_site="Strict"
                    )
                    headers.append((b"set-cookie", value.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _cookie_value(scope: Scope, name: str) -> str | None:
    for header, value in scope.get("headers", []):
        if header == b"cookie":
            cookie: SimpleCookie = SimpleCookie()
            try:
                cookie.load(value.decode("latin-1"))
            except CookieError:  # a malformed cookie header counts as none
                return None
            if name in cookie:
                return cookie[name].value
    return None


async def require_csrf(request: Request) -> None:
    """Dependency of every form post: the hidden field must equal the visitor's cookie."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfError("cross-site form post")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfError("form posted from another origin")
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form: Any = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not cookie or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise CsrfError("missing or stale form token")

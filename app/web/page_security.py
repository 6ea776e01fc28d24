"""Security of the pages: response headers, and CSRF tokens bound to the visitor's session.

Every page response carries a strict Content-Security-Policy (scripts only from this origin,
no framing, forms post only here); the headers every response shares, such as
`Referrer-Policy: no-referrer` (respondent links carry their token in the path), come from
app/observability/security_headers.py.

CSRF: every form repeats a token in a hidden field (or, from app.js, the `X-CSRF-Token`
header), and `require_csrf` also refuses requests that the browser marks as cross-site or that
come from another origin. The token is an HMAC, under a key derived from
OPSMATURITY_SECRET_KEY, of the visitor's session (OWASP's signed, session-bound variant of the
double-submit cookie): the console session cookie when there is one, otherwise a random
per-browser nonce that the server hands out in a signed, HttpOnly, SameSite=Strict cookie.
`require_csrf` recomputes the token from the request's own cookies, so a cookie and field
pair that someone planted for another session, or made up, is refused. Signing in or out
changes the session, and with it the token of every page rendered afterwards.

Respondent links (/r/<token>) are not bound to their token as well: a forged post must name
the token in its URL, and whoever knows it can fetch a form token for it anyway.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import re
import secrets
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from fastapi import Request
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "SESSION_COOKIE",
    "CsrfError",
    "PageSecurityMiddleware",
    "cookie_header",
    "require_csrf",
]

# The signed per-browser nonce that visitors without a console session are bound to.
CSRF_COOKIE = "om_csrf"
CSRF_FIELD = "csrf_token"
# The console's session cookie (app/web/console/session_cookie.py sets and reads it).
SESSION_COOKIE = "om_session"
_NONCE = re.compile(r"[A-Za-z0-9_-]{43}")
_KEY_LABEL = b"opsmaturity page csrf tokens v1"
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
    """A form post without the token of the visitor's session, or from another site."""


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


@functools.lru_cache(maxsize=4)
def _csrf_key(secret_key: str) -> bytes:
    """A key of its own for CSRF tokens, so that no token is ever a MAC another feature uses."""
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL).derive(
        secret_key.encode("utf-8")
    )


def _mac(key: bytes, purpose: bytes, value: str) -> str:
    digest = hmac.new(key, purpose + b"\x00" + value.encode("utf-8"), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _signed_nonce(key: bytes, nonce: str) -> str:
    return f"{nonce}.{_mac(key, b'browser nonce', nonce)}"


def _nonce_of(key: bytes, cookie: str | None) -> str | None:
    """The nonce of a nonce cookie that this server signed; None for any other value."""
    nonce, _, signature = (cookie or "").partition(".")
    if not _NONCE.fullmatch(nonce):
        return None
    expected = _mac(key, b"browser nonce", nonce)
    return nonce if hmac.compare_digest(signature.encode(), expected.encode()) else None


def _token_for(key: bytes, cookies: dict[str, str], nonce: str | None) -> str | None:
    """The form token of the session these cookies carry; None without any session."""
    session = cookies.get(SESSION_COOKIE)
    if session:
        return _mac(key, b"console session", session)
    if nonce is not None:
        return _mac(key, b"browser", nonce)
    return None


class PageSecurityMiddleware:
    """Adds the page headers, hands every browser a signed nonce cookie, and puts the form token
    of the request's session on `request.state.csrf_token` (pure ASGI: no body copy)."""

    def __init__(self, app: ASGIApp, *, secure_cookies: bool) -> None:
        self.app = app
        self.secure_cookies = secure_cookies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_NOT_PAGES):
            await self.app(scope, receive, send)
            return
        is_asset = scope["path"].startswith("/static/")
        key = _csrf_key(scope["app"].state.settings.secret_key)
        cookies = HTTPConnection(scope).cookies
        nonce = _nonce_of(key, cookies.get(CSRF_COOKIE))
        new_cookie = None
        if nonce is None and not is_asset:
            nonce = secrets.token_urlsafe(32)
            new_cookie = cookie_header(
                CSRF_COOKIE,
                _signed_nonce(key, nonce),
                secure=self.secure_cookies,
                same_site="Strict",
            )
        scope.setdefault("state", {})["csrf_token"] = _token_for(key, cookies, nonce) or ""

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [(n, v) for n, v in _PAGE_HEADERS if n not in present]
                if not is_asset and b"cache-control" not in present:
                    # Pages show answers and results: never keep them in a shared cache.
                    headers.append((b"cache-control", b"no-store"))
                if new_cookie is not None:
                    headers.append((b"set-cookie", new_cookie.encode("latin-1")))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def require_csrf(request: Request) -> None:
    """Dependency of every form post: the token sent must be the one of the request's session,
    and the post must come from this site."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise CsrfError("The form was sent from another site, so nothing was saved.")
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.headers.get("host"):
        raise CsrfError("The form was sent from another site, so nothing was saved.")
    key = _csrf_key(request.app.state.settings.secret_key)
    expected = _token_for(key, request.cookies, _nonce_of(key, request.cookies.get(CSRF_COOKIE)))
    if expected is None:
        raise CsrfError(
            "Your browser sent no cookie of this site with the form, so nothing was saved; "
            "cookies for this site must be allowed."
        )
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else ""
    if not hmac.compare_digest(expected.encode(), sent.encode("utf-8", "replace")):
        raise CsrfError(
            "The form belongs to another session, so nothing was saved: it was opened before "
            "you signed in or out, or in another browser."
        )

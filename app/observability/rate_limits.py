"""Rate limits: per API key on the API, per invite link (and per address over all links) on
what respondents use, per client address on what anyone may reach without signing in.

| group              | requests                                        | counted per  | a minute |
|--------------------|-------------------------------------------------|--------------|----------|
| api-key            | /api/ with an API key                           | key          | 600      |
| anonymous          | /api/ without a credential, and answers 401     | address      | 300      |
| respondent-link    | /r/{token} pages, autosave and report; /api/    | invite token | 120      |
|                    | with the invite token as bearer credential      |              |          |
| respondent-address | the same, every link together                   | address      | 1200     |
| entry              | POST sign-in, first-run setup, password reset,  | address      | 60       |
|                    | self-assessment starts                          |              |          |

Settings `rate_limit_{api,public,respondent,respondent_address,entry}_per_minute` change
the defaults shown.

A link is counted by the SHA-256 of its token, taken from the path or the bearer credential
here: the limiter never asks the database whether a token exists.

Sized for a leadership team of 30 answering together from one office (one address). One
respondent to the longest package (operational-maturity: 49 items on 8 pages, about 13
minutes) sends, per session: the welcome page 1; per page its GET and its "Save and continue"
POST (whose redirect is the next page's GET) 8 x 2 = 16; autosaves (app.js posts once per
change: per answer, per box ticked) about 1.5 per item, 74; review, submit and thank-you 3.
That is about 94 requests, 7 a minute on average. A quick respondent's busiest minute: an
answer every 3 seconds (20 autosaves) and 2 page turns (4 requests), 24 requests.
- Per link, 120 a minute: 5 x 24, room for reloads, going back and forth and a second tab;
  a script hammering one link faster than 2 requests a second is refused within a minute.
- Per address, 1200 a minute: 30 respondents x 24 = 720 if all 30 have their busiest
  minute together (30 x 7 = 210 in a typical minute), with two thirds as much again to spare.
- Entry, 60 a minute per address: 30 people signing in or starting a self-assessment in the
  same minute, each with one retry (a typo, an expired form). Sign-in guessing is slowed
  further per account in the database (app/services/sign_in_throttle.py).

A refused request counts only against the limit that refused it (the others get their count
back), so a hammered link never spends its office's allowance. A refused API request gets
429 problem details, a page a 429 page, autosave a JSON answer; all say when to retry
(Retry-After). API responses carry RateLimit-Limit, -Remaining and -Reset.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, replace

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.client_address import client_ip
from app.observability.rate_limit_counts import WINDOW_SECONDS, Counts, WindowCount
from app.observability.rate_limit_pages import rate_limited_page, rate_limited_problem
from app.services.credentials import INVITE_TOKEN_MARKER
from app.settings import Settings

__all__ = ["RateLimitMiddleware"]

_RESPONDENT_PATH = re.compile(r"/r/(?P<token>[^/]+)(/.*)?")
_ENTRY_POSTS = re.compile(
    r"/(console/login|console/setup|console/password-reset(/[^/]+)?|start|s/[^/]+/start)/?"
)


@dataclass(frozen=True, slots=True)
class _Limit:
    group: str
    subject: str
    per_minute: int
    described: str  # "this API key"
    counted: bool = True  # False: checked only
    per_address: bool = True  # the page blames the network, not the link


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, counts: Counts) -> None:
        self.app = app
        self.counts = counts
        self.api_per_minute = settings.rate_limit_api_per_minute
        self.public_per_minute = settings.rate_limit_public_per_minute
        self.respondent_per_minute = settings.rate_limit_respondent_per_minute
        self.respondent_address_per_minute = settings.rate_limit_respondent_address_per_minute
        self.entry_per_minute = settings.rate_limit_entry_per_minute

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limits = self._limits(scope, path)
        if not limits:
            await self.app(scope, receive, send)
            return
        counted = await self.counts.hit(
            [(f"{lim.group}:{lim.subject}", 1 if lim.counted else 0) for lim in limits]
        )
        if counted is None:  # counts unavailable: let the request through
            await self.app(scope, receive, send)
            return
        for limit, count in zip(limits, counted, strict=True):
            # A checked-only count is spent when its next request would be refused.
            if count.estimate > limit.per_minute - (0 if limit.counted else 1):
                # Counted only against the limit that refused it: a link hammered past its
                # own limit does not spend its address's allowance, nor the other way round.
                refunds = [
                    (f"{other.group}:{other.subject}", -1)
                    for other in limits
                    if other.counted and other is not limit
                ]
                if refunds:
                    await self.counts.hit(refunds)
                response = _refusal(Request(scope), path, limit, count)
                await response(scope, receive, send)
                return
        primary, primary_count = limits[0], counted[0]
        is_api = path.startswith("/api/")
        status = 0

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if is_api:
                    headers = list(message.get("headers", []))
                    headers += _rate_headers(primary.per_minute, primary_count)
                    message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
        if is_api and status == 401 and primary.group in _CREDENTIAL_GROUPS:
            # A credential that does not work counts against the address, as if it had none:
            # guessing keys is limited like any anonymous call.
            await self.counts.hit([(f"anonymous:{client_ip(Request(scope))}", 1)])

    def _limits(self, scope: Scope, path: str) -> list[_Limit]:
        address = client_ip(Request(scope))
        if path.startswith("/api/"):
            anonymous = _Limit("anonymous", address, self.public_per_minute, "this address")
            credential = _bearer(scope)
            if credential is None:
                return [anonymous]
            # The address's anonymous count is checked too: an address that keeps presenting
            # bad keys or tokens is refused.
            checked = replace(anonymous, counted=False)
            if credential.startswith(INVITE_TOKEN_MARKER):
                return [*self._respondent_limits(credential, address), checked]
            key = _Limit("api-key", _digest(credential), self.api_per_minute, "this API key")
            return [key, checked]
        respondent_page = _RESPONDENT_PATH.fullmatch(path)
        if respondent_page:
            return self._respondent_limits(respondent_page["token"], address)
        if scope["method"] == "POST" and _ENTRY_POSTS.fullmatch(path):
            return [_Limit("entry", address, self.entry_per_minute, "this address")]
        return []

    def _respondent_limits(self, token: str, address: str) -> list[_Limit]:
        """Per link, and per address over every link. No database: a link that does not
        exist is counted like one that does."""
        return [
            _Limit(
                "respondent-link",
                _digest(token),
                self.respondent_per_minute,
                "this link",
                per_address=False,
            ),
            _Limit(
                "respondent-address",
                address,
                self.respondent_address_per_minute,
                "this address",
            ),
        ]


_CREDENTIAL_GROUPS = frozenset({"api-key", "respondent-link"})


def _digest(secret: str) -> str:
    """What a key or token is counted by: never the secret itself."""
    return hashlib.sha256(secret.encode()).hexdigest()[:32]


def _bearer(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            text: str = value.decode("latin-1")
            scheme, _, credential = text.partition(" ")
            if scheme.lower() == "bearer" and credential.strip():
                return credential.strip()
            return None
    return None


def _rate_headers(per_minute: int, count: WindowCount) -> list[tuple[bytes, bytes]]:
    remaining = max(0, math.floor(per_minute - count.estimate))
    if remaining == 0:
        reset = count.seconds_until_below(per_minute)
    else:  # when this window's count starts to weigh less
        reset = max(1, math.ceil(WINDOW_SECONDS - count.elapsed))
    return [
        (b"ratelimit-limit", str(per_minute).encode()),
        (b"ratelimit-remaining", str(remaining).encode()),
        (b"ratelimit-reset", str(reset).encode()),
        (b"ratelimit-policy", f"{per_minute};w={WINDOW_SECONDS}".encode()),
    ]


def _refusal(request: Request, path: str, limit: _Limit, count: WindowCount) -> Response:
    retry_after = count.seconds_until_below(limit.per_minute)
    message = (
        f"{limit.described[0].upper()}{limit.described[1:]} sent more than {limit.per_minute} requests in a "
        f"minute; retry in {retry_after} s"
    )
    headers = {"Retry-After": str(retry_after)}
    if path.startswith("/api/"):
        headers.update(
            (name.decode(), value.decode())
            for name, value in _rate_headers(limit.per_minute, count)
        )
        return rate_limited_problem(request, message, headers)
    if path.endswith("/autosave"):
        # app.js shows `error` beside the answer; the answer stays on the page.
        body = {"saved": False, "error": f"too many saves just now; retry in {retry_after} s"}
        return JSONResponse(body, status_code=429, headers=headers)
    return rate_limited_page(request, retry_after, headers, per_address=limit.per_address)

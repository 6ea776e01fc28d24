"""Rate limits: per API key (or invite token) on the API, per client address on what anyone
may reach without signing in.

| group       | what                                                        | per minute        |
|-------------|-------------------------------------------------------------|-------------------|
| api-key     | /api/ with a bearer credential, per credential               | rate_limit_api    |
| anonymous   | /api/ without one, and answers 401, per address              | rate_limit_public |
| respondent  | /r/{token} pages, autosave and report, per address          | rate_limit_public |
| entry       | POST sign-in, first-run setup, self-assessment starts       | rate_limit_entry  |

A refused API request gets 429 problem details, a page a 429 page; both say when to retry
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
from app.settings import Settings

__all__ = ["RateLimitMiddleware"]

_RESPONDENT_PATH = re.compile(r"/r/[^/]+(/.*)?")
_ENTRY_POSTS = re.compile(r"/(console/login|console/setup|start|s/[^/]+/start)/?")


@dataclass(frozen=True, slots=True)
class _Limit:
    group: str
    subject: str
    per_minute: int
    described: str  # "this API key"
    counted: bool = True  # False: checked only


class RateLimitMiddleware:
    def __init__(self, app: ASGIApp, *, settings: Settings, counts: Counts) -> None:
        self.app = app
        self.counts = counts
        self.api_per_minute = settings.rate_limit_api_per_minute
        self.public_per_minute = settings.rate_limit_public_per_minute
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
        if is_api and status == 401 and primary.group == "api-key":
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
            digest = hashlib.sha256(credential.encode()).hexdigest()[:32]
            key = _Limit("api-key", digest, self.api_per_minute, "this API key")
            # The address's anonymous count is checked too: an address that keeps presenting
            # bad keys is refused.
            return [key, replace(anonymous, counted=False)]
        if _RESPONDENT_PATH.fullmatch(path):
            return [_Limit("respondent", address, self.public_per_minute, "this address")]
        if scope["method"] == "POST" and _ENTRY_POSTS.fullmatch(path):
            return [_Limit("entry", address, self.entry_per_minute, "this address")]
        return []


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
    return rate_limited_page(request, retry_after, headers)

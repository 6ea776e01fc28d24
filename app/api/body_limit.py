"""A limit on the size of request bodies, as pure ASGI middleware.

A declared Content-Length over the limit is refused before any of the body is read; a body
without one (chunked) is counted as it arrives and refused the moment it passes the limit.
The refusal is 413 problem details for the API, the error page for browsers. The rest of an
oversized body is never handed to the application, which sees a disconnected client instead.
"""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.problems import PageErrorRenderer, problem_response

__all__ = ["BodyLimitMiddleware"]

_TITLE = "Request body too large"


class BodyLimitMiddleware:
    def __init__(
        self, app: ASGIApp, *, max_bytes: int, page_error: PageErrorRenderer | None = None
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.page_error = page_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_bytes:
            await self._refuse(scope, receive, send)
            return
        guard = _GuardedRequest(self, scope, receive, send)
        try:
            await self.app(scope, guard.receive, guard.send)
        except Exception:
            # Reading the body after the refusal fails inside the application; the 413
            # has been sent, so that failure is expected and not the caller's concern.
            if not guard.refused:
                raise

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        detail = f"send at most {self.max_bytes} bytes in one request body"
        if self.page_error is not None and not scope["path"].startswith("/api/"):
            response = self.page_error(request, 413, _TITLE, detail)
        else:
            response = problem_response(
                request,
                status=413,
                title=_TITLE,
                type_uri="urn:opsmaturity:problem:body-too-large",
                detail=detail,
            )
        await response(scope, receive, send)


class _GuardedRequest:
    """Counts the body as the application reads it, and stops it at the limit."""

    def __init__(
        self, limit: BodyLimitMiddleware, scope: Scope, receive: Receive, send: Send
    ) -> None:
        self._limit = limit
        self._scope = scope
        self._receive = receive
        self._send = send
        self._received = 0
        self._started = False
        self.refused = False

    async def receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        message = await self._receive()
        if message["type"] == "http.request":
            self._received += len(message.get("body", b""))
            if self._received > self._limit.max_bytes:
                self.refused = True
                if not self._started:
                    await self._limit._refuse(self._scope, self._receive, self._send)
                return {"type": "http.disconnect"}
        return message

    async def send(self, message: Message) -> None:
        if self.refused and not self._started:
            return  # the 413 went out instead of whatever the application answers now
        if message["type"] == "http.response.start":
            self._started = True
        await self._send(message)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None or not value.strip().isdigit():
        return None
    return int(value)

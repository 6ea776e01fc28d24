"""Unexpected errors: logged once with their request id, answered by the app's 500 handler.

The handler (app/problems.py) would otherwise run in Starlette's outermost layer, past every
middleware, so the answer would lack the request id and the security headers, and a page's
error would lack its page policy. Installed innermost, this turns the error into the 500
answer where the other middleware still sees it.
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["UnhandledErrorMiddleware", "answer_unhandled_error"]

logger = logging.getLogger("opsmaturity.errors")
_LOGGED = "unhandled_error_logged"


async def answer_unhandled_error(
    scope: Scope, receive: Receive, send: Send, error: Exception
) -> None:
    """Log the error (once per request) and send the app's 500 answer; re-raise when the app
    has no handler for it."""
    state = scope.setdefault("state", {})
    if not state.get(_LOGGED):
        state[_LOGGED] = True
        logger.error("unhandled error: %s", type(error).__name__, exc_info=error)
    handler = getattr(scope.get("app"), "exception_handlers", {}).get(Exception)
    if handler is None:
        raise error
    response = await handler(Request(scope, receive), error)
    await response(scope, receive, send)


class UnhandledErrorMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracking_send)
        except Exception as error:
            if started:  # half an answer is out: the server closes the connection
                raise
            await answer_unhandled_error(scope, receive, send, error)

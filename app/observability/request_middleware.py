"""The outermost layer of every HTTP request: who sent it, its request id, the security
headers, one access log line and the latency metric (pure ASGI: no copy of any body)."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.observability.client_address import Network, resolve_client
from app.observability.json_logs import ACCESS_LOGGER
from app.observability.metrics import Metrics
from app.observability.request_context import (
    RequestContext,
    accepted_request_id,
    enter_request,
    leave_request,
    route_template,
)
from app.observability.security_headers import SecurityHeaders
from app.observability.unhandled_errors import answer_unhandled_error

__all__ = ["RequestMiddleware"]

access_logger = logging.getLogger(ACCESS_LOGGER)


class RequestMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        security_headers: SecurityHeaders,
        trusted_proxies: Sequence[Network],
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.security_headers = security_headers
        self.trusted_proxies = tuple(trusted_proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started_at = time.perf_counter()
        client = resolve_client(scope, self.trusted_proxies)
        request_id = accepted_request_id(scope.get("headers", []))
        context = RequestContext(request_id, scope["method"], scope)
        token = enter_request(context)
        status = 499  # until a response starts: the client went away first
        response_started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, response_started
            if message["type"] == "http.response.start":
                response_started = True
                status = int(message["status"])
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode("ascii")))
                self.security_headers.add_to(headers, secure=client.secure)
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as error:  # raised by a middleware outside UnhandledErrorMiddleware
            if response_started:
                raise
            await answer_unhandled_error(scope, receive, send_with_headers, error)
        finally:
            seconds = time.perf_counter() - started_at
            route = route_template(scope)
            self.metrics.observe_request(scope["method"], route, status, seconds)
            if access_logger.isEnabledFor(logging.INFO):
                access_logger.info(
                    "%s %s %d",
                    scope["method"],
                    route,
                    status,
                    extra={"status": status, "duration_ms": round(seconds * 1000, 1)},
                )
            leave_request(token)

"""Mount observability on the app: request ids, access log, metrics, security headers and
rate limits, each as pure ASGI middleware (no BaseHTTPMiddleware: it costs throughput)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware import Middleware

from app.observability.metrics import Metrics
from app.observability.metrics_endpoint import router as metrics_router
from app.observability.rate_limit_counts import new_counts
from app.observability.rate_limits import RateLimitMiddleware
from app.observability.request_middleware import RequestMiddleware
from app.observability.security_headers import SecurityHeaders
from app.observability.unhandled_errors import UnhandledErrorMiddleware
from app.routing import add_routes
from app.settings import Settings

__all__ = ["install_observability"]


def install_observability(app: FastAPI, settings: Settings, metrics: Metrics) -> None:
    """Call last in create_app: the request layer and the rate limits go outside every other
    middleware, the unhandled-error layer inside all of them."""
    app.state.metrics = metrics
    add_routes(app, metrics_router)
    # Innermost: add_middleware puts a layer outside the others, so append directly.
    app.user_middleware.append(Middleware(UnhandledErrorMiddleware))
    if settings.rate_limits:
        counts = new_counts(settings.redis_url)
        app.add_middleware(RateLimitMiddleware, settings=settings, counts=counts)
        _close_on_shutdown(app, counts.aclose)
    app.add_middleware(
        RequestMiddleware,
        metrics=metrics,
        security_headers=SecurityHeaders(base_url=settings.base_url),
        trusted_proxies=settings.trusted_proxy_networks,
    )


def _close_on_shutdown(app: FastAPI, close: Callable[[], Any]) -> None:
    lifespan: Callable[[Any], AbstractAsyncContextManager[Any]] = app.router.lifespan_context

    @asynccontextmanager
    async def closing(application: Any) -> AsyncIterator[Any]:
        try:
            async with lifespan(application) as state:
                yield state
        finally:
            await close()

    app.router.lifespan_context = closing

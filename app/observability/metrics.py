"""Prometheus metrics of one app: request latency, report renders and webhook deliveries.

Each app has its own registry. With several worker processes, set PROMETHEUS_MULTIPROC_DIR
(an empty directory, the same for every worker, set before the service starts): each process
then writes its values there and /metrics adds up every process's. Labels carry route
templates, status classes and outcomes only, never a workspace's name or id.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

__all__ = ["MULTIPROCESS_ENV", "Metrics", "metrics_text"]

MULTIPROCESS_ENV = "PROMETHEUS_MULTIPROC_DIR"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_REQUEST_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_RENDER_BUCKETS = (0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0)


class Metrics:
    def __init__(self) -> None:
        # The *_created series (a timestamp per label set) only add noise; process-wide.
        disable_created_metrics()  # type: ignore[no-untyped-call]
        self.registry = CollectorRegistry(auto_describe=True)
        self.request_duration = Histogram(
            "opsmaturity_http_request_duration_seconds",
            "Time from request to the end of the response, by route template and status class",
            ("method", "route", "status_class"),
            buckets=_REQUEST_BUCKETS,
            registry=self.registry,
        )
        self.report_renders = Histogram(
            "opsmaturity_report_render_duration_seconds",
            "Reports served: from the report cache (cached) or rendered in a worker (fresh)",
            ("cache", "variant", "format"),
            buckets=_RENDER_BUCKETS,
            registry=self.registry,
        )
        self.webhook_deliveries = Counter(
            "opsmaturity_webhook_delivery_attempts",
            "Webhook delivery attempts by outcome (succeeded, retrying, failed, lost)",
            ("outcome",),
            registry=self.registry,
        )

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        self.request_duration.labels(
            method if method in _METHODS else "OTHER", route, f"{status // 100}xx"
        ).observe(seconds)

    def observe_report(self, *, cached: bool, variant: str, format: str, seconds: float) -> None:
        self.report_renders.labels("cached" if cached else "fresh", variant, format).observe(
            seconds
        )

    def count_delivery_attempt(self, outcome: str) -> None:
        self.webhook_deliveries.labels(outcome).inc()


def metrics_text(metrics: Metrics) -> bytes:
    """The exposition text: this process's metrics, or every worker's in multiprocess mode."""
    if os.environ.get(MULTIPROCESS_ENV):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(metrics.registry)

"""GET /metrics: the Prometheus text format, for the monitoring system only.

With OPSMATURITY_METRICS_TOKEN set, the caller must send `Authorization: Bearer <token>`.
Without it, only a client on this machine may read it, and only directly: a request that a
proxy forwarded (X-Forwarded-For, Forwarded) is refused, since a proxy on this machine would
otherwise make every visitor look local. The metrics name no workspace.
"""

from __future__ import annotations

import hmac
from ipaddress import ip_address

from fastapi import APIRouter, Request
from prometheus_client import CONTENT_TYPE_PLAIN_0_0_4
from starlette.concurrency import run_in_threadpool
from starlette.responses import Response

from app.observability.client_address import client_ip
from app.observability.metrics import Metrics, metrics_text
from app.problems import problem_response

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _is_loopback(address: str) -> bool:
    try:
        return ip_address(address).is_loopback
    except ValueError:
        return False


def _refusal(request: Request) -> Response | None:
    token = request.app.state.settings.metrics_token
    if token is not None:
        scheme, _, sent = request.headers.get("authorization", "").partition(" ")
        expected = token.get_secret_value().encode()
        if scheme.lower() == "bearer" and hmac.compare_digest(sent.strip().encode(), expected):
            return None
        return problem_response(
            request,
            status=401,
            title="Missing or wrong metrics token",
            detail="send Authorization: Bearer <OPSMATURITY_METRICS_TOKEN>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    forwarded = "x-forwarded-for" in request.headers or "forwarded" in request.headers
    if _is_loopback(client_ip(request)) and not forwarded:
        return None
    return problem_response(
        request,
        status=403,
        title="Metrics are for this machine only",
        detail="set OPSMATURITY_METRICS_TOKEN to read /metrics from elsewhere",
    )


@router.get("/metrics")
async def read_metrics(request: Request) -> Response:
    refusal = _refusal(request)
    if refusal is not None:
        return refusal
    metrics: Metrics = request.app.state.metrics
    # In multiprocess mode this reads every worker's file: off the event loop.
    text = await run_in_threadpool(metrics_text, metrics)
    return Response(text, media_type=CONTENT_TYPE_PLAIN_0_0_4)

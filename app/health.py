"""Liveness and readiness probes for load balancers and container health checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.persistence.engine import database_is_reachable

__all__ = ["router"]

router = APIRouter(tags=["health"])


@router.get("/healthz", summary="The process is alive")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    summary="The database is reachable and the questionnaire catalog is loaded",
    responses={503: {"description": "Not ready: see `checks`"}},
)
def readyz(request: Request) -> JSONResponse:
    catalog = getattr(request.app.state, "catalog", None)
    checks: dict[str, Any] = {
        "database": "ok" if database_is_reachable(request.app.state.engine) else "unreachable",
        "catalog": f"{len(catalog)} questionnaire(s)" if catalog else "not loaded",
    }
    ready = checks["database"] == "ok" and bool(catalog)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )

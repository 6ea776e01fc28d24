"""Liveness and readiness probes for load balancers and container health checks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from app.persistence.engine import database_is_reachable
from app.runtime import Runtime

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
    runtime: Runtime | None = getattr(request.app.state, "runtime", None)
    catalog = None if runtime is None else runtime.catalog
    reachable = runtime is not None and database_is_reachable(runtime.database.engine)
    checks: dict[str, Any] = {
        "database": "ok" if reachable else "unreachable",
        "catalog": f"{len(catalog)} questionnaire(s)" if catalog else "not loaded",
    }
    ready = checks["database"] == "ok" and bool(catalog)
    return JSONResponse(
        {"status": "ready" if ready else "not ready", "checks": checks},
        status_code=200 if ready else 503,
    )

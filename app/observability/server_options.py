"""What `opsmaturity serve` passes to uvicorn so that its logs and proxy handling match ours."""

from __future__ import annotations

from typing import Any

from app.observability.json_logs import logging_config
from app.settings import Settings

__all__ = ["uvicorn_options"]


def uvicorn_options(settings: Settings) -> dict[str, Any]:
    """Log lines as OPSMATURITY_LOG_FORMAT says (every worker applies the same config); no
    uvicorn access line, since the app logs one per request with its request id and route
    template; and no rewriting of the client address from proxy headers, which only
    OPSMATURITY_TRUSTED_PROXIES decides (app/observability/client_address.py)."""
    return {
        "log_config": logging_config(settings.log_format_in_use, settings.log_level),
        "log_level": settings.log_level,
        "access_log": False,
        "proxy_headers": False,
    }

"""Log lines as one JSON object each, and the logging configuration that `serve` hands uvicorn.

Every line carries the request it was logged in (request id, method, route template, workspace
id when known). Request paths are logged as their route template only, since invite links
carry their token in the path; headers, bodies and query strings are never logged.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any, Literal

from app.observability.request_context import current_request

__all__ = ["ACCESS_LOGGER", "JsonFormatter", "TextFormatter", "logging_config"]

ACCESS_LOGGER = "opsmaturity.access"
# Attributes a LogRecord has of its own; anything else came in through `extra=`.
_RECORD_ATTRIBUTES = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}
# uvicorn's own access line repeats the raw path (and with it an invite token): never logged.
_NEVER_LOGGED_EXTRAS = frozenset({"request_line", "client_addr"})


def _request_fields() -> dict[str, Any]:
    context = current_request()
    if context is None:
        return {}
    fields: dict[str, Any] = {
        "request_id": context.request_id,
        "method": context.method,
        "path": context.route,
    }
    workspace_id = context.known_workspace_id
    if workspace_id is not None:
        fields["workspace_id"] = workspace_id
    return fields


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, the request's fields, the record's extras, exception."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        line.update(_request_fields())
        for name, value in record.__dict__.items():
            if name not in _RECORD_ATTRIBUTES and name not in _NEVER_LOGGED_EXTRAS:
                line[name] = value
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    """For a terminal: time, level, logger and message, then the request id."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-7s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        context = current_request()
        return text if context is None else f"{text} [{context.request_id}]"


def logging_config(log_format: Literal["json", "text"], level: str = "info") -> dict[str, Any]:
    """A logging.config.dictConfig for the whole process, uvicorn's loggers included. uvicorn's
    access log is off: the app logs one access line per request itself (request_middleware)."""
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"default": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }

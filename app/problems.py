"""The one table from errors to RFC 9457 problem details (application/problem+json).

Services raise domain errors that know nothing of HTTP; this module alone decides the status
code, the problem type and the title, and names every offending field in `errors`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import psycopg
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException
from starlette.responses import Response

from app.catalog import UnknownQuestionnaireError
from app.json_schema import inline_json_schema
from app.observability.request_context import current_request
from app.routing import allowed_methods
from app.services.console_accounts import SignInThrottledError
from app.services.errors import (
    AssessmentStateError,
    AuthenticationError,
    ConflictError,
    FieldProblem,
    IdempotencyInProgressError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
    ResultsNotReadyError,
)
from app.services.respondent_access import InviteUnavailableError
from app.web.page_security import CsrfError
from scoring import AnswerError

__all__ = [
    "PROBLEM_MEDIA_TYPE",
    "ProblemDetails",
    "ProblemKind",
    "install_problem_handlers",
    "problem_for_error",
    "problem_kind",
    "problem_response",
    "problem_responses",
]

PROBLEM_MEDIA_TYPE = "application/problem+json"
# A database outage (PostgreSQL restarting or failing over, SQLite locked past its busy
# timeout, no pooled connection free in time) is the database's state, not the request's:
# answered 503 with Retry-After, never 500. Retrying the same request is safe. psycopg's own
# error reaches here from the event loop's connections (app/persistence/postgres_loop.py).
DATABASE_ERRORS = (OperationalError, PoolTimeoutError, psycopg.OperationalError)
DATABASE_RETRY_AFTER_S = 1

logger = logging.getLogger("opsmaturity.errors")


@dataclass(frozen=True, slots=True)
class ProblemKind:
    status: int
    slug: str
    title: str

    @property
    def type_uri(self) -> str:
        return f"urn:opsmaturity:problem:{self.slug}"


# Looked up along the exception's class hierarchy, so the most specific entry wins.
PROBLEM_TABLE: Mapping[type[Exception], ProblemKind] = {
    AuthenticationError: ProblemKind(
        401, "unauthenticated", "Missing, unknown or revoked credential"
    ),
    PermissionDeniedError: ProblemKind(403, "forbidden", "This credential may not do that"),
    NotFoundError: ProblemKind(404, "not-found", "No such resource in this workspace"),
    InviteUnavailableError: ProblemKind(404, "unknown-link", "This link does not work"),
    CsrfError: ProblemKind(403, "stale-form", "This form has expired"),
    SignInThrottledError: ProblemKind(429, "too-many-sign-ins", "Too many failed sign-ins"),
    UnknownQuestionnaireError: ProblemKind(404, "unknown-questionnaire", "No such questionnaire"),
    AssessmentStateError: ProblemKind(
        409, "assessment-state", "The assessment's status forbids this"
    ),
    ResultsNotReadyError: ProblemKind(409, "results-not-ready", "No respondent has submitted yet"),
    IdempotencyInProgressError: ProblemKind(
        409, "idempotency-in-progress", "A request with this Idempotency-Key is still running"
    ),
    ConflictError: ProblemKind(409, "conflict", "The request conflicts with the current state"),
    IntegrityError: ProblemKind(409, "conflict", "The request conflicts with the current state"),
    OperationalError: ProblemKind(
        503, "database-unavailable", "The database is unavailable for a moment"
    ),
    PoolTimeoutError: ProblemKind(
        503, "database-unavailable", "The database is unavailable for a moment"
    ),
    psycopg.OperationalError: ProblemKind(
        503, "database-unavailable", "The database is unavailable for a moment"
    ),
    IdempotencyKeyReusedError: ProblemKind(
        422, "idempotency-key-reused", "This Idempotency-Key was used for a different request"
    ),
    InvalidInputError: ProblemKind(422, "invalid-input", "The request has invalid fields"),
    AnswerError: ProblemKind(422, "invalid-answers", "Answers do not fit the questionnaire"),
    RequestValidationError: ProblemKind(422, "invalid-input", "The request has invalid fields"),
}


class _ProblemJSONResponse(JSONResponse):
    """Problem details that always render. A problem may echo what the request sent (a key, a
    value); should that ever hold an unpaired surrogate, it goes out as a JSON escape instead
    of failing to encode and turning a 4xx into a 500. The API refuses such text while parsing
    JSON (app/api/strict_json.py); this is the last line, not the rule."""

    def render(self, content: Any) -> bytes:
        text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return text.encode("utf-8", "backslashreplace")


class FieldError(BaseModel):
    field: str = Field(
        description="Dotted path of the offending field, e.g. `answers.plan_horizon`"
    )
    message: str
    respondent: str | None = None


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldError] = []


def problem_kind(error: Exception) -> ProblemKind | None:
    if isinstance(error, OperationalError) and not _database_unavailable(error):
        return None  # e.g. SQLite's "no such table": a fault, not an outage
    for cls in type(error).__mro__:
        kind = PROBLEM_TABLE.get(cls)
        if kind is not None:
            return kind
    return None


def problem_response(
    request: Request,
    *,
    status: int,
    title: str,
    type_uri: str = "about:blank",
    detail: str | None = None,
    errors: Sequence[FieldProblem] = (),
    headers: Mapping[str, str] | None = None,
    extensions: Mapping[str, Any] | None = None,
) -> JSONResponse:
    body: dict[str, Any] = {
        "type": type_uri,
        "title": title,
        "status": status,
        "instance": request.url.path,
        **(extensions or {}),
    }
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = [
            {"field": e.field, "message": e.message}
            | ({"respondent": e.respondent} if e.respondent else {})
            for e in errors
        ]
    return _ProblemJSONResponse(
        body, status, headers=dict(headers or {}), media_type=PROBLEM_MEDIA_TYPE
    )


def _field_problems(error: Exception) -> list[FieldProblem]:
    if isinstance(error, InvalidInputError):
        return list(error.problems)
    if isinstance(error, AnswerError):
        return [FieldProblem(p.field, p.message, p.respondent) for p in error.problems]
    if isinstance(error, RequestValidationError):
        return [_validation_problem(detail) for detail in error.errors()]
    return []


def _validation_problem(detail: Mapping[str, Any]) -> FieldProblem:
    if detail.get("type") == "json_invalid":  # the body as a whole; loc holds a position
        reason = (detail.get("ctx") or {}).get("error", "cannot be parsed")
        return FieldProblem("body", f"not valid JSON: {reason}")
    return FieldProblem(_location(detail.get("loc", ())), detail.get("msg", "invalid"))


def _location(loc: Sequence[Any]) -> str:
    """("body", "respondents", 0, "name") -> "respondents[0].name"; other sources keep their
    prefix, e.g. "query.limit"."""
    parts = list(loc)
    if parts and parts[0] == "body":
        parts = parts[1:]
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "body"


def _detail(error: Exception, kind: ProblemKind) -> str | None:
    if isinstance(error, InvalidInputError | AnswerError | RequestValidationError):
        count = len(_field_problems(error))
        return f"{count} field(s) invalid; see errors"
    if isinstance(error, DATABASE_ERRORS):
        return "retry in a moment; sending the same request again is safe"
    if isinstance(error, IntegrityError):
        return "another request changed the same data; retry or pick another value"
    return str(error) or kind.title


def problem_for_error(request: Request, error: Exception) -> JSONResponse:
    """The problem response for an error in the table (for code outside the exception
    handlers, such as middleware)."""
    kind = problem_kind(error)
    if kind is None:  # pragma: no cover - only called for table entries
        raise error
    headers = {"WWW-Authenticate": "Bearer"} if kind.status == 401 else None
    if isinstance(error, DATABASE_ERRORS):
        headers = {"Retry-After": str(DATABASE_RETRY_AFTER_S)}
    return problem_response(
        request,
        status=kind.status,
        title=kind.title,
        type_uri=kind.type_uri,
        detail=_detail(error, kind),
        errors=_field_problems(error),
        headers=headers,
    )


# status, title, detail -> the error page a browser sees instead of problem details.
PageErrorRenderer = Callable[[Request, int, str, str | None], Response]
_MACHINE_PATHS = ("/api/", "/healthz", "/readyz", "/openapi.json")


def install_problem_handlers(app: FastAPI, *, page_error: PageErrorRenderer | None = None) -> None:
    """Register the exception handlers that turn the table's errors into problem details, or
    into `page_error`'s page for requests outside the API."""

    def for_page(request: Request) -> bool:
        return page_error is not None and not request.url.path.startswith(_MACHINE_PATHS)

    async def handle_domain_error(request: Request, error: Exception) -> Response:
        kind = problem_kind(error)
        if kind is None:
            logger.error("unhandled database error", exc_info=error)
            return await handle_unexpected_error(request, error)
        if isinstance(error, DATABASE_ERRORS):
            _log_database_error(error)
        if page_error is not None and kind is not None and for_page(request):
            return page_error(request, kind.status, kind.title, _page_detail(error, kind))
        return problem_for_error(request, error)

    async def handle_http_exception(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        headers = dict(error.headers or {})
        if error.status_code == 405:  # RFC 9110: every method the resource has
            headers["Allow"] = allowed_methods(request)
        if page_error is not None and for_page(request):
            page = page_error(request, error.status_code, str(error.detail), None)
            if "Allow" in headers:
                page.headers["Allow"] = headers["Allow"]
            return page
        return problem_response(
            request, status=error.status_code, title=str(error.detail), headers=headers
        )

    async def handle_unexpected_error(request: Request, error: Exception) -> Response:
        if problem_kind(error) is not None:  # e.g. the database went away inside a middleware
            return await handle_domain_error(request, error)
        # Logged with its request id (app/observability); the caller learns that nothing it
        # saved was lost, and the request id to quote when reporting it.
        detail = "An unexpected error occurred; what was saved before is safe. Please retry."
        context = current_request()
        request_id = {} if context is None else {"request_id": context.request_id}
        if page_error is not None and for_page(request):
            if context is not None:
                detail += f" Reference: {context.request_id}"
            return page_error(request, 500, "Something went wrong", detail)
        return problem_response(
            request, status=500, title="Internal error", detail=detail, extensions=request_id
        )

    for error_type in PROBLEM_TABLE:
        app.add_exception_handler(error_type, handle_domain_error)
    app.add_exception_handler(HTTPException, handle_http_exception)
    app.add_exception_handler(Exception, handle_unexpected_error)


def _database_unavailable(error: OperationalError) -> bool:
    """Whether the database was away or busy, rather than the statement at fault. SQLite
    reports both as OperationalError; PostgreSQL's drivers keep it for the server's state."""
    if error.connection_invalidated:
        return True
    if isinstance(error.orig, sqlite3.Error):
        message = str(error.orig).lower()
        return "locked" in message or "busy" in message
    return True


def _log_database_error(error: Exception) -> None:
    """One line, without the statement and its parameters."""
    cause = getattr(error, "orig", None) or error
    first_line = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    logger.warning("database unavailable: %s: %s", type(cause).__name__, first_line)


def _page_detail(error: Exception, kind: ProblemKind) -> str | None:
    problems = _field_problems(error)
    if problems:
        return "; ".join(f"{p.field}: {p.message}" for p in problems)
    return _detail(error, kind)


_STATUS_DESCRIPTIONS = {
    400: "Malformed request",
    401: "Missing, unknown or revoked credential",
    403: "The credential may not do this",
    404: "No such resource in the caller's workspace",
    409: "The resource's state forbids this, or an Idempotency-Key request is still running",
    422: "Invalid fields, each named in `errors` (POST: also an Idempotency-Key reused with another body)",
    413: "The request body is larger than the server accepts (1 MiB unless configured)",
    429: "Too many requests for this credential or address; retry after `Retry-After` seconds",
    503: "The database is unavailable for a moment; retry after `Retry-After` seconds "
    "(sending the same request again is safe)",
}
# Every operation of the API can also answer these, whatever it does: its rate limit
# (app/observability/rate_limits.py) and a database outage (DATABASE_ERRORS).
_ANY_OPERATION = (429, 503)
_RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying",
        "schema": {"type": "integer"},
    }
}


_PROBLEM_SCHEMA = inline_json_schema(ProblemDetails)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for the problem statuses an endpoint can return, and
    for those that every operation can (429, 503)."""
    return {
        status: {
            "description": _STATUS_DESCRIPTIONS[status],
            "content": {PROBLEM_MEDIA_TYPE: {"schema": _PROBLEM_SCHEMA}},
            **({"headers": _RETRY_AFTER} if status in _ANY_OPERATION else {}),
        }
        for status in sorted({*statuses, *_ANY_OPERATION})
    }

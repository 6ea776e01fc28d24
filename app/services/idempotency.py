"""Idempotency-Key: a retried POST gets the first response back instead of acting twice.

A request first claims its key (a row without a response); when it succeeds, the response is
stored on the row. A retry with the same key and the same method, path and body gets the
stored response; with anything different it is refused. A claim abandoned by a crashed
worker expires after CLAIM_TIMEOUT.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import IdempotencyRecord
from app.repositories import idempotency as idempotency_rows
from app.services.errors import FieldProblem, IdempotencyInProgressError, IdempotencyKeyReusedError

__all__ = [
    "CLAIM_TIMEOUT",
    "IdempotentRequest",
    "StoredResponse",
    "claim_idempotency_key",
    "release_idempotency_key",
    "store_idempotent_response",
]

CLAIM_TIMEOUT = timedelta(minutes=5)
KEY_FIELD = "header.idempotency-key"


@dataclass(frozen=True, slots=True)
class IdempotentRequest:
    workspace_id: str
    key: str
    method: str
    path: str
    body_hash: str

    @classmethod
    def of(
        cls, *, workspace_id: str, key: str, method: str, path: str, body: bytes
    ) -> IdempotentRequest:
        return cls(workspace_id, key, method, path, hashlib.sha256(body).hexdigest())


@dataclass(frozen=True, slots=True)
class StoredResponse:
    status: int
    body: str
    media_type: str | None
    location: str | None


def claim_idempotency_key(
    *, session: Session, request: IdempotentRequest, now: datetime
) -> StoredResponse | None:
    """Claim the key for this request (None: go ahead), or return the stored response of the
    first request. Raises IdempotencyKeyReusedError for a different request with the same
    key, IdempotencyInProgressError while the first request still runs."""
    record = idempotency_rows.get_idempotency_record(
        session, workspace_id=request.workspace_id, key=request.key
    )
    if record is not None:
        if (record.method, record.path, record.body_hash) != (
            request.method,
            request.path,
            request.body_hash,
        ):
            raise IdempotencyKeyReusedError(
                [
                    FieldProblem(
                        KEY_FIELD,
                        f"already used for {record.method} {record.path} with another body; "
                        "use a new key for a new request",
                    )
                ]
            )
        if record.response_status is not None:
            return StoredResponse(
                record.response_status,
                record.response_body or "",
                record.response_media_type,
                record.response_location,
            )
        if now - record.created_at < CLAIM_TIMEOUT:
            raise IdempotencyInProgressError(
                "the first request with this Idempotency-Key has not finished; retry shortly"
            )
        record.created_at = now  # abandoned by a crashed worker: take it over
        session.add(record)
        session.flush()
        return None
    idempotency_rows.add_idempotency_record(
        session,
        IdempotencyRecord(
            workspace_id=request.workspace_id,
            key=request.key,
            method=request.method,
            path=request.path,
            body_hash=request.body_hash,
            created_at=now,
        ),
    )
    return None


def store_idempotent_response(
    *, session: Session, request: IdempotentRequest, response: StoredResponse
) -> None:
    record = idempotency_rows.get_idempotency_record(
        session, workspace_id=request.workspace_id, key=request.key
    )
    if record is None:  # pragma: no cover - the claim was made by this request
        return
    record.response_status = response.status
    record.response_body = response.body
    record.response_media_type = response.media_type
    record.response_location = response.location
    session.add(record)
    session.flush()


def release_idempotency_key(*, session: Session, request: IdempotentRequest) -> None:
    """Drop the claim of a request that failed, so that a retry runs it again."""
    idempotency_rows.delete_idempotency_record(
        session, workspace_id=request.workspace_id, key=request.key
    )

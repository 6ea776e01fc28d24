"""SQL for Idempotency-Key records."""

from __future__ import annotations

from sqlalchemy import delete
from sqlmodel import Session, col

from app.models import IdempotencyRecord

__all__ = ["add_idempotency_record", "delete_idempotency_record", "get_idempotency_record"]


def get_idempotency_record(
    session: Session, *, workspace_id: str, key: str
) -> IdempotencyRecord | None:
    return session.get(IdempotencyRecord, (workspace_id, key))


def add_idempotency_record(session: Session, record: IdempotencyRecord) -> None:
    session.add(record)
    session.flush()


def delete_idempotency_record(session: Session, *, workspace_id: str, key: str) -> None:
    session.execute(
        delete(IdempotencyRecord).where(
            col(IdempotencyRecord.workspace_id) == workspace_id, col(IdempotencyRecord.key) == key
        )
    )

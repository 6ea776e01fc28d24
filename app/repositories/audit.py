"""SQL for the audit trail of consultant actions."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.models import AuditEvent, utc_now

__all__ = ["record_audit_event"]


def record_audit_event(
    session: Session,
    *,
    workspace_id: str,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            workspace_id=workspace_id,
            actor=actor,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail or {},
            created_at=utc_now(),
        )
    )

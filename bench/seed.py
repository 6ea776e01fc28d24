"""Seeds a benchmark database: one workspace with its owner and an API key."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from app.services import admin

__all__ = ["create_bench_workspace"]


def create_bench_workspace(*, session: Session, name: str, now: datetime) -> tuple[str, str]:
    """The workspace id and a fresh API key (the key is shown only here)."""
    workspace, _ = admin.create_workspace(
        session=session,
        name=name,
        owner_email="bench@example.org",
        owner_name="Bench",
        owner_password="bench-password",
        now=now,
    )
    _, key = admin.create_api_key(session=session, workspace_id=workspace.id, name="bench", now=now)
    return workspace.id, key

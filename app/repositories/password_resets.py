"""SQL for password reset links (by the hash of their token)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import Session, col

from app.models import PasswordReset

__all__ = ["add_reset", "clear_resets", "get_reset"]


def add_reset(session: Session, reset: PasswordReset) -> None:
    session.add(reset)
    session.flush()


def get_reset(session: Session, *, token_hash: str) -> PasswordReset | None:
    return session.get(PasswordReset, token_hash)


def clear_resets(session: Session, *, user_id: str, now: datetime) -> None:
    """The user's earlier links (a new one replaces them) and every expired link."""
    session.execute(
        delete(PasswordReset)
        .where(col(PasswordReset.user_id) == user_id)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(PasswordReset)
        .where(col(PasswordReset.expires_at) < now)
        .execution_options(synchronize_session=False)
    )

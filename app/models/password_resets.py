"""Password resets asked for by e-mail: a random token sent to the account's address, of
which only the SHA-256 is kept; it works once, until it expires."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, utc_now

__all__ = ["PasswordReset"]


class PasswordReset(SQLModel, table=True):
    __tablename__ = "password_reset"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(
        max_length=40, foreign_key="user_account.id", ondelete="CASCADE", index=True
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

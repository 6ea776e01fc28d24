"""Tenancy tables: a workspace (a consulting firm or company), its users and its API keys."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["ApiKey", "User", "Workspace"]

DEFAULT_ANONYMITY_K = 3


class Workspace(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("ws"), primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    anonymity_k: int = Field(default=DEFAULT_ANONYMITY_K)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class User(SQLModel, table=True):
    # "user" is a reserved word in PostgreSQL; a plain name keeps hand-written SQL simple.
    __tablename__ = "user_account"

    id: str = Field(default_factory=lambda: new_id("usr"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    email: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    role: str = Field(default="owner", max_length=20)
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ApiKey(SQLModel, table=True):
    """Only the SHA-256 of the secret is stored; `prefix` is the visible part that names the key."""

    __tablename__ = "api_key"

    id: str = Field(default_factory=lambda: new_id("key"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    created_by_user_id: str | None = Field(
        max_length=40, default=None, foreign_key="user_account.id", ondelete="SET NULL"
    )
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=40, unique=True)
    secret_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UtcDateTime)

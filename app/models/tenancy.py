"""Tenancy tables: a workspace (a consulting firm or company), its users and its API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, LargeBinary
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = ["ApiKey", "LoginFailure", "User", "WebSession", "Workspace"]

DEFAULT_ANONYMITY_K = 3


class Workspace(SQLModel, table=True):
    id: str = Field(default_factory=lambda: new_id("ws"), primary_key=True, max_length=40)
    name: str = Field(max_length=200)
    anonymity_k: int = Field(default=DEFAULT_ANONYMITY_K)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    # Branding on reports and on the workspace's public pages (checked by app/reports/branding).
    brand_colour: str | None = Field(default=None, max_length=7)
    logo_media_type: str | None = Field(default=None, max_length=40)
    logo: bytes | None = Field(default=None, sa_type=LargeBinary)
    # The workspace's published self-assessment link, /s/<public_slug>; None: not published.
    public_slug: str | None = Field(default=None, max_length=60, unique=True)
    # The client that self-assessments taken through the workspace's link belong to.
    self_assessment_client_id: str | None = Field(default=None, max_length=40)


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


class WebSession(SQLModel, table=True):
    """A signed-in console user. The cookie holds a random token; only its SHA-256 is kept."""

    __tablename__ = "web_session"

    token_hash: str = Field(primary_key=True, max_length=64)
    user_id: str = Field(
        max_length=40, foreign_key="user_account.id", ondelete="CASCADE", index=True
    )
    workspace_id: str = Field(max_length=40, foreign_key="workspace.id", ondelete="CASCADE")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)


class LoginFailure(SQLModel, table=True):
    """A failed sign-in: which account was tried, from which client address, and when.

    Counted per (account, address) pair and per address to slow down password guessing
    (app/services/sign_in_throttle.py); kept in the database so that every worker counts the
    same failures. `account_key` is the SHA-256 of the account name as typed (normalised),
    so no typed text (an email, or a password typed into the email field) is stored.
    """

    __tablename__ = "login_failure"
    __table_args__ = (
        Index(None, "account_key", "address", "created_at"),
        Index(None, "address", "created_at"),
        Index(None, "created_at"),
    )

    id: str = Field(default_factory=lambda: new_id("lgf"), primary_key=True, max_length=40)
    account_key: str = Field(max_length=64)
    address: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)

"""Tenancy tables: a workspace (a consulting firm or company), its users and their memberships
(a role in each workspace), invitations of colleagues, and API keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, LargeBinary, Text, text
from sqlalchemy import false as sa_false
from sqlmodel import Field, SQLModel

from app.models.columns import UtcDateTime, new_id, utc_now

__all__ = [
    "MEMBER_ROLES",
    "ApiKey",
    "ColleagueInvitation",
    "LoginFailure",
    "User",
    "WebSession",
    "Workspace",
    "WorkspaceMember",
]

DEFAULT_ANONYMITY_K = 3
# owner: everything; consultant: runs assessments, clients, respondents and targets;
# viewer: reads (app/web/console/roles.py enforces them on every console route).
MEMBER_ROLES = ("owner", "consultant", "viewer")
_ROLE_CHECK = "role IN ('owner', 'consultant', 'viewer')"


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
    # Replies to the workspace's mail (invitations, reminders) go here; None: no Reply-To.
    mail_reply_to: str | None = Field(default=None, max_length=320)
    # The optional lead form of the public self-assessment, and the consent it asks for.
    lead_form_enabled: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})
    lead_consent_wording: str | None = Field(default=None, sa_type=Text)
    # IANA time zone name: reminder days and close dates are counted in it.
    time_zone: str = Field(
        default="UTC", max_length=64, sa_column_kwargs={"server_default": text("'UTC'")}
    )


class User(SQLModel, table=True):
    """One person: one email, one password, and a membership in each of their workspaces."""

    # "user" is a reserved word in PostgreSQL; a plain name keeps hand-written SQL simple.
    __tablename__ = "user_account"

    id: str = Field(default_factory=lambda: new_id("usr"), primary_key=True, max_length=40)
    email: str = Field(max_length=320, unique=True)
    name: str = Field(max_length=200)
    password_hash: str = Field(max_length=200)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    # The workspace the user last switched to: sign-in opens it while they still belong to it.
    last_workspace_id: str | None = Field(
        default=None, max_length=40, foreign_key="workspace.id", ondelete="SET NULL"
    )


class WorkspaceMember(SQLModel, table=True):
    """A user's membership of a workspace, with their role in it."""

    __tablename__ = "workspace_member"
    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="role"),)

    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", primary_key=True
    )
    user_id: str = Field(
        max_length=40,
        foreign_key="user_account.id",
        ondelete="CASCADE",
        primary_key=True,
        index=True,
    )
    role: str = Field(max_length=20)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)


class ColleagueInvitation(SQLModel, table=True):
    """An invitation to join a workspace with a role: the link carries a random token, of
    which only the SHA-256 is kept. Pending until it expires or is accepted (the row is then
    deleted); inviting the same email again replaces it."""

    __tablename__ = "colleague_invitation"
    __table_args__ = (CheckConstraint(_ROLE_CHECK, name="role"),)

    id: str = Field(default_factory=lambda: new_id("cin"), primary_key=True, max_length=40)
    workspace_id: str = Field(
        max_length=40, foreign_key="workspace.id", ondelete="CASCADE", index=True
    )
    email: str = Field(max_length=320)
    name: str = Field(default="", max_length=200)
    role: str = Field(max_length=20)
    token_hash: str = Field(max_length=64, unique=True)
    invited_by_user_id: str | None = Field(
        default=None, max_length=40, foreign_key="user_account.id", ondelete="SET NULL"
    )
    created_at: datetime = Field(default_factory=utc_now, sa_type=UtcDateTime)
    expires_at: datetime = Field(sa_type=UtcDateTime)


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
    """A signed-in console user in their active workspace (one they are a member of). The
    cookie holds a random token; only its SHA-256 is kept."""

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

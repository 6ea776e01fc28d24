"""SQL for workspaces, their users and API keys."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, or_, update
from sqlalchemy import select as select_columns  # more columns than sqlmodel's select takes
from sqlmodel import Session, col, select

from app.models import ApiKey, User, Workspace
from app.models.tables import table_of

__all__ = [
    "KeyCredentials",
    "add_api_key",
    "add_user",
    "add_workspace",
    "any_workspace_exists",
    "find_api_key_by_prefix",
    "find_published_workspace",
    "find_user_by_email",
    "get_api_key",
    "get_user",
    "get_workspace",
    "list_api_keys",
    "record_api_key_use",
]


def add_workspace(session: Session, workspace: Workspace) -> Workspace:
    session.add(workspace)
    session.flush()
    return workspace


def any_workspace_exists(session: Session) -> bool:
    return session.exec(select(Workspace.id).limit(1)).first() is not None


def find_published_workspace(session: Session, slug: str | None) -> Workspace | None:
    """The workspace publishing `slug`; None: the oldest workspace that publishes any."""
    statement = select(Workspace).where(col(Workspace.public_slug).is_not(None))
    if slug is not None:
        statement = statement.where(Workspace.public_slug == slug)
    return session.exec(statement.order_by(col(Workspace.created_at), col(Workspace.id))).first()


def get_workspace(session: Session, workspace_id: str) -> Workspace | None:
    return session.get(Workspace, workspace_id)


def add_user(session: Session, user: User) -> User:
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, user_id: str) -> User | None:
    return session.get(User, user_id)


def find_user_by_email(session: Session, email: str) -> User | None:
    return session.exec(select(User).where(User.email == email)).first()


def add_api_key(session: Session, api_key: ApiKey) -> ApiKey:
    session.add(api_key)
    session.flush()
    return api_key


@dataclass(frozen=True, slots=True)
class KeyCredentials:
    """What authentication needs of an API key; read without the ORM, on every request."""

    id: str
    workspace_id: str
    prefix: str
    secret_hash: str
    last_used_at: datetime | None
    revoked_at: datetime | None


# A plain Core statement, built once: this runs on every request, and skipping the ORM and
# the building of its SQL is most of its cost.
_API_KEY = table_of(ApiKey).c
_FIND_API_KEY = select_columns(
    _API_KEY.id,
    _API_KEY.workspace_id,
    _API_KEY.prefix,
    _API_KEY.secret_hash,
    _API_KEY.last_used_at,
    _API_KEY.revoked_at,
).where(_API_KEY.prefix == bindparam("prefix"))


def find_api_key_by_prefix(session: Session, prefix: str) -> KeyCredentials | None:
    row = session.connection().execute(_FIND_API_KEY, {"prefix": prefix}).first()
    return None if row is None else KeyCredentials(*row)


def get_api_key(session: Session, *, workspace_id: str, key_id_or_prefix: str) -> ApiKey | None:
    statement = select(ApiKey).where(
        ApiKey.workspace_id == workspace_id,
        or_(col(ApiKey.id) == key_id_or_prefix, col(ApiKey.prefix) == key_id_or_prefix),
    )
    return session.exec(statement).first()


def list_api_keys(session: Session, *, workspace_id: str) -> Sequence[ApiKey]:
    statement = (
        select(ApiKey)
        .where(ApiKey.workspace_id == workspace_id)
        .order_by(col(ApiKey.created_at), col(ApiKey.id))
    )
    return session.exec(statement).all()


def record_api_key_use(
    session: Session, *, key_id: str, now: datetime, stale_before: datetime
) -> None:
    """Set last_used_at unless another request already did so recently (one write a minute
    per key at most, so reads stay reads)."""
    session.execute(
        update(ApiKey)
        .where(
            col(ApiKey.id) == key_id,
            or_(col(ApiKey.last_used_at).is_(None), col(ApiKey.last_used_at) < stale_before),
        )
        .values(last_used_at=now)
    )

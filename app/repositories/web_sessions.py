"""SQL for console sign-in: sessions (by the hash of their cookie) and failed sign-ins (per
account and client address, app/services/sign_in_throttle.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.models import LoginFailure, User, WebSession, Workspace, WorkspaceMember

__all__ = [
    "SessionHolder",
    "add_login_failure",
    "add_web_session",
    "address_failure_at",
    "address_failures",
    "clear_login_failures",
    "delete_web_session",
    "delete_web_sessions_of",
    "find_session_holder",
    "pair_failures",
    "purge_login_failures",
    "switch_web_session",
]


@dataclass(frozen=True, slots=True)
class SessionHolder:
    """Who a session belongs to, in which of their workspaces (the session's), with which
    role there; `workspaces`: (id, name) of every workspace they belong to, for switching."""

    user_id: str
    workspace_id: str
    email: str
    name: str
    workspace_name: str
    role: str
    workspaces: tuple[tuple[str, str], ...] = ()


def add_web_session(session: Session, web_session: WebSession) -> None:
    session.add(web_session)
    session.flush()


def find_session_holder(
    session: Session, *, token_hash: str, now: datetime
) -> SessionHolder | None:
    """The holder of a live session; None when it expired, or its user no longer belongs to
    the session's workspace."""
    statement = (
        select_columns(
            col(User.id),
            col(WebSession.workspace_id),
            col(User.email),
            col(User.name),
            col(Workspace.name),
            col(WorkspaceMember.role),
        )
        .join(WebSession, col(WebSession.user_id) == User.id)
        .join(
            WorkspaceMember,
            (col(WorkspaceMember.user_id) == User.id)
            & (col(WorkspaceMember.workspace_id) == WebSession.workspace_id),
        )
        .join(Workspace, col(Workspace.id) == WebSession.workspace_id)
        .where(col(WebSession.token_hash) == token_hash, col(WebSession.expires_at) > now)
    )
    row = session.connection().execute(statement).first()
    if row is None:
        return None
    workspaces = (
        select_columns(col(Workspace.id), col(Workspace.name))
        .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == Workspace.id)
        .where(col(WorkspaceMember.user_id) == row[0])
        .order_by(col(WorkspaceMember.created_at), col(Workspace.id))
    )
    choices = tuple((w[0], w[1]) for w in session.connection().execute(workspaces))
    return SessionHolder(*row, workspaces=choices)


def switch_web_session(session: Session, *, token_hash: str, workspace_id: str) -> None:
    session.exec(
        update(WebSession)
        .where(col(WebSession.token_hash) == token_hash)
        .values(workspace_id=workspace_id)
    )


def delete_web_session(session: Session, *, token_hash: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.token_hash) == token_hash))


def delete_web_sessions_of(session: Session, *, user_id: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user_id))


def pair_failures(
    session: Session, *, account_key: str, address: str, since: datetime
) -> tuple[int, datetime | None]:
    """How many sign-ins failed for this account from this address since `since`, and when
    the last of them did."""
    statement = select(func.count(), func.max(LoginFailure.created_at)).where(
        col(LoginFailure.account_key) == account_key,
        col(LoginFailure.address) == address,
        col(LoginFailure.created_at) > since,
    )
    count, last = session.exec(statement).one()
    return int(count), last


def address_failures(session: Session, *, address: str, since: datetime) -> int:
    """How many sign-ins failed from this address since `since`, over all accounts."""
    statement = select(func.count()).where(
        col(LoginFailure.address) == address, col(LoginFailure.created_at) > since
    )
    return int(session.exec(statement).one())


def address_failure_at(
    session: Session, *, address: str, since: datetime, position: int
) -> datetime | None:
    """When the failure at `position` (0: the oldest) from this address since `since` was."""
    statement = (
        select(LoginFailure.created_at)
        .where(col(LoginFailure.address) == address, col(LoginFailure.created_at) > since)
        .order_by(col(LoginFailure.created_at))
        .offset(position)
        .limit(1)
    )
    return session.exec(statement).first()


def add_login_failure(session: Session, *, account_key: str, address: str, now: datetime) -> None:
    session.add(LoginFailure(account_key=account_key, address=address, created_at=now))
    session.flush()


def clear_login_failures(session: Session, *, account_key: str, address: str | None) -> None:
    """Forget the failures of one account from one address, or from every address (None)."""
    statement = delete(LoginFailure).where(col(LoginFailure.account_key) == account_key)
    if address is not None:
        statement = statement.where(col(LoginFailure.address) == address)
    session.exec(statement)


def purge_login_failures(session: Session, *, before: datetime) -> None:
    session.exec(delete(LoginFailure).where(col(LoginFailure.created_at) < before))

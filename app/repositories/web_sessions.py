"""SQL for console sign-in: sessions (by the hash of their cookie) and failed sign-ins."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.models import LoginFailure, User, WebSession, Workspace

__all__ = [
    "SessionHolder",
    "add_login_failures",
    "add_web_session",
    "clear_login_failures",
    "count_login_failures",
    "delete_web_session",
    "delete_web_sessions_of",
    "find_session_holder",
]


@dataclass(frozen=True, slots=True)
class SessionHolder:
    user_id: str
    workspace_id: str
    email: str
    name: str
    workspace_name: str


def add_web_session(session: Session, web_session: WebSession) -> None:
    session.add(web_session)
    session.flush()


def find_session_holder(
    session: Session, *, token_hash: str, now: datetime
) -> SessionHolder | None:
    statement = (
        select_columns(
            col(User.id),
            col(User.workspace_id),
            col(User.email),
            col(User.name),
            col(Workspace.name),
        )
        .join(WebSession, col(WebSession.user_id) == User.id)
        .join(Workspace, col(Workspace.id) == User.workspace_id)
        .where(col(WebSession.token_hash) == token_hash, col(WebSession.expires_at) > now)
    )
    row = session.connection().execute(statement).first()
    return None if row is None else SessionHolder(*row)


def delete_web_session(session: Session, *, token_hash: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.token_hash) == token_hash))


def delete_web_sessions_of(session: Session, *, user_id: str) -> None:
    session.exec(delete(WebSession).where(col(WebSession.user_id) == user_id))


def count_login_failures(session: Session, *, subject: str, since: datetime) -> int:
    statement = select(func.count()).where(
        LoginFailure.subject == subject, LoginFailure.created_at > since
    )
    return int(session.exec(statement).one())


def add_login_failures(session: Session, subjects: Iterable[str], *, now: datetime) -> None:
    session.add_all(LoginFailure(subject=subject, created_at=now) for subject in subjects)
    session.flush()


def clear_login_failures(session: Session, *, subject: str) -> None:
    session.exec(delete(LoginFailure).where(col(LoginFailure.subject) == subject))

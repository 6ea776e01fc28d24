"""SQL for workspace memberships (a user's role in a workspace) and colleague invitations."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.models import ColleagueInvitation, User, WebSession, Workspace, WorkspaceMember

__all__ = [
    "MemberRow",
    "add_invitation",
    "add_membership",
    "count_owners",
    "delete_invitation",
    "delete_invitations_to",
    "delete_membership",
    "end_sessions_in",
    "find_invitation_by_token_hash",
    "get_invitation",
    "get_membership",
    "list_invitations",
    "list_members",
    "memberships_of",
    "remember_workspace",
]


@dataclass(frozen=True, slots=True)
class MemberRow:
    user_id: str
    name: str
    email: str
    role: str
    joined_at: datetime


def add_membership(session: Session, membership: WorkspaceMember) -> WorkspaceMember:
    session.add(membership)
    session.flush()
    return membership


def get_membership(session: Session, *, workspace_id: str, user_id: str) -> WorkspaceMember | None:
    return session.get(WorkspaceMember, (workspace_id, user_id))


def delete_membership(session: Session, *, workspace_id: str, user_id: str) -> None:
    session.exec(
        delete(WorkspaceMember).where(
            col(WorkspaceMember.workspace_id) == workspace_id,
            col(WorkspaceMember.user_id) == user_id,
        )
    )


def memberships_of(session: Session, *, user_id: str) -> list[tuple[str, str, str]]:
    """(workspace id, workspace name, role) of each of the user's workspaces, oldest
    membership first."""
    statement = (
        select_columns(col(Workspace.id), col(Workspace.name), col(WorkspaceMember.role))
        .join(WorkspaceMember, col(WorkspaceMember.workspace_id) == Workspace.id)
        .where(col(WorkspaceMember.user_id) == user_id)
        .order_by(col(WorkspaceMember.created_at), col(Workspace.id))
    )
    return [(row[0], row[1], row[2]) for row in session.connection().execute(statement)]


def list_members(session: Session, *, workspace_id: str) -> list[MemberRow]:
    statement = (
        select_columns(
            col(User.id),
            col(User.name),
            col(User.email),
            col(WorkspaceMember.role),
            col(WorkspaceMember.created_at),
        )
        .join(WorkspaceMember, col(WorkspaceMember.user_id) == User.id)
        .where(col(WorkspaceMember.workspace_id) == workspace_id)
        .order_by(col(WorkspaceMember.created_at), col(User.id))
    )
    return [MemberRow(*row) for row in session.connection().execute(statement)]


def count_owners(session: Session, *, workspace_id: str) -> int:
    statement = select(func.count()).where(
        col(WorkspaceMember.workspace_id) == workspace_id, col(WorkspaceMember.role) == "owner"
    )
    return int(session.exec(statement).one())


def end_sessions_in(session: Session, *, workspace_id: str, user_id: str) -> None:
    """Sign the user out of this workspace: their sessions in other workspaces stay."""
    session.exec(
        delete(WebSession).where(
            col(WebSession.workspace_id) == workspace_id, col(WebSession.user_id) == user_id
        )
    )


def remember_workspace(session: Session, *, user_id: str, workspace_id: str) -> None:
    session.exec(update(User).where(col(User.id) == user_id).values(last_workspace_id=workspace_id))


def add_invitation(session: Session, invitation: ColleagueInvitation) -> ColleagueInvitation:
    session.add(invitation)
    session.flush()
    return invitation


def get_invitation(
    session: Session, *, workspace_id: str, invitation_id: str
) -> ColleagueInvitation | None:
    statement = select(ColleagueInvitation).where(
        ColleagueInvitation.workspace_id == workspace_id, ColleagueInvitation.id == invitation_id
    )
    return session.exec(statement).first()


def find_invitation_by_token_hash(session: Session, token_hash: str) -> ColleagueInvitation | None:
    statement = select(ColleagueInvitation).where(ColleagueInvitation.token_hash == token_hash)
    return session.exec(statement).first()


def list_invitations(session: Session, *, workspace_id: str) -> Sequence[ColleagueInvitation]:
    statement = (
        select(ColleagueInvitation)
        .where(ColleagueInvitation.workspace_id == workspace_id)
        .order_by(col(ColleagueInvitation.created_at), col(ColleagueInvitation.id))
    )
    return session.exec(statement).all()


def delete_invitation(session: Session, *, invitation_id: str) -> None:
    session.exec(delete(ColleagueInvitation).where(col(ColleagueInvitation.id) == invitation_id))


def delete_invitations_to(session: Session, *, workspace_id: str, email: str) -> None:
    session.exec(
        delete(ColleagueInvitation).where(
            col(ColleagueInvitation.workspace_id) == workspace_id,
            col(ColleagueInvitation.email) == email,
        )
    )

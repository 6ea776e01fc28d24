"""Colleagues of a workspace: its members with their roles, inviting a colleague by email,
changing a role, removing a colleague, and accepting an invitation.

An invitation is a random token in a link (/console/join/<token>); only its SHA-256 is kept.
It works once, for INVITATION_LIFETIME; inviting the same email again replaces it. A person
with an account (the invited email) accepts with it; a new person chooses a name and a
password. A workspace always keeps an owner: its last owner can be neither removed nor
demoted. Removing a colleague ends their sessions in the workspace at once.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import MEMBER_ROLES, ColleagueInvitation, User, WorkspaceMember
from app.repositories import audit
from app.repositories import members as member_rows
from app.repositories import workspaces as workspace_rows
from app.repositories.members import MemberRow
from app.services import sign_in_throttle as throttle
from app.services.credentials import hash_password, hash_secret, password_matches
from app.services.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from app.services.mail_outbox import MailSender, queue_mail
from app.services.webhook_events import record_event
from app.text_rules import text_problem

__all__ = [
    "INVITATION_LIFETIME",
    "ROLE_MEANINGS",
    "Colleagues",
    "InvitationUnavailableError",
    "JoinInvitation",
    "NewInvitation",
    "accept_invitation",
    "cancel_invitation",
    "change_role",
    "colleagues_of",
    "invitation_to_join",
    "invite_colleague",
    "join_with_new_account",
    "join_with_password",
    "record_member_added",
    "remove_colleague",
]

INVITATION_LIFETIME = timedelta(days=7)
COLLEAGUE_TOKEN_MARKER = "om_col_"  # noqa: S105 - a marker, not a secret
ROLE_MEANINGS = {
    "owner": "Owners run everything, including branding, API keys, webhooks and colleagues.",
    "consultant": "Consultants run assessments, clients, respondents and targets.",
    "viewer": "Viewers read assessments and results, and change nothing.",
}
_ROLE_PHRASES = {"owner": "an owner", "consultant": "a consultant", "viewer": "a viewer"}
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_MAX_NAME = 200


class InvitationUnavailableError(NotFoundError):
    """No pending invitation has this token: unknown, expired, or used already."""

    def __init__(self) -> None:
        super().__init__("invitation", "link")


@dataclass(frozen=True, slots=True)
class Colleagues:
    members: list[MemberRow]
    invitations: Sequence[ColleagueInvitation]
    owner_count: int


@dataclass(frozen=True, slots=True)
class NewInvitation:
    """`token` is shown once (and mailed); only its hash is stored."""

    invitation: ColleagueInvitation
    token: str


@dataclass(frozen=True, slots=True)
class JoinInvitation:
    """What the join page shows of a pending invitation."""

    workspace_id: str
    workspace_name: str
    email: str
    name: str
    role: str
    account_exists: bool


def colleagues_of(*, session: Session, workspace_id: str) -> Colleagues:
    """The workspace's members (oldest first) and its invitations, pending or expired."""
    return Colleagues(
        members=member_rows.list_members(session, workspace_id=workspace_id),
        invitations=member_rows.list_invitations(session, workspace_id=workspace_id),
        owner_count=member_rows.count_owners(session, workspace_id=workspace_id),
    )


def invite_colleague(
    *,
    session: Session,
    sender: MailSender,
    workspace_id: str,
    inviter: str,
    inviter_user_id: str,
    actor: str,
    email: str,
    name: str,
    role: str,
    now: datetime,
) -> NewInvitation:
    """Invite `email` to the workspace with `role`, replacing a pending invitation to the
    same email, and queue the invitation email. Refused for a member of the workspace."""
    email = email.strip().lower()
    name = name.strip()
    problems = _invitation_problems(email, name, role)
    if problems:
        raise InvalidInputError(problems)
    user = workspace_rows.find_user_by_email(session, email)
    if user is not None and member_rows.get_membership(
        session, workspace_id=workspace_id, user_id=user.id
    ):
        raise InvalidInputError([FieldProblem("email", "is a member of this workspace already")])
    member_rows.delete_invitations_to(session, workspace_id=workspace_id, email=email)
    token = COLLEAGUE_TOKEN_MARKER + secrets.token_urlsafe(32)
    invitation = member_rows.add_invitation(
        session,
        ColleagueInvitation(
            workspace_id=workspace_id,
            email=email,
            name=name,
            role=role,
            token_hash=hash_secret(token),
            invited_by_user_id=inviter_user_id,
            created_at=now,
            expires_at=now + INVITATION_LIFETIME,
        ),
    )
    queue_mail(
        session=session,
        sender=sender,
        workspace_id=workspace_id,
        to_address=email,
        to_name=name,
        template="colleague_invite",
        context={
            "token": token,
            "inviter_name": inviter,
            "invitee_name": name,
            "role_phrase": _ROLE_PHRASES[role],
            "role_means": ROLE_MEANINGS[role],
            "expires_on": invitation.expires_at.strftime("%d %B %Y"),
        },
        now=now,
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="colleague.invited",
        subject_type="colleague_invitation",
        subject_id=invitation.id,
        detail={"email": email, "role": role},
    )
    return NewInvitation(invitation, token)


def cancel_invitation(
    *, session: Session, workspace_id: str, actor: str, invitation_id: str
) -> None:
    invitation = member_rows.get_invitation(
        session, workspace_id=workspace_id, invitation_id=invitation_id
    )
    if invitation is None:
        raise NotFoundError("invitation", invitation_id)
    member_rows.delete_invitation(session, invitation_id=invitation.id)
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="colleague.invitation_cancelled",
        subject_type="colleague_invitation",
        subject_id=invitation.id,
        detail={"email": invitation.email},
    )


def change_role(
    *, session: Session, workspace_id: str, actor: str, user_id: str, role: str
) -> None:
    """Give a member another role; it applies to their next request. The last owner keeps
    theirs."""
    if role not in MEMBER_ROLES:
        raise InvalidInputError([FieldProblem("role", _ROLE_CHOICE)])
    membership = _membership(session, workspace_id, user_id)
    if membership.role == role:
        return
    if membership.role == "owner":
        _refuse_last_owner(session, workspace_id, "give the workspace another owner first")
    old = membership.role
    membership.role = role
    session.add(membership)
    session.flush()
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="member.role_changed",
        subject_type="user",
        subject_id=user_id,
        detail={"from": old, "to": role},
    )


def remove_colleague(*, session: Session, workspace_id: str, actor: str, user_id: str) -> None:
    """Take a member out of the workspace and end their sessions in it at once; their account
    and their other workspaces stay. The last owner cannot be removed."""
    membership = _membership(session, workspace_id, user_id)
    if membership.role == "owner":
        _refuse_last_owner(session, workspace_id, "give the workspace another owner first")
    member_rows.delete_membership(session, workspace_id=workspace_id, user_id=user_id)
    member_rows.end_sessions_in(session, workspace_id=workspace_id, user_id=user_id)
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="member.removed",
        subject_type="user",
        subject_id=user_id,
        detail={"role": membership.role},
    )


def invitation_to_join(*, session: Session, token: str, now: datetime) -> JoinInvitation:
    """The pending invitation of a join link; InvitationUnavailableError otherwise."""
    invitation = _pending(session, token, now)
    workspace = workspace_rows.get_workspace(session, invitation.workspace_id)
    account = workspace_rows.find_user_by_email(session, invitation.email)
    return JoinInvitation(
        workspace_id=invitation.workspace_id,
        workspace_name="" if workspace is None else workspace.name,
        email=invitation.email,
        name=invitation.name,
        role=invitation.role,
        account_exists=account is not None,
    )


def accept_invitation(*, session: Session, token: str, user_id: str, now: datetime) -> str:
    """The signed-in user `user_id` accepts: they must hold the invited email. The id of the
    workspace joined."""
    invitation = _pending(session, token, now)
    user = workspace_rows.get_user(session, user_id)
    if user is None or user.email != invitation.email:
        raise ConflictError(
            f"this invitation is for {invitation.email}: sign in with that email to accept it"
        )
    _join(session, invitation, user, now)
    return invitation.workspace_id


def join_with_password(
    *, session: Session, token: str, password: str, address: str, now: datetime
) -> str | None:
    """A person with an account for the invited email accepts with its password, as when
    signing in (failures are counted the same way, so the caller must commit). The user's
    id, or None for a wrong password. SignInThrottledError while sign-ins are paused."""
    invitation = _pending(session, token, now)
    throttle.refuse_if_paused(session=session, account=invitation.email, address=address, now=now)
    user = workspace_rows.find_user_by_email(session, invitation.email)
    if user is None or not password_matches(password, user.password_hash):
        throttle.record_failure(session=session, account=invitation.email, address=address, now=now)
        return None
    throttle.record_success(session=session, account=invitation.email, address=address)
    _join(session, invitation, user, now)
    return user.id


def join_with_new_account(
    *, session: Session, token: str, name: str, password: str, now: datetime
) -> str:
    """A person without an account accepts: a new account for the invited email, with
    `name` and `password`. The new user's id (the caller signs them in)."""
    from app.services.console_accounts import MIN_PASSWORD_LENGTH

    invitation = _pending(session, token, now)
    if workspace_rows.find_user_by_email(session, invitation.email) is not None:
        raise ConflictError("an account with this email exists: sign in to accept")
    name = name.strip()
    problems = []
    if not name:
        problems.append(FieldProblem("name", "enter your name"))
    elif len(name) > _MAX_NAME or text_problem(name):
        problems.append(FieldProblem("name", text_problem(name) or "use a shorter name"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", f"use at least {MIN_PASSWORD_LENGTH} characters"))
    if problems:
        raise InvalidInputError(problems)
    user = workspace_rows.add_user(
        session,
        User(
            email=invitation.email, name=name, password_hash=hash_password(password), created_at=now
        ),
    )
    _join(session, invitation, user, now)
    return user.id


_ROLE_CHOICE = "choose owner, consultant or viewer"


def _invitation_problems(email: str, name: str, role: str) -> list[FieldProblem]:
    problems = []
    if not _EMAIL.fullmatch(email) or len(email) > 320:
        problems.append(FieldProblem("email", "enter an email address like name@example.com"))
    if role not in MEMBER_ROLES:
        problems.append(FieldProblem("role", _ROLE_CHOICE))
    if len(name) > _MAX_NAME:
        problems.append(FieldProblem("name", f"use at most {_MAX_NAME} characters"))
    elif text_problem(name):
        problems.append(FieldProblem("name", text_problem(name) or ""))
    return problems


def _pending(session: Session, token: str, now: datetime) -> ColleagueInvitation:
    invitation = member_rows.find_invitation_by_token_hash(session, hash_secret(token))
    if invitation is None or invitation.expires_at <= now:
        raise InvitationUnavailableError()
    return invitation


def _join(session: Session, invitation: ColleagueInvitation, user: User, now: datetime) -> None:
    """Use up the invitation and make the user a member; their next sign-in opens the
    workspace joined."""
    member_rows.delete_invitation(session, invitation_id=invitation.id)
    member_rows.remember_workspace(session, user_id=user.id, workspace_id=invitation.workspace_id)
    if member_rows.get_membership(session, workspace_id=invitation.workspace_id, user_id=user.id):
        return  # a member already (added another way meanwhile): the link is used up
    member_rows.add_membership(
        session,
        WorkspaceMember(
            workspace_id=invitation.workspace_id,
            user_id=user.id,
            role=invitation.role,
            created_at=now,
        ),
    )
    audit.record_audit_event(
        session,
        workspace_id=invitation.workspace_id,
        actor=f"user:{user.id}",
        action="member.joined",
        subject_type="user",
        subject_id=user.id,
        detail={"role": invitation.role, "invitation_id": invitation.id},
    )
    record_member_added(
        session=session,
        workspace_id=invitation.workspace_id,
        user=user,
        role=invitation.role,
        now=now,
    )


def record_member_added(
    *, session: Session, workspace_id: str, user: User, role: str, now: datetime
) -> None:
    """The `workspace.member_added` webhook event (docs/webhooks.md)."""
    record_event(
        session=session,
        workspace_id=workspace_id,
        event_type="workspace.member_added",
        data={
            "workspace_id": workspace_id,
            "user_id": user.id,
            "name": user.name,
            "email": user.email,
            "role": role,
            "joined_at": now,
        },
        now=now,
    )


def _membership(session: Session, workspace_id: str, user_id: str) -> WorkspaceMember:
    membership = member_rows.get_membership(session, workspace_id=workspace_id, user_id=user_id)
    if membership is None:
        raise NotFoundError("colleague", user_id)
    return membership


def _refuse_last_owner(session: Session, workspace_id: str, advice: str) -> None:
    if member_rows.count_owners(session, workspace_id=workspace_id) <= 1:
        raise ConflictError(f"this is the workspace's last owner: {advice}")

"""Console accounts: the first-run setup, signing in and out, who a session belongs to, and
switching the session to another of the user's workspaces.

A session is a random token in an HttpOnly cookie; the database keeps its SHA-256 only.
Failed sign-ins slow down the guessing of one email from one client address, with a high
ceiling per address, in the database so every worker refuses the same guesses
(app/services/sign_in_throttle.py).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import WebSession
from app.repositories import audit
from app.repositories import members as member_rows
from app.repositories import web_sessions as session_rows
from app.repositories import workspaces as workspace_rows
from app.repositories.web_sessions import SessionHolder
from app.services import admin
from app.services import sign_in_throttle as throttle
from app.services.credentials import hash_password, hash_secret, password_matches
from app.services.errors import (
    ConflictError,
    DomainError,
    FieldProblem,
    InvalidInputError,
    NotFoundError,
)
from app.services.sign_in_throttle import SignInThrottledError
from app.text_rules import text_field_problems

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "NewWebSession",
    "NoWorkspaceError",
    "SessionHolder",
    "SignInThrottledError",
    "console_user_for",
    "installation_is_set_up",
    "reset_password",
    "set_up_first_workspace",
    "sign_in",
    "sign_out",
    "start_session",
    "switch_workspace",
]

SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


class NoWorkspaceError(ConflictError):
    """The email and password are right, but the user belongs to no workspace any more."""


@dataclass(frozen=True, slots=True)
class NewWebSession:
    """`token` goes into the cookie and is never stored."""

    token: str
    holder: SessionHolder
    expires_at: datetime


def installation_is_set_up(*, session: Session) -> bool:
    """Whether any workspace exists: until then the console offers the first-run setup."""
    return workspace_rows.any_workspace_exists(session)


def set_up_first_workspace(
    *,
    session: Session,
    workspace_name: str,
    owner_name: str,
    email: str,
    password: str,
    now: datetime,
) -> NewWebSession:
    """Create the first workspace and its owner, and sign the owner in. Refused once any
    workspace exists: later users are added by their workspace."""
    if installation_is_set_up(session=session):
        raise ConflictError("this installation is set up already; sign in instead")
    problems = _account_problems(workspace_name, owner_name, email, password)
    if problems:
        raise InvalidInputError(problems)
    workspace, owner = admin.create_workspace(
        session=session,
        name=workspace_name.strip(),
        owner_email=email,
        owner_name=owner_name.strip(),
        owner_password=password,
        now=now,
    )
    holder = SessionHolder(owner.id, workspace.id, owner.email, owner.name, workspace.name, "owner")
    return _new_session(session, holder, now)


def sign_in(
    *, session: Session, email: str, password: str, address: str, now: datetime
) -> NewWebSession | None:
    """A new session in the user's last used workspace (else their first), or None when the
    email or password is wrong (the failure is recorded, so the caller must commit).
    SignInThrottledError while this email is paused at this address, or the address is
    (sign_in_throttle): the password is not checked then. NoWorkspaceError when the user
    belongs to no workspace."""
    email = email.strip().lower()
    throttle.refuse_if_paused(session=session, account=email, address=address, now=now)
    user = workspace_rows.find_user_by_email(session, email)
    if not password_matches(password, None if user is None else user.password_hash) or user is None:
        throttle.record_failure(session=session, account=email, address=address, now=now)
        return None
    throttle.record_success(session=session, account=email, address=address)
    return start_session(session=session, user_id=user.id, now=now)


def start_session(*, session: Session, user_id: str, now: datetime) -> NewWebSession:
    """Sign a user in (their password or an accepted invitation checked by the caller), in
    their last used workspace, else the first they joined."""
    user = workspace_rows.get_user(session, user_id)
    memberships = member_rows.memberships_of(session, user_id=user_id)
    if user is None or not memberships:
        raise NoWorkspaceError(
            "your account belongs to no workspace any more; ask a workspace owner to invite "
            "you again"
        )
    chosen = next((m for m in memberships if m[0] == user.last_workspace_id), memberships[0])
    workspace_id, workspace_name, role = chosen
    holder = SessionHolder(user.id, workspace_id, user.email, user.name, workspace_name, role)
    return _new_session(session, holder, now)


def switch_workspace(*, session: Session, token: str, user_id: str, workspace_id: str) -> None:
    """Move the session to another of the user's workspaces, and remember it for the next
    sign-in. NotFoundError for a workspace the user does not belong to."""
    if member_rows.get_membership(session, workspace_id=workspace_id, user_id=user_id) is None:
        raise NotFoundError("workspace", workspace_id)
    session_rows.switch_web_session(
        session, token_hash=hash_secret(token), workspace_id=workspace_id
    )
    member_rows.remember_workspace(session, user_id=user_id, workspace_id=workspace_id)


def reset_password(
    *, session: Session, email: str, new_password: str, actor: str = admin.CLI_ACTOR
) -> str:
    """Give a console user a new password (an administrator's act from the CLI, or the user's
    own through a reset link, app/services/password_reset.py): every session of theirs ends,
    and failed sign-ins counted against their email are forgotten. The user's id."""
    email = email.strip().lower()
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise InvalidInputError(
            [FieldProblem("password", f"use at least {MIN_PASSWORD_LENGTH} characters")]
        )
    user = workspace_rows.find_user_by_email(session, email)
    if user is None:
        raise DomainError(f"no console user with email {email}")
    user.password_hash = hash_password(new_password)
    session.add(user)
    session_rows.delete_web_sessions_of(session, user_id=user.id)
    throttle.forget_account(session=session, account=email)
    for workspace_id, _, _ in member_rows.memberships_of(session, user_id=user.id):
        audit.record_audit_event(
            session,
            workspace_id=workspace_id,
            actor=actor,
            action="user.password_reset",
            subject_type="user",
            subject_id=user.id,
            detail={},
        )
    return user.id


def console_user_for(*, session: Session, token: str, now: datetime) -> SessionHolder | None:
    return session_rows.find_session_holder(session, token_hash=hash_secret(token), now=now)


def sign_out(*, session: Session, token: str) -> None:
    session_rows.delete_web_session(session, token_hash=hash_secret(token))


def _new_session(session: Session, holder: SessionHolder, now: datetime) -> NewWebSession:
    token = secrets.token_urlsafe(32)
    expires_at = now + SESSION_LIFETIME
    session_rows.add_web_session(
        session,
        WebSession(
            token_hash=hash_secret(token),
            user_id=holder.user_id,
            workspace_id=holder.workspace_id,
            created_at=now,
            expires_at=expires_at,
        ),
    )
    return NewWebSession(token, holder, expires_at)


def _account_problems(
    workspace_name: str, owner_name: str, email: str, password: str
) -> list[FieldProblem]:
    problems = []
    if not workspace_name.strip():
        problems.append(FieldProblem("workspace_name", "name your workspace, e.g. your firm"))
    if not owner_name.strip():
        problems.append(FieldProblem("owner_name", "enter your name"))
    if not _EMAIL.fullmatch(email.strip()):
        problems.append(FieldProblem("email", "enter an email address like name@example.com"))
    if len(password) < MIN_PASSWORD_LENGTH:
        problems.append(FieldProblem("password", f"use at least {MIN_PASSWORD_LENGTH} characters"))
    names = {"workspace_name": workspace_name, "owner_name": owner_name}
    return problems + text_field_problems(names)

"""Workspace administration: a workspace with its owner, a user added to a workspace with a
role, and API keys (CLI use)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session

from app.models import MEMBER_ROLES, ApiKey, User, Workspace, WorkspaceMember
from app.repositories import audit
from app.repositories import members as member_rows
from app.repositories import workspaces as workspace_rows
from app.services.colleagues import record_member_added
from app.services.credentials import hash_password, new_api_key
from app.services.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from app.text_rules import refuse_bad_text

__all__ = [
    "add_workspace_user",
    "create_api_key",
    "create_workspace",
    "list_api_keys",
    "revoke_api_key",
]

CLI_ACTOR = "cli"


def create_workspace(
    *,
    session: Session,
    name: str,
    owner_email: str,
    owner_name: str,
    owner_password: str,
    now: datetime,
) -> tuple[Workspace, User]:
    """Create a workspace and its owner user (password hashed with argon2)."""
    refuse_bad_text({"name": name, "owner_name": owner_name})
    email = owner_email.strip().lower()
    if workspace_rows.find_user_by_email(session, email) is not None:
        raise ConflictError(f"a user with email {email} already exists")
    workspace = workspace_rows.add_workspace(session, Workspace(name=name, created_at=now))
    owner = workspace_rows.add_user(
        session,
        User(
            email=email,
            name=owner_name,
            password_hash=hash_password(owner_password),
            created_at=now,
        ),
    )
    member_rows.add_membership(
        session,
        WorkspaceMember(workspace_id=workspace.id, user_id=owner.id, role="owner", created_at=now),
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace.id,
        actor=CLI_ACTOR,
        action="workspace.created",
        subject_type="workspace",
        subject_id=workspace.id,
        detail={"owner_user_id": owner.id},
    )
    return workspace, owner


def add_workspace_user(
    *,
    session: Session,
    workspace_id: str,
    email: str,
    name: str,
    role: str,
    password: str | None,
    now: datetime,
) -> tuple[User, bool]:
    """Make a person a member of a workspace with `role`: a new account (with `password`)
    when no user has the email, else a membership for the existing account, whose name and
    password stay. The user, and whether the account was created."""
    refuse_bad_text({"name": name})
    if role not in MEMBER_ROLES:
        raise InvalidInputError([FieldProblem("role", f"choose one of {', '.join(MEMBER_ROLES)}")])
    if workspace_rows.get_workspace(session, workspace_id) is None:
        raise NotFoundError("workspace", workspace_id)
    email = email.strip().lower()
    user = workspace_rows.find_user_by_email(session, email)
    created = user is None
    if user is None:
        if not password:
            raise InvalidInputError([FieldProblem("password", "a new user needs a password")])
        user = workspace_rows.add_user(
            session,
            User(email=email, name=name, password_hash=hash_password(password), created_at=now),
        )
    elif member_rows.get_membership(session, workspace_id=workspace_id, user_id=user.id):
        raise ConflictError(f"{email} is a member of this workspace already")
    member_rows.add_membership(
        session,
        WorkspaceMember(workspace_id=workspace_id, user_id=user.id, role=role, created_at=now),
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=CLI_ACTOR,
        action="member.added",
        subject_type="user",
        subject_id=user.id,
        detail={"role": role, "new_account": created},
    )
    record_member_added(session=session, workspace_id=workspace_id, user=user, role=role, now=now)
    return user, created


def create_api_key(
    *,
    session: Session,
    workspace_id: str,
    name: str,
    now: datetime,
    created_by_user_id: str | None = None,
    actor: str = CLI_ACTOR,
) -> tuple[ApiKey, str]:
    """Create a key; returns the row and the key itself, which is never shown again."""
    refuse_bad_text({"name": name})
    if workspace_rows.get_workspace(session, workspace_id) is None:
        raise NotFoundError("workspace", workspace_id)
    secret = new_api_key()
    api_key = workspace_rows.add_api_key(
        session,
        ApiKey(
            workspace_id=workspace_id,
            created_by_user_id=created_by_user_id,
            name=name,
            prefix=secret.prefix,
            secret_hash=secret.secret_hash,
            created_at=now,
        ),
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="api_key.created",
        subject_type="api_key",
        subject_id=api_key.id,
        detail={"prefix": api_key.prefix, "name": name},
    )
    return api_key, secret.key


def list_api_keys(*, session: Session, workspace_id: str) -> Sequence[ApiKey]:
    if workspace_rows.get_workspace(session, workspace_id) is None:
        raise NotFoundError("workspace", workspace_id)
    return workspace_rows.list_api_keys(session, workspace_id=workspace_id)


def revoke_api_key(
    *, session: Session, workspace_id: str, key: str, now: datetime, actor: str = CLI_ACTOR
) -> ApiKey:
    """Revoke a key named by its id or visible prefix; revoking twice keeps the first time."""
    api_key = workspace_rows.get_api_key(session, workspace_id=workspace_id, key_id_or_prefix=key)
    if api_key is None:
        raise NotFoundError("api key", key)
    if api_key.revoked_at is None:
        api_key.revoked_at = now
        session.add(api_key)
        audit.record_audit_event(
            session,
            workspace_id=workspace_id,
            actor=actor,
            action="api_key.revoked",
            subject_type="api_key",
            subject_id=api_key.id,
            detail={"prefix": api_key.prefix},
        )
        session.flush()
    return api_key

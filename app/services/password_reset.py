"""A forgotten password, reset by e-mail: the person asks with their address, a link with a
random token goes to that address, and the link sets a new password once, within an hour.

The answer to the request is the same whether or not an account has that address, and it
is throttled with the sign-in scheme (app/services/sign_in_throttle.py) under an account
name of its own ("reset:" + the address), so a stranger cannot flood someone's mailbox or
learn who has an account. Only the token's SHA-256 is stored. Setting the new password ends
every session of the account and forgets its failed sign-ins
(console_accounts.reset_password). The admin CLI's reset stays for whoever hosts the
service."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.models import PasswordReset
from app.repositories import password_resets as reset_rows
from app.repositories import workspaces as workspace_rows
from app.services import sign_in_throttle as throttle
from app.services.console_accounts import reset_password
from app.services.credentials import hash_secret
from app.services.errors import DomainError
from app.services.mail_outbox import MailSender, queue_mail

__all__ = [
    "RESET_LIFETIME",
    "ResetLink",
    "ResetLinkError",
    "complete_password_reset",
    "request_password_reset",
    "reset_link",
]

RESET_LIFETIME = timedelta(hours=1)


class ResetLinkError(DomainError):
    """The link is unknown, used or expired: the page says so and offers a new one."""


@dataclass(frozen=True, slots=True)
class ResetLink:
    email: str


def _account(email: str) -> str:
    return "reset:" + email.strip().lower()


def request_password_reset(
    *, session: Session, sender: MailSender, email: str, address: str, now: datetime
) -> None:
    """Queue a reset link to `email` if an account has it; nothing otherwise, alike.
    SignInThrottledError when this address asked too often (every request counts)."""
    account = _account(email)
    throttle.refuse_if_paused(session=session, account=account, address=address, now=now)
    throttle.record_failure(session=session, account=account, address=address, now=now)
    user = workspace_rows.find_user_by_email(session, email.strip().lower())
    if user is None:
        return
    token = secrets.token_urlsafe(32)
    reset_rows.clear_resets(session, user_id=user.id, now=now)
    reset_rows.add_reset(
        session,
        PasswordReset(
            token_hash=hash_secret(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + RESET_LIFETIME,
        ),
    )
    queue_mail(
        session=session,
        sender=sender,
        workspace_id=None,  # a person's mail: listed on no workspace's mail page
        to_address=user.email,
        to_name=user.name,
        template="password_reset",
        context={
            "user_name": user.name,
            "email": user.email,
            "token": token,
            "valid_minutes": int(RESET_LIFETIME.total_seconds() // 60),
        },
        now=now,
        skip_undeliverable=True,  # the same answer whether or not mail can go there
    )


def _live_reset(session: Session, token: str, now: datetime) -> PasswordReset:
    reset = reset_rows.get_reset(session, token_hash=hash_secret(token))
    if reset is None or reset.used_at is not None or reset.expires_at <= now:
        raise ResetLinkError(
            "this link has expired or has been used already; ask for a new one below"
        )
    return reset


def reset_link(*, session: Session, token: str, now: datetime) -> ResetLink:
    """The account a live link resets; ResetLinkError otherwise."""
    user = workspace_rows.get_user(session, _live_reset(session, token, now).user_id)
    if user is None:
        raise ResetLinkError("this link's account is gone")
    return ResetLink(user.email)


def complete_password_reset(
    *, session: Session, token: str, new_password: str, now: datetime
) -> None:
    """Set the new password through a live link, once. ResetLinkError for a dead link,
    InvalidInputError for a password that is too short (the link stays usable)."""
    reset = _live_reset(session, token, now)
    user = workspace_rows.get_user(session, reset.user_id)
    if user is None:
        raise ResetLinkError("this link's account is gone")
    reset_password(
        session=session, email=user.email, new_password=new_password, actor=f"user:{user.id}"
    )
    throttle.forget_account(session=session, account=_account(user.email))
    reset.used_at = now
    session.add(reset)

"""Who is calling: an API key of a workspace, or a respondent holding an invite token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from app.repositories import respondents as respondent_rows
from app.repositories import workspaces as workspace_rows
from app.repositories.workspaces import KeyCredentials
from app.services.credentials import (
    INVITE_TOKEN_MARKER,
    hash_secret,
    secret_matches,
    split_api_key,
)
from app.services.errors import AuthenticationError

__all__ = [
    "Principal",
    "authenticate",
    "invite_principal",
    "key_use_is_stale",
    "principal_of_api_key",
    "record_key_use",
]

KEY_USE_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True, slots=True)
class Principal:
    """`respondent_id` is set for an invite token, which may touch only that respondent."""

    workspace_id: str
    actor: str
    api_key_id: str | None = None
    key_last_used_at: datetime | None = None
    respondent_id: str | None = None
    assessment_id: str | None = None

    @property
    def is_api_key(self) -> bool:
        return self.api_key_id is not None


def authenticate(*, session: Session, credential: str) -> Principal:
    """The principal behind a bearer credential; AuthenticationError when it is unknown,
    malformed or revoked (one message for all, so a caller learns nothing from it)."""
    if credential.startswith(INVITE_TOKEN_MARKER):
        return invite_principal(session=session, token_hash=hash_secret(credential))
    prefix = split_api_key(credential)
    key = None if prefix is None else workspace_rows.find_api_key_by_prefix(session, prefix)
    return principal_of_api_key(credential, key)


def invite_principal(*, session: Session, token_hash: str) -> Principal:
    """The respondent holding the invite token with `token_hash`; AuthenticationError when
    there is none. The token has 256 random bits, so looking it up by its hash leaks nothing
    useful."""
    respondent = respondent_rows.find_respondent_by_invite_hash(session, token_hash)
    if respondent is None:
        raise AuthenticationError("unknown or revoked credential")
    return Principal(
        workspace_id=respondent.workspace_id,
        actor=f"respondent:{respondent.id}",
        respondent_id=respondent.id,
        assessment_id=respondent.assessment_id,
    )


def principal_of_api_key(credential: str, key: KeyCredentials | None) -> Principal:
    """The principal of an API key found by the credential's prefix (None: no such key);
    AuthenticationError unless the key is live and the whole credential matches it."""
    if key is None or key.revoked_at is not None or not secret_matches(credential, key.secret_hash):
        raise AuthenticationError("unknown or revoked credential")
    return Principal(
        workspace_id=key.workspace_id,
        actor=f"api_key:{key.prefix}",
        api_key_id=key.id,
        key_last_used_at=key.last_used_at,
    )


def key_use_is_stale(principal: Principal, *, now: datetime) -> bool:
    """Whether the key's last-used time is worth a write (at most once a minute)."""
    if principal.api_key_id is None:
        return False
    last = principal.key_last_used_at
    return last is None or now - last >= KEY_USE_RESOLUTION


def record_key_use(*, session: Session, principal: Principal, now: datetime) -> None:
    if principal.api_key_id is not None:
        workspace_rows.record_api_key_use(
            session, key_id=principal.api_key_id, now=now, stale_before=now - KEY_USE_RESOLUTION
        )

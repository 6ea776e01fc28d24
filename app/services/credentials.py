"""Secrets: API keys, invite tokens and passwords — how they are made, shown and stored.

API keys and invite tokens carry 256 bits from `secrets.token_urlsafe(32)`. Guessing them is
hopeless, so a fast hash (SHA-256) is the right way to store them: a slow password hash would
only slow down every request. Passwords are chosen by people and get argon2.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

__all__ = [
    "API_KEY_MARKER",
    "INVITE_TOKEN_MARKER",
    "NewApiKey",
    "hash_password",
    "hash_secret",
    "new_api_key",
    "new_invite_token",
    "password_matches",
    "secret_matches",
    "split_api_key",
]

API_KEY_MARKER = "om_live_"
INVITE_TOKEN_MARKER = "om_inv_"  # noqa: S105 - a marker, not a secret
_PREFIX_HEX_CHARS = 10


@dataclass(frozen=True, slots=True)
class NewApiKey:
    """`key` is shown once to whoever creates it; only `prefix` and `secret_hash` are stored."""

    key: str
    prefix: str
    secret_hash: str


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def secret_matches(secret: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), stored_hash)


def new_api_key() -> NewApiKey:
    prefix = API_KEY_MARKER + secrets.token_hex(_PREFIX_HEX_CHARS // 2)
    key = f"{prefix}_{secrets.token_urlsafe(32)}"
    return NewApiKey(key=key, prefix=prefix, secret_hash=hash_secret(key))


def split_api_key(key: str) -> str | None:
    """The visible prefix of a well-formed API key, or None."""
    if not key.startswith(API_KEY_MARKER):
        return None
    prefix_hex, separator, secret = key.removeprefix(API_KEY_MARKER).partition("_")
    if not separator or not secret or len(prefix_hex) != _PREFIX_HEX_CHARS:
        return None
    return API_KEY_MARKER + prefix_hex


def new_invite_token() -> str:
    return INVITE_TOKEN_MARKER + secrets.token_urlsafe(32)


def hash_password(password: str) -> str:
    return PasswordHasher().hash(password)


# Verified when no user has the email, so a wrong email costs as long as a wrong password.
_UNUSED_PASSWORD_HASH = PasswordHasher().hash(secrets.token_urlsafe(16))


def password_matches(password: str, password_hash: str | None) -> bool:
    try:
        return PasswordHasher().verify(password_hash or _UNUSED_PASSWORD_HASH, password)
    except (VerificationError, InvalidHashError):
        return False

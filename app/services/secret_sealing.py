"""Webhook signing secrets sealed at rest.

Signing needs the secret itself, so unlike API keys and passwords it cannot be kept as a
hash. It is kept sealed instead: AES-256-GCM under a key derived (HKDF-SHA256) from
OPSMATURITY_SECRET_KEY, which never reaches the database. A copy of the database, a backup
or a stray query shows `sealed:…`, which signs nothing. The endpoint's id is bound to the
sealed value, so a sealed secret moved onto another endpoint does not open.

A secret stored before sealing existed (`whsec_…` as it is) still opens, and
`seal_stored_secrets` seals it at start-up. Changing OPSMATURITY_SECRET_KEY leaves the
stored secrets unopenable: deliveries then fail with UnsealError's message until each
endpoint's secret is rotated.
"""

from __future__ import annotations

import base64
import binascii
import functools
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.services.webhook_signing import SECRET_BYTES, SECRET_PREFIX

__all__ = ["SEALED_PREFIX", "SecretSealer", "UnsealError", "is_sealed", "sealer_for"]

SEALED_PREFIX = "sealed:"
_NONCE_BYTES = 12
_KEY_LABEL = b"opsmaturity webhook signing secrets v1"


class UnsealError(Exception):
    """A stored secret that this process's key does not open."""


def is_sealed(stored: str) -> bool:
    return stored.startswith(SEALED_PREFIX)


@functools.lru_cache(maxsize=4)
def sealer_for(secret_key: str) -> SecretSealer:
    """The sealer of OPSMATURITY_SECRET_KEY's value `secret_key` (derived once)."""
    return SecretSealer.from_secret_key(secret_key)


@dataclass(frozen=True, slots=True)
class SecretSealer:
    """Seals and opens `whsec_` secrets with the key derived from `secret_key`."""

    _cipher: AESGCM

    @classmethod
    def from_secret_key(cls, secret_key: str) -> SecretSealer:
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_LABEL).derive(
            secret_key.encode("utf-8")
        )
        return cls(AESGCM(key))

    def seal(self, signing_secret: str, *, endpoint_id: str) -> str:
        """`sealed:` and, in base64, a fresh nonce with the secret's 32 bytes encrypted: 87
        characters, within the column's 100."""
        try:
            raw = base64.b64decode(signing_secret.removeprefix(SECRET_PREFIX), validate=True)
        except binascii.Error:
            raw = b""
        if not signing_secret.startswith(SECRET_PREFIX) or len(raw) != SECRET_BYTES:
            raise ValueError("not a signing secret of this service")
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._cipher.encrypt(nonce, raw, endpoint_id.encode("utf-8"))
        return SEALED_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open(self, stored: str, *, endpoint_id: str) -> str:
        """The `whsec_` secret that `stored` holds (one stored before sealing, as it is)."""
        if not is_sealed(stored):
            return stored
        try:
            data = base64.b64decode(stored.removeprefix(SEALED_PREFIX), validate=True)
            raw = self._cipher.decrypt(
                data[:_NONCE_BYTES], data[_NONCE_BYTES:], endpoint_id.encode("utf-8")
            )
        except (InvalidTag, binascii.Error, ValueError) as error:
            raise UnsealError(
                "the endpoint's signing secret does not open with this OPSMATURITY_SECRET_KEY "
                "(was the key changed?); rotate the endpoint's secret"
            ) from error
        return SECRET_PREFIX + base64.b64encode(raw).decode("ascii")

"""Keys for the links in respondents' mail, derived (HKDF-SHA256) from OPSMATURITY_SECRET_KEY,
which never reaches the database.

- The invite token is kept sealed (AES-256-GCM, bound to the respondent's id) beside its
  hash, so a reminder sent days later can carry the respondent's own link. The hash still
  decides who a link opens; a copy of the database shows `sealed:…`, which opens nothing.
- The opt-out link is `<respondent id>.<HMAC>`: it can only stop reminders to that
  respondent, so it needs no row of its own, and a changed secret key only makes old
  opt-out links ask again.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["LinkKeys", "link_keys_for"]

_SEALED_PREFIX = "sealed:"
_NONCE_BYTES = 12
_SEAL_LABEL = b"opsmaturity invite links v1"
_OPT_OUT_LABEL = b"opsmaturity mail opt-out v1"
_MAX_OPT_OUT_TOKEN = 120


def _derive(secret_key: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(
        secret_key.encode("utf-8")
    )


@dataclass(frozen=True, slots=True)
class LinkKeys:
    _cipher: AESGCM
    _opt_out_key: bytes

    @classmethod
    def from_secret_key(cls, secret_key: str) -> LinkKeys:
        return cls(AESGCM(_derive(secret_key, _SEAL_LABEL)), _derive(secret_key, _OPT_OUT_LABEL))

    def seal_token(self, token: str, *, respondent_id: str) -> str:
        nonce = secrets.token_bytes(_NONCE_BYTES)
        sealed = self._cipher.encrypt(nonce, token.encode("utf-8"), respondent_id.encode("utf-8"))
        return _SEALED_PREFIX + base64.b64encode(nonce + sealed).decode("ascii")

    def open_token(self, sealed: str | None, *, respondent_id: str) -> str | None:
        """The invite token `sealed` holds; None when there is none or this key cannot open
        it (the secret key changed): the mail then asks for the link of the invitation."""
        if not sealed or not sealed.startswith(_SEALED_PREFIX):
            return None
        try:
            data = base64.b64decode(sealed.removeprefix(_SEALED_PREFIX), validate=True)
            raw = self._cipher.decrypt(
                data[:_NONCE_BYTES], data[_NONCE_BYTES:], respondent_id.encode("utf-8")
            )
        except (InvalidTag, binascii.Error, ValueError):
            return None
        return raw.decode("utf-8")

    def _signature(self, respondent_id: str) -> str:
        digest = hmac.new(self._opt_out_key, respondent_id.encode("utf-8"), hashlib.sha256)
        return base64.urlsafe_b64encode(digest.digest()[:18]).decode("ascii")

    def opt_out_token(self, respondent_id: str) -> str:
        return f"{respondent_id}.{self._signature(respondent_id)}"

    def opt_out_respondent(self, token: str) -> str | None:
        """The respondent id an opt-out token was made for; None for anything else."""
        if len(token) > _MAX_OPT_OUT_TOKEN or "." not in token:
            return None
        respondent_id, _, signature = token.rpartition(".")
        if not hmac.compare_digest(signature, self._signature(respondent_id)):
            return None
        return respondent_id


@functools.lru_cache(maxsize=4)
def link_keys_for(secret_key: str) -> LinkKeys:
    return LinkKeys.from_secret_key(secret_key)

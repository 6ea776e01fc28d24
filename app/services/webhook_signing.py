"""Standard Webhooks signatures: `whsec_` secrets and the `webhook-*` headers.

The signature is HMAC-SHA256, keyed by the secret's decoded bytes, over
`{webhook-id}.{webhook-timestamp}.{body}`, sent base64-encoded as `v1,<signature>`. While a
rotated-out secret is still valid, both signatures are sent, separated by a space, so a
receiver with either secret accepts the request (https://www.standardwebhooks.com/).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

__all__ = ["SECRET_PREFIX", "new_secret", "sign", "webhook_headers"]

SECRET_PREFIX = "whsec_"  # noqa: S105 - a marker, not a secret
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret: `whsec_` and 32 random bytes in base64."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def sign(secret: str, *, message_id: str, timestamp: int, body: str) -> str:
    """`v1,<base64 HMAC-SHA256>` of `{message_id}.{timestamp}.{body}`."""
    content = f"{message_id}.{timestamp}.{body}".encode()
    digest = hmac.new(_key(secret), content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def webhook_headers(
    signing_secrets: Sequence[str], *, message_id: str, timestamp: int, body: str
) -> dict[str, str]:
    """The three Standard Webhooks headers, signed with every given secret."""
    if not signing_secrets:
        raise ValueError("at least one secret signs a webhook")
    signatures = " ".join(
        sign(secret, message_id=message_id, timestamp=timestamp, body=body)
        for secret in signing_secrets
    )
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signatures,
    }

"""Webhook signing secrets sealed at rest (app/services/secret_sealing.py): what is stored
shows nothing of the secret and fits its column; only the same key and the same endpoint
open it; a secret stored before sealing still opens as it is."""

from __future__ import annotations

import base64

import pytest

from app.models import WebhookEndpoint
from app.services.secret_sealing import SecretSealer, UnsealError, is_sealed, sealer_for
from app.services.webhook_signing import new_secret

SEALER = SecretSealer.from_secret_key("the service's key")


def test_a_sealed_secret_opens_with_its_key_and_endpoint_only() -> None:
    secret = new_secret()
    stored = SEALER.seal(secret, endpoint_id="whe_1")

    assert is_sealed(stored)
    assert secret.removeprefix("whsec_") not in stored
    raw = base64.b64decode(secret.removeprefix("whsec_"))
    assert raw.hex() not in stored and base64.b64encode(raw).decode() not in stored
    assert len(stored) <= WebhookEndpoint.model_fields["secret"].metadata[0].max_length
    assert SEALER.open(stored, endpoint_id="whe_1") == secret
    assert SEALER.seal(secret, endpoint_id="whe_1") != stored  # a fresh nonce every time

    with pytest.raises(UnsealError, match=r"OPSMATURITY_SECRET_KEY.*rotate the endpoint's secret"):
        SecretSealer.from_secret_key("another key").open(stored, endpoint_id="whe_1")
    with pytest.raises(UnsealError):
        SEALER.open(stored, endpoint_id="whe_2")  # moved onto another endpoint


def test_a_damaged_sealed_secret_is_refused() -> None:
    stored = SEALER.seal(new_secret(), endpoint_id="whe_1")
    flipped = stored[:-3] + ("A" if stored[-3] != "A" else "B") + stored[-2:]
    for damaged in (flipped, stored[:-8], "sealed:not base64!"):
        with pytest.raises(UnsealError):
            SEALER.open(damaged, endpoint_id="whe_1")


def test_a_secret_stored_before_sealing_opens_as_it_is() -> None:
    secret = new_secret()
    assert not is_sealed(secret)
    assert SEALER.open(secret, endpoint_id="whe_1") == secret


@pytest.mark.parametrize("not_a_secret", ["whsec_c2hvcnQ=", "secret", "whsec_" + "A" * 44 + "!"])
def test_only_this_services_secrets_are_sealed(not_a_secret: str) -> None:
    with pytest.raises(ValueError, match="not a signing secret of this service"):
        SEALER.seal(not_a_secret, endpoint_id="whe_1")


def test_the_sealer_of_a_key_is_derived_once() -> None:
    assert sealer_for("key one") is sealer_for("key one")
    assert sealer_for("key one") is not sealer_for("key two")

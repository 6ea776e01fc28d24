"""Our Standard Webhooks signatures, checked by the specification's reference library."""

from __future__ import annotations

import base64
import time
from datetime import timedelta

import pytest
from standardwebhooks import Webhook, WebhookVerificationError

from app.models import utc_now
from app.services.webhook_endpoints import signing_secrets
from app.services.webhook_signing import new_secret, sign, webhook_headers

BODY = '{"type":"report.ready","timestamp":"2026-11-23T10:00:00Z","version":1,"data":{"é":1}}'


def test_a_new_secret_is_whsec_and_32_random_bytes() -> None:
    secret = new_secret()
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret.removeprefix("whsec_"))) == 32
    assert new_secret() != secret


def test_the_reference_library_makes_the_same_signature() -> None:
    secret = new_secret()
    moment = utc_now()
    ours = sign(secret, message_id="msg_1", timestamp=int(moment.timestamp()), body=BODY)
    assert ours == Webhook(secret).sign("msg_1", moment, BODY)


def test_the_reference_library_verifies_our_headers() -> None:
    secret = new_secret()
    headers = webhook_headers([secret], message_id="msg_1", timestamp=int(time.time()), body=BODY)
    assert set(headers) == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert Webhook(secret).verify(BODY.encode(), headers)["data"] == {"é": 1}
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace("1}", "2}").encode(), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(new_secret()).verify(BODY.encode(), headers)


def test_during_a_rotation_either_secret_verifies() -> None:
    old, new = new_secret(), new_secret()
    headers = webhook_headers([new, old], message_id="msg_2", timestamp=int(time.time()), body=BODY)
    assert len(headers["webhook-signature"].split(" ")) == 2
    for secret in (old, new):
        assert Webhook(secret).verify(BODY.encode(), headers)["type"] == "report.ready"


def test_the_previous_secret_signs_only_until_it_expires() -> None:
    now = utc_now()
    later = now + timedelta(hours=1)
    assert signing_secrets("new", "old", later, now) == ["new", "old"]
    assert signing_secrets("new", "old", now, now) == ["new"]
    assert signing_secrets("new", None, None, now) == ["new"]


def test_at_least_one_secret_signs() -> None:
    with pytest.raises(ValueError, match="at least one"):
        webhook_headers([], message_id="msg_3", timestamp=0, body=BODY)

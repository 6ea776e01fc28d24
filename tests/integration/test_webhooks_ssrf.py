"""Outbound webhooks never reach private addresses by default: a name is resolved, every
address it resolves to is checked, and the connection goes to the checked address (a second
DNS answer cannot swap it). Every target here is on this machine's loopback interface."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from app.models import utc_now
from app.persistence.unit_of_work import unit_of_work
from app.repositories.webhooks import ClaimedDelivery
from app.services.secret_sealing import SecretSealer, sealer_for
from app.services.webhook_endpoints import create_endpoint as create_endpoint_row
from app.services.webhook_sender import AttemptOutcome, WebhookSender
from tests.integration.conftest import Workspace
from tests.integration.flow import add_respondents, create_assessment, expect
from tests.integration.webhook_receiver import (
    WebhookReceiver,
    receiving,
    submit_everyone,
    wait_until,
)

SEALER = SecretSealer.from_secret_key("a test key")


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with receiving() as running:
        yield running


def test_local_receivers_are_refused_after_resolution(
    workspace: Workspace, receiver: WebhookReceiver
) -> None:
    """The shared test server keeps the default: private addresses refused. Endpoints that
    reach this machine (saved while allowed, or a name whose DNS answer changed) get
    nothing, and the log says why."""
    port = receiver.port
    urls = [
        f"http://localhost:{port}/by-name",  # resolves to 127.0.0.1
        f"http://127.0.0.1:{port}/literal",
        f"http://[::ffff:127.0.0.1]:{port}/mapped",
    ]
    with unit_of_work(workspace.server.app.state.runtime.database.engine, writes=True) as session:
        endpoint_ids = [
            create_endpoint_row(
                session=session,
                workspace_id=workspace.id,
                actor="test",
                url=url,
                event_types=["respondent.submitted"],
                description=None,
                enabled=True,
                allow_private_addresses=True,
                sealer=sealer_for(workspace.server.app.state.settings.secret_key),
                now=utc_now(),
            ).endpoint.id
            for url in urls
        ]
    api = workspace.api
    aid = create_assessment(api)["id"]
    submit_everyone(api, aid, add_respondents(api, aid, "manager"))

    def first_attempts() -> list[dict[str, object]] | None:
        attempts = []
        for endpoint_id in endpoint_ids:
            page = expect(api.get(f"/api/v1/webhook-endpoints/{endpoint_id}/deliveries"), 200)
            (delivery,) = page["items"]
            detail = expect(api.get(f"/api/v1/webhook-deliveries/{delivery['id']}"), 200)
            if not detail["attempts"]:
                return None
            attempts.append(detail["attempts"][0])
        return attempts

    for attempt in wait_until(first_attempts):
        assert attempt["status_code"] is None
        assert str(attempt["error"]).startswith("refused: "), attempt
        assert "127.0.0.1" in str(attempt["error"]) or "::1" in str(attempt["error"])
    assert receiver.received == []


def _claimed(url: str) -> ClaimedDelivery:
    return ClaimedDelivery(
        delivery_id="whd_test",
        claim_token="token",
        attempt=1,
        message_id="msg_test",
        body='{"type":"report.ready"}',
        url=url,
        endpoint_id="whe_test",
        secret="whsec_" + "A" * 44,
        previous_secret=None,
        previous_secret_expires_at=None,
    )


def _send(url: str, answers: list[list[str]], *, allow_private: bool) -> tuple[AttemptOutcome, int]:
    """Send through a resolver that gives each answer in turn; also how often it was asked."""
    asked: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        return answers[min(len(asked), len(answers)) - 1]

    async def send() -> AttemptOutcome:
        sender = WebhookSender(
            allow_private_addresses=allow_private,
            timeout_seconds=5,
            sealer=SEALER,
            resolver=resolver,
        )
        try:
            return await sender.send(_claimed(url))
        finally:
            await sender.aclose()

    return asyncio.run(send()), len(asked)


def test_the_connection_goes_to_the_address_that_was_checked(receiver: WebhookReceiver) -> None:
    # The first answer is checked and used; a later, different answer is never asked for.
    outcome, asked = _send(
        f"http://hooks.example:{receiver.port}/rebind",
        [["127.0.0.1"], ["192.0.2.1"]],
        allow_private=True,
    )
    assert (outcome.status_code, outcome.error, asked) == (200, None, 1)
    (received,) = receiver.received
    assert received.headers["host"] == f"hooks.example:{receiver.port}"
    assert received.headers["webhook-id"] == "msg_test"


@pytest.mark.parametrize(
    "answer",
    [["127.0.0.1"], ["::1"], ["198.51.100.7", "127.0.0.1"], ["::ffff:127.0.0.1"], []],
    ids=["loopback", "ipv6-loopback", "test-net-and-loopback", "mapped", "nothing"],
)
def test_a_name_resolving_to_a_private_address_is_refused_before_connecting(
    receiver: WebhookReceiver, answer: list[str]
) -> None:
    outcome, _ = _send(f"http://hooks.example:{receiver.port}/", [answer], allow_private=False)
    assert outcome.status_code is None and not outcome.succeeded
    assert str(outcome.error).startswith("refused: ")
    assert receiver.received == []


def test_redirects_are_not_followed(receiver: WebhookReceiver) -> None:
    receiver.answer_next(307)
    outcome, _ = _send(f"{receiver.url}/moved", [["127.0.0.1"]], allow_private=True)
    assert outcome.status_code == 307 and not outcome.succeeded
    assert len(receiver.received) == 1


@pytest.mark.parametrize("host", ["2130706433", "0x7f000001", "0177.0.0.1", "127.1"])
def test_older_ipv4_spellings_resolve_to_loopback_and_are_refused(
    receiver: WebhookReceiver, host: str
) -> None:
    """The system resolver reads these as 127.0.0.1: an endpoint saved while they were not
    recognised still gets nothing."""

    async def send() -> AttemptOutcome:
        sender = WebhookSender(allow_private_addresses=False, timeout_seconds=5, sealer=SEALER)
        try:
            return await sender.send(_claimed(f"http://{host}:{receiver.port}/"))
        finally:
            await sender.aclose()

    outcome = asyncio.run(send())
    assert outcome.status_code is None and not outcome.succeeded
    # Refused after resolution, or (for an octal first part) not taken as a URL at all.
    assert str(outcome.error).startswith(("refused: ", "InvalidURL: ")), outcome.error
    assert receiver.received == []

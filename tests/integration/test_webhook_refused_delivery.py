"""A name that resolved to a public address when its endpoint was saved can point elsewhere
later: the check when sending stays the guard. A delivery refused because the address is
refused fails after one attempt, with the reason in its log (retrying cannot help while DNS
says so); a name that does not resolve is retried. On SQLite and PostgreSQL, each test on a
database of its own, with the worker's resolver answering for DNS."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from app.migrations.runner import upgrade_schema
from app.models import WebhookDelivery, utc_now
from app.persistence.database import Database
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.services.secret_sealing import sealer_for
from app.services.webhook_deliveries import DeliveryDetail, get_delivery
from app.services.webhook_endpoints import create_endpoint
from app.services.webhook_events import record_event
from app.settings import DEVELOPMENT_SECRET
from app.webhooks import DeliveryWorker
from tests.integration.databases import fresh_database
from tests.integration.webhook_receiver import (
    WebhookReceiver,
    fast_webhook_settings,
    receiving,
)

EVENT = "self_assessment.submitted"


@pytest.fixture
def database_url(backend: str, tmp_path: Path) -> Iterator[str]:
    with fresh_database(backend, tmp_path) as url:
        yield url


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    built = make_engine(database_url)
    upgrade_schema(built)
    yield built
    built.dispose()


@pytest.fixture
def receiver() -> Iterator[WebhookReceiver]:
    with receiving() as running:
        yield running


def one_event_for(engine: Engine, url: str) -> tuple[str, str]:
    """A workspace whose endpoint at `url` was saved while its name resolved to a public
    address, and one event for it: (workspace id, delivery id)."""
    now = utc_now()
    with unit_of_work(engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name="Webhooks",
            owner_email=f"owner-{uuid.uuid4().hex}@example.org",
            owner_name="Owner",
            owner_password="correct horse battery staple",
            now=now,
        )
        create_endpoint(
            session=session,
            workspace_id=workspace.id,
            actor="test",
            url=url,
            event_types=[EVENT],
            description=None,
            enabled=True,
            allow_private_addresses=False,
            sealer=sealer_for(DEVELOPMENT_SECRET),
            now=now,
            lookup=lambda host, port: ["93.184.216.34"],  # DNS when it was saved
        )
        event = record_event(
            session=session, workspace_id=workspace.id, event_type=EVENT, data={}, now=now
        )
        assert event is not None
        (delivery,) = session.exec(
            select(WebhookDelivery).where(WebhookDelivery.event_id == event.id)
        ).all()
    return workspace.id, delivery.id


def deliver(
    engine: Engine, database_url: str, questionnaires_dir: Path, answer: list[str] | None
) -> list[str]:
    """Run the worker until nothing is due, its resolver giving `answer` (None: the name
    does not resolve); the hosts it was asked for."""
    asked: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        asked.append(host)
        if answer is None:
            raise OSError("Name or service not known")
        return answer

    settings = fast_webhook_settings(
        database_url,
        questionnaires_dir,
        webhooks_allow_private_addresses=False,
        webhooks_max_attempts=15,
        # Long enough that a retried delivery is not due again while the worker runs.
        webhooks_retry_base_seconds=60.0,
        webhooks_retry_max_seconds=60.0,
    )

    async def run() -> None:
        database = Database(engine)
        worker = DeliveryWorker(database=database, settings=settings, resolver=resolver)
        try:
            await worker.deliver_until_idle()
        finally:
            await worker.aclose()
            await database.close()

    asyncio.run(run())
    return asked


def the_log(engine: Engine, workspace_id: str, delivery_id: str) -> DeliveryDetail:
    with unit_of_work(engine) as session:
        return get_delivery(session=session, workspace_id=workspace_id, delivery_id=delivery_id)


def test_a_name_now_resolving_to_loopback_fails_after_one_attempt_with_the_reason(
    engine: Engine, database_url: str, questionnaires_dir: Path, receiver: WebhookReceiver
) -> None:
    workspace_id, delivery_id = one_event_for(
        engine, f"http://crm-sync.example:{receiver.port}/hooks"
    )
    # DNS changed since the endpoint was saved: the name points at this machine now (where
    # a receiver listens, which must hear nothing).
    asked = deliver(engine, database_url, questionnaires_dir, ["127.0.0.1"])
    assert asked == ["crm-sync.example"]
    log = the_log(engine, workspace_id, delivery_id)
    delivery = log.delivery
    assert (delivery.status, delivery.attempt_count) == ("failed", 1)
    assert delivery.finished_at is not None and delivery.last_status_code is None
    (attempt,) = log.attempts
    assert attempt.status_code is None
    assert attempt.error == (
        "refused: crm-sync.example resolves to 127.0.0.1, which webhooks may not be sent to "
        "(private, loopback, link-local or otherwise non-public); not retried (redeliver "
        "once the host points elsewhere)"
    )
    assert delivery.last_error == attempt.error
    assert receiver.received == []


def test_a_name_that_does_not_resolve_is_retried(
    engine: Engine, database_url: str, questionnaires_dir: Path
) -> None:
    workspace_id, delivery_id = one_event_for(engine, "http://crm-sync.example/hooks")
    deliver(engine, database_url, questionnaires_dir, None)
    log = the_log(engine, workspace_id, delivery_id)
    assert (log.delivery.status, log.delivery.attempt_count) == ("pending", 1)
    assert log.delivery.next_attempt_at is not None
    (attempt,) = log.attempts
    assert str(attempt.error).startswith("refused: cannot resolve crm-sync.example")

"""The outbox holds: an event lives and dies with its change, survives a restart, a claim that
is never settled expires, the `opsmaturity worker` process delivers, and workers side by side
never send an attempt twice. On SQLite and PostgreSQL, each test on a database of its own."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import select
from standardwebhooks import Webhook

from app.migrations.runner import upgrade_schema
from app.models import WebhookAttempt, WebhookDelivery, WebhookEvent, utc_now
from app.persistence.database import Database
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.services import admin
from app.services.retries import RetryPolicy
from app.services.secret_sealing import sealer_for
from app.services.webhook_endpoints import create_endpoint as create_endpoint_row
from app.services.webhook_events import record_event
from app.services.webhook_outbox import claim_deliveries, settle_attempt
from app.services.webhook_sender import AttemptOutcome
from app.settings import DEVELOPMENT_SECRET
from app.webhooks import DeliveryWorker
from tests.integration.conftest import new_workspace
from tests.integration.databases import fresh_database
from tests.integration.flow import add_respondents, create_assessment
from tests.integration.live_server import running_server
from tests.integration.webhook_receiver import (
    WebhookReceiver,
    create_endpoint,
    delivery_log,
    fast_webhook_settings,
    receiving,
    submit_everyone,
    wait_until,
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


def seed_events(engine: Engine, urls: list[str], events: int) -> list[str]:
    """A workspace with one endpoint per URL and `events` events: the endpoints' secrets."""
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
        secrets = [
            create_endpoint_row(
                session=session,
                workspace_id=workspace.id,
                actor="test",
                url=url,
                event_types=[EVENT],
                description=None,
                enabled=True,
                allow_private_addresses=True,
                # The workers here run on the default settings' key.
                sealer=sealer_for(DEVELOPMENT_SECRET),
                now=now,
            ).secret
            for url in urls
        ]
        for number in range(events):
            record_event(
                session=session,
                workspace_id=workspace.id,
                event_type=EVENT,
                data={"number": number},
                now=now,
            )
    return secrets


def test_an_event_is_written_with_its_change_or_not_at_all(engine: Engine) -> None:
    seed_events(engine, ["http://127.0.0.1:9/"], events=1)
    workspace_id = _only_workspace(engine)
    with pytest.raises(RuntimeError), unit_of_work(engine, writes=True) as session:
        record_event(session=session, workspace_id=workspace_id, event_type=EVENT, data={})
        raise RuntimeError("the change fails")
    with unit_of_work(engine) as session:
        assert len(session.exec(select(WebhookEvent)).all()) == 1
        assert len(session.exec(select(WebhookDelivery)).all()) == 1


def _only_workspace(engine: Engine) -> str:
    with unit_of_work(engine) as session:
        (event,) = session.exec(select(WebhookEvent)).all()
        return event.workspace_id


def test_a_restart_between_the_event_and_its_delivery_loses_nothing(
    database_url: str, questionnaires_dir: Path, receiver: WebhookReceiver
) -> None:
    quiet = fast_webhook_settings(
        database_url, questionnaires_dir, webhooks_worker_in_process=False
    )
    with running_server(quiet) as first:
        workspace = new_workspace(first)
        api = workspace.api
        endpoint = create_endpoint(api, receiver.url, "respondent.submitted")
        aid = create_assessment(api)["id"]
        submit_everyone(api, aid, add_respondents(api, aid, "manager"))
        (waiting,) = delivery_log(api, endpoint["id"])
        assert (waiting["status"], waiting["attempts"]) == ("pending", [])
        refused = api.post(f"/api/v1/webhook-deliveries/{waiting['id']}/redeliver")
        assert refused.status_code == 409  # only a finished delivery is sent again
        api.close()
    assert receiver.received == []

    with running_server(fast_webhook_settings(database_url, questionnaires_dir)) as second:
        (received,) = receiver.wait_for(1)
        payload = Webhook(endpoint["secret"]).verify(received.body, received.headers)
        assert payload["data"]["assessment_id"] == aid
        assert received.headers["webhook-id"] == waiting["event_id"]
        headers = {"Authorization": f"Bearer {workspace.api_key}"}
        with httpx.Client(base_url=second.url, headers=headers) as api_now:
            wait_until(lambda: delivery_log(api_now, endpoint["id"])[0]["status"] == "succeeded")


def test_a_claim_never_settled_expires_and_the_delivery_is_tried_again(engine: Engine) -> None:
    seed_events(engine, ["http://127.0.0.1:9/"], events=1)
    now = utc_now()
    lease = timedelta(minutes=1)
    with unit_of_work(engine, writes=True) as session:
        (first,) = claim_deliveries(session=session, now=now, limit=10, lease=lease)
    # The worker holding it dies. Until the lease ends, nobody else takes it ...
    with unit_of_work(engine, writes=True) as session:
        assert claim_deliveries(session=session, now=now + lease / 2, limit=10, lease=lease) == []
    # ... and then another worker does, for the next attempt.
    later = now + lease * 2
    with unit_of_work(engine, writes=True) as session:
        (second,) = claim_deliveries(session=session, now=later, limit=10, lease=lease)
    assert (first.attempt, second.attempt) == (1, 2)
    assert first.message_id == second.message_id and first.claim_token != second.claim_token

    outcome = AttemptOutcome(later, 12, 200, None, "ok")
    retry = RetryPolicy(max_attempts=4, base_seconds=1, max_seconds=1)
    with unit_of_work(engine, writes=True) as session:
        # The first worker comes back late: its attempt is logged, but it settles nothing.
        assert (
            settle_attempt(session=session, claimed=first, outcome=outcome, policy=retry, now=later)
            == "lost"
        )
        assert (
            settle_attempt(
                session=session, claimed=second, outcome=outcome, policy=retry, now=later
            )
            == "succeeded"
        )
    with unit_of_work(engine) as session:
        (delivery,) = session.exec(select(WebhookDelivery)).all()
        assert (delivery.status, delivery.attempt_count) == ("succeeded", 2)
        attempts = session.exec(select(WebhookAttempt)).all()
        assert sorted(a.attempt for a in attempts) == [1, 2]


def test_the_worker_command_delivers_from_a_process_of_its_own(
    engine: Engine, database_url: str, receiver: WebhookReceiver
) -> None:
    (secret,) = seed_events(engine, [f"{receiver.url}/worker"], events=3)
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": database_url,
        "OPSMATURITY_WEBHOOKS_ALLOW_PRIVATE_ADDRESSES": "true",
    }
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "opsmaturity"), "worker", "--once"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert "3 webhook attempt(s) made" in completed.stdout
    received = receiver.received
    assert len(received) == 3
    numbers = sorted(Webhook(secret).verify(r.body, r.headers)["data"]["number"] for r in received)
    assert numbers == [0, 1, 2]


def test_workers_side_by_side_never_send_an_attempt_twice(
    engine: Engine, database_url: str, questionnaires_dir: Path, receiver: WebhookReceiver
) -> None:
    paths = ["/a", "/b"]
    seed_events(engine, [f"{receiver.url}{path}" for path in paths], events=30)
    settings = fast_webhook_settings(database_url, questionnaires_dir)
    errors: list[BaseException] = []

    def one_worker() -> None:
        async def deliver() -> None:
            database = Database(engine)
            worker = DeliveryWorker(database=database, settings=settings, batch_size=3)
            try:
                await worker.deliver_until_idle()
            finally:
                await worker.aclose()
                await database.close()

        try:
            asyncio.run(deliver())
        except BaseException as error:
            errors.append(error)

    workers = [threading.Thread(target=one_worker) for _ in range(5)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=120)
    assert errors == []
    sent = Counter((r.path, r.headers["webhook-id"]) for r in receiver.received)
    assert len(sent) == 60 and set(sent.values()) == {1}, sent.most_common(3)
    with unit_of_work(engine) as session:
        deliveries = session.exec(select(WebhookDelivery)).all()
        assert {(d.status, d.attempt_count) for d in deliveries} == {("succeeded", 1)}
        assert len(session.exec(select(WebhookAttempt)).all()) == 60

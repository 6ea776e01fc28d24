"""The delivery worker: claim due deliveries, send them side by side, settle each attempt.

Any number of workers may run, in web processes and `opsmaturity worker` processes, on any
number of hosts: a delivery is claimed by one worker at a time (SELECT … FOR UPDATE SKIP
LOCKED on PostgreSQL, the single writer on SQLite) for a lease longer than an attempt can
take, so no attempt is sent twice; a worker that dies mid-attempt only delays the delivery
until its lease runs out. Database work runs through the runtime's Database
(app/persistence/database.py), in its threads, on SQLite in the web process's write turns like
any request.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar

import anyio
from sqlmodel import Session

from app.models import utc_now
from app.observability.metrics import Metrics
from app.persistence.database import Database
from app.repositories.webhooks import ClaimedDelivery
from app.services.retries import RetryPolicy
from app.services.secret_sealing import sealer_for
from app.services.webhook_addresses import Resolver, system_resolver
from app.services.webhook_outbox import (
    claim_deliveries,
    deliveries_due,
    settle_attempt,
)
from app.services.webhook_sender import WebhookSender
from app.settings import Settings
from app.worker_loop import RunningWorker, rounds_until_idle, run_rounds, start_in_loop

if TYPE_CHECKING:
    from app.runtime import Runtime

__all__ = ["BATCH_SIZE", "DeliveryWorker", "start_in_process_worker"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

BATCH_SIZE = 20
# Added to the request time limit for a claim's lease: time to settle the attempt.
LEASE_MARGIN = timedelta(seconds=60)
# The metric's outcome for each settled status (app/services/webhook_outbox.py).
_OUTCOMES = {"pending": "retrying"}


class DeliveryWorker:
    def __init__(
        self,
        *,
        database: Database,
        settings: Settings,
        resolver: Resolver = system_resolver,
        batch_size: int = BATCH_SIZE,
        metrics: Metrics | None = None,
    ) -> None:
        self._database = database
        self._metrics = metrics
        self._batch_size = batch_size
        self._poll_interval = settings.webhooks_poll_interval_seconds
        self._lease = timedelta(seconds=settings.webhooks_timeout_seconds) + LEASE_MARGIN
        self._policy = RetryPolicy(
            max_attempts=settings.webhooks_max_attempts,
            base_seconds=settings.webhooks_retry_base_seconds,
            max_seconds=settings.webhooks_retry_max_seconds,
        )
        self._sender = WebhookSender(
            allow_private_addresses=settings.webhooks_allow_private_addresses,
            timeout_seconds=settings.webhooks_timeout_seconds,
            sealer=sealer_for(settings.secret_key),
            resolver=resolver,
        )

    async def deliver_due(self) -> int:
        """One round: claim up to a batch of due deliveries, send them side by side and
        settle each. Returns how many were claimed (0: nothing was due)."""
        anything_due = await self._database.run(
            lambda session: deliveries_due(session=session, now=utc_now()), writes=False
        )
        if not anything_due:
            return 0
        claimed = await self._write(
            lambda session: claim_deliveries(
                session=session, now=utc_now(), limit=self._batch_size, lease=self._lease
            )
        )
        if claimed:
            async with anyio.create_task_group() as attempts:
                for delivery in claimed:
                    attempts.start_soon(self._attempt, delivery)
        return len(claimed)

    async def deliver_until_idle(self) -> int:
        """Rounds until nothing is due; returns the number of attempts made."""
        return await rounds_until_idle(self)

    async def run(self, stopping: asyncio.Event) -> None:
        """Rounds until `stopping` is set; between empty rounds, wait the poll interval."""
        await run_rounds(self, stopping, poll_interval=self._poll_interval, name="webhook delivery")

    async def aclose(self) -> None:
        await self._sender.aclose()

    async def _attempt(self, claimed: ClaimedDelivery) -> None:
        try:
            outcome = await self._sender.send(claimed)
            status = await self._write(
                lambda session: settle_attempt(
                    session=session,
                    claimed=claimed,
                    outcome=outcome,
                    policy=self._policy,
                    now=utc_now(),
                )
            )
        except Exception:  # the claim's lease runs out and the delivery is due again
            logger.exception("webhook delivery %s: attempt not settled", claimed.delivery_id)
            self._count("unsettled")
            return
        self._count(_OUTCOMES.get(status, status))
        logger.info(
            "webhook delivery %s attempt %d: %s -> %s",
            claimed.delivery_id,
            claimed.attempt,
            outcome.status_code if outcome.status_code is not None else outcome.error,
            status,
        )

    def _count(self, outcome: str) -> None:
        if self._metrics is not None:
            self._metrics.count_delivery_attempt(outcome)

    async def _write(self, work: Callable[[Session], T]) -> T:
        return await self._database.run(work, writes=True)


def start_in_process_worker(runtime: Runtime) -> RunningWorker:
    """Start delivering in this process, with the app's runtime."""
    settings = runtime.settings
    worker = DeliveryWorker(database=runtime.database, settings=settings, metrics=runtime.metrics)
    return start_in_loop(
        worker,
        poll_interval=settings.webhooks_poll_interval_seconds,
        grace_seconds=settings.webhooks_timeout_seconds + 5,
        name="webhook-delivery",
    )

"""The mail worker: queue the scheduled mail that has come due (reminders), then claim due
messages, hand them over side by side and settle each attempt.

Any number of workers may run, in web processes and `opsmaturity worker` processes: a message
is claimed by one worker at a time for a lease longer than a hand-over can take, as webhook
deliveries are (app/webhooks/delivery_worker.py). The time comes from the runtime's clock, so
a test moves it instead of sleeping."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol, TypeVar

import anyio
from sqlmodel import Session

from app.mail.messages import OutgoingMail
from app.mail.transport import MailTransport, hand_over, transport_for
from app.models import utc_now
from app.persistence.database import Database
from app.services.mail_outbox import MailSender, claim_mail, mail_due, settle_mail
from app.services.retries import RetryPolicy
from app.settings import Settings
from app.worker_loop import RunningWorker, rounds_until_idle, start_in_loop

if TYPE_CHECKING:
    from app.runtime import Runtime

__all__ = ["MailSchedule", "MailWorker", "start_in_process_mail_worker"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

BATCH_SIZE = 10
LEASE_MARGIN = timedelta(seconds=60)


class MailSchedule(Protocol):
    """Mail that a date brings due (a reminder step, a close date): `due` reads whether any
    is (no lock, no write turn when idle); `queue` writes the messages, each at most once."""

    def due(self, session: Session, now: datetime) -> bool: ...

    def queue(self, session: Session, now: datetime, sender: MailSender) -> int: ...


class MailWorker:
    def __init__(
        self,
        *,
        database: Database,
        settings: Settings,
        transport: MailTransport | None = None,
        schedules: Sequence[MailSchedule] = (),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._database = database
        self._transport = transport or transport_for(settings)
        self._schedules = tuple(schedules)
        self._clock = clock
        self._sender = MailSender.of(settings)
        self._lease = timedelta(seconds=settings.mail_timeout_seconds) + LEASE_MARGIN
        self._policy = RetryPolicy(
            max_attempts=settings.mail_max_attempts,
            base_seconds=settings.mail_retry_base_seconds,
            max_seconds=settings.mail_retry_max_seconds,
        )

    async def deliver_due(self) -> int:
        """One round: queue scheduled mail that is due, then claim up to a batch of due
        messages, hand them over side by side and settle each. Returns how many were
        claimed (0: nothing was due)."""
        for schedule in self._schedules:
            await self._queue_scheduled(schedule)
        now = self._clock()
        if not await self._database.run(lambda s: mail_due(session=s, now=now), writes=False):
            return 0
        claimed = await self._write(
            lambda session: claim_mail(
                session=session, now=self._clock(), limit=BATCH_SIZE, lease=self._lease
            )
        )
        if claimed:
            async with anyio.create_task_group() as attempts:
                for mail in claimed:
                    attempts.start_soon(self._attempt, mail)
        return len(claimed)

    async def deliver_until_idle(self) -> int:
        return await rounds_until_idle(self)

    async def aclose(self) -> None:
        return None

    async def _queue_scheduled(self, schedule: MailSchedule) -> None:
        now = self._clock()
        if await self._database.run(lambda s: schedule.due(s, now), writes=False):
            queued = await self._write(lambda s: schedule.queue(s, self._clock(), self._sender))
            if queued:
                logger.info("%d scheduled message(s) queued", queued)

    async def _attempt(self, mail: OutgoingMail) -> None:
        try:
            outcome = await hand_over(self._transport, mail)
            status = await self._write(
                lambda session: settle_mail(
                    session=session,
                    claimed=mail,
                    outcome=outcome,
                    policy=self._policy,
                    now=self._clock(),
                )
            )
        except Exception:  # the claim's lease runs out and the message is due again
            logger.exception("mail %s: attempt not settled", mail.id)
            return
        logger.info("mail %s attempt %d: %s", mail.id, mail.attempt, outcome.error or status)

    async def _write(self, work: Callable[[Session], T]) -> T:
        return await self._database.run(work, writes=True)


def start_in_process_mail_worker(
    runtime: Runtime, schedules: Sequence[MailSchedule] = ()
) -> RunningWorker:
    """Send mail from this process, with the app's runtime and clock."""
    settings = runtime.settings
    worker = MailWorker(
        database=runtime.database, settings=settings, schedules=schedules, clock=runtime.clock
    )
    return start_in_loop(
        worker,
        poll_interval=settings.mail_poll_interval_seconds,
        grace_seconds=settings.mail_timeout_seconds + 5,
        name="mail",
    )

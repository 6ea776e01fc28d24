"""What every outbox worker (webhook deliveries, mail) shares: rounds until told to stop,
waiting the poll interval after an empty round, and running as a task of the web process's
event loop."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Protocol

__all__ = ["OutboxWorker", "RunningWorker", "rounds_until_idle", "run_rounds", "start_in_loop"]

logger = logging.getLogger(__name__)


class OutboxWorker(Protocol):
    async def deliver_due(self) -> int:
        """One round: claim what is due, hand it over, settle it; how many were claimed."""

    async def aclose(self) -> None: ...


async def rounds_until_idle(worker: OutboxWorker) -> int:
    """Rounds until nothing is due; returns the number of attempts made."""
    total = 0
    while claimed := await worker.deliver_due():
        total += claimed
    return total


async def run_rounds(
    worker: OutboxWorker, stopping: asyncio.Event, *, poll_interval: float, name: str
) -> None:
    """Rounds until `stopping` is set; between empty rounds, wait the poll interval."""
    while not stopping.is_set():
        try:
            claimed = await worker.deliver_due()
        except Exception:  # e.g. the database is away for a moment: try again later
            logger.exception("%s round failed; trying again", name)
            claimed = 0
        if not claimed:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stopping.wait(), poll_interval)


@dataclass
class RunningWorker:
    """A worker running as a task of the web process's event loop."""

    worker: OutboxWorker
    task: asyncio.Task[None]
    stopping: asyncio.Event
    grace_seconds: float

    async def stop(self) -> None:
        """Let the round in progress finish (its hand-overs have a time limit), then stop."""
        self.stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self.task), self.grace_seconds)
        except TimeoutError:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task
        finally:
            await self.worker.aclose()


def start_in_loop(
    worker: OutboxWorker, *, poll_interval: float, grace_seconds: float, name: str
) -> RunningWorker:
    stopping = asyncio.Event()
    task = asyncio.create_task(
        run_rounds(worker, stopping, poll_interval=poll_interval, name=name), name=name
    )
    return RunningWorker(worker, task, stopping, grace_seconds)

"""`opsmaturity worker`: deliver webhooks in a process of its own.

Run as many as needed, on any hosts that reach the database; on PostgreSQL they never send
the same attempt twice. Set OPSMATURITY_WEBHOOKS_WORKER_IN_PROCESS=false for the web
processes when the deliveries should run here only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import signal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.webhooks import DeliveryWorker

__all__ = ["register"]


def register(commands: Any) -> None:
    worker = commands.add_parser("worker", help="deliver webhooks (a separate worker process)")
    worker.add_argument(
        "--once",
        action="store_true",
        help="deliver what is due now, then exit (failed attempts wait for their retry)",
    )
    worker.set_defaults(handler=run_worker)


def run_worker(arguments: argparse.Namespace) -> int:
    from app.observability import logging_config
    from app.observability.metrics import Metrics
    from app.persistence.database import Database
    from app.settings import Settings
    from app.webhooks import DeliveryWorker

    settings = Settings()
    logging.config.dictConfig(logging_config(settings.log_format_in_use, settings.log_level))
    database = Database.open(settings.database_url)
    # With PROMETHEUS_MULTIPROC_DIR shared with the web processes, their /metrics counts
    # this worker's attempts too.
    worker = DeliveryWorker(database=database, settings=settings, metrics=Metrics())
    try:
        if arguments.once:
            attempts = asyncio.run(_deliver_once(worker))
            print(f"{attempts} webhook attempt(s) made", flush=True)
        else:
            print(
                f"delivering webhooks from {database.engine.url.render_as_string(hide_password=True)}; "
                "Ctrl-C stops",
                flush=True,
            )
            asyncio.run(_deliver_until_stopped(worker))
    finally:
        asyncio.run(database.close())
    return 0


async def _deliver_once(worker: DeliveryWorker) -> int:
    try:
        return await worker.deliver_until_idle()
    finally:
        await worker.aclose()


async def _deliver_until_stopped(worker: DeliveryWorker) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopping.set)
    try:
        await worker.run(stopping)  # the round in progress finishes first
    finally:
        await worker.aclose()

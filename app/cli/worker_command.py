"""`opsmaturity worker`: deliver webhooks and send mail in a process of its own.

Run as many as needed, on any hosts that reach the database; on PostgreSQL they never send
the same attempt twice. Set OPSMATURITY_WEBHOOKS_WORKER_IN_PROCESS=false and
OPSMATURITY_MAIL_WORKER_IN_PROCESS=false for the web processes when deliveries and mail
should go from here only.
"""

from __future__ import annotations

import argparse
import asyncio
import logging.config
import signal
from typing import TYPE_CHECKING, Any

from app.worker_loop import rounds_until_idle, run_rounds

if TYPE_CHECKING:
    from app.mail.worker import MailWorker
    from app.settings import Settings
    from app.webhooks import DeliveryWorker

__all__ = ["register"]


def register(commands: Any) -> None:
    worker = commands.add_parser(
        "worker", help="deliver webhooks and send mail (a separate worker process)"
    )
    worker.add_argument(
        "--once",
        action="store_true",
        help="deliver what is due now, then exit (failed attempts wait for their retry)",
    )
    worker.set_defaults(handler=run_worker)


def run_worker(arguments: argparse.Namespace) -> int:
    from app.catalog import load_catalog
    from app.mail.worker import MailWorker
    from app.observability import logging_config
    from app.observability.metrics import Metrics
    from app.persistence.database import Database
    from app.services.reminder_schedule import respondent_mail_schedules
    from app.settings import Settings
    from app.webhooks import DeliveryWorker

    settings = Settings()
    logging.config.dictConfig(logging_config(settings.log_format_in_use, settings.log_level))
    database = Database.open(settings.database_url)
    # With PROMETHEUS_MULTIPROC_DIR shared with the web processes, their /metrics counts
    # this worker's attempts too.
    webhooks = DeliveryWorker(database=database, settings=settings, metrics=Metrics())
    # Reminders and close dates need the questionnaires the assessments pinned.
    schedules = respondent_mail_schedules(load_catalog(settings.questionnaires_dir), settings)
    mail = MailWorker(database=database, settings=settings, schedules=schedules)
    try:
        if arguments.once:
            webhook_attempts, mail_attempts = asyncio.run(_deliver_once(webhooks, mail))
            print(f"{webhook_attempts} webhook attempt(s) made", flush=True)
            print(f"{mail_attempts} mail attempt(s) made", flush=True)
        else:
            print(
                "delivering webhooks and mail from "
                f"{database.engine.url.render_as_string(hide_password=True)}; Ctrl-C stops",
                flush=True,
            )
            asyncio.run(_deliver_until_stopped(webhooks, mail, settings))
    finally:
        asyncio.run(database.close())
    return 0


async def _deliver_once(webhooks: DeliveryWorker, mail: MailWorker) -> tuple[int, int]:
    try:
        return await rounds_until_idle(webhooks), await rounds_until_idle(mail)
    finally:
        await webhooks.aclose()
        await mail.aclose()


async def _deliver_until_stopped(
    webhooks: DeliveryWorker, mail: MailWorker, settings: Settings
) -> None:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stopping.set)
    try:  # the rounds in progress finish first
        async with asyncio.TaskGroup() as workers:
            workers.create_task(webhooks.run(stopping))
            workers.create_task(
                run_rounds(
                    mail, stopping, poll_interval=settings.mail_poll_interval_seconds, name="mail"
                )
            )
    finally:
        await webhooks.aclose()
        await mail.aclose()

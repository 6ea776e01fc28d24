"""create_app(settings): the FastAPI application; nothing is built at import time."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from app import health
from app.api import API_ROUTERS
from app.api.body_limit import BodyLimitMiddleware
from app.api.idempotency_middleware import IdempotencyMiddleware
from app.api_docs import install_api_docs
from app.catalog import load_catalog
from app.mail.worker import start_in_process_mail_worker
from app.migrations.runner import upgrade_schema
from app.models import utc_now
from app.observability.install import install_observability
from app.observability.metrics import Metrics
from app.persistence.database import Database
from app.persistence.engine import make_engine
from app.persistence.unit_of_work import unit_of_work
from app.problems import install_problem_handlers
from app.routing import add_routes
from app.runtime import Runtime
from app.services.reminder_schedule import respondent_mail_schedules
from app.services.report_rendering import new_report_pool, pre_render_closed_assessments
from app.services.results_cache import ResultsCache
from app.services.secret_sealing import sealer_for
from app.services.webhook_endpoints import seal_stored_secrets
from app.settings import Settings
from app.web.demo_announcement import announce_demo_workspace
from app.web.install import install_web, render_error_page
from app.webhooks import start_in_process_worker
from app.worker_loop import RunningWorker

__all__ = ["app_from_environment", "create_app", "prepare_database"]

REPORT_WORKERS = min(2, os.cpu_count() or 1)


def create_app(
    settings: Settings,
    *,
    serves_the_process: bool = False,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """Build the app. The lifespan loads the catalog (refusing to start on an invalid
    definition), creates the database engine and brings the schema up to date; all of it
    lives on `app.state`.

    `serves_the_process`: the app is the one thing its process runs (`opsmaturity serve`, each
    worker), so what start-up built is frozen out of the garbage collector until shutdown. A
    process that hosts several apps in turn (the tests) leaves the collector alone.

    `clock`: the time of scheduled work (mail reminders); tests move it instead of sleeping."""

    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        catalog = load_catalog(settings.questionnaires_dir)
        runtime = Runtime(
            settings=settings,
            catalog=catalog,
            database=Database.open(settings.database_url),
            results_cache=ResultsCache(),
            # Reports render in worker processes, never in this event loop (app/reports).
            report_pool=new_report_pool(REPORT_WORKERS),
            metrics=metrics,
            clock=clock,
        )
        app.state.runtime = runtime
        engine = runtime.database.engine
        pre_render: asyncio.Task[None] | None = None
        webhooks: RunningWorker | None = None
        mail: RunningWorker | None = None
        try:
            await run_in_threadpool(upgrade_schema, engine)
            await run_in_threadpool(seal_webhook_secrets, engine, settings)
            if settings.creates_demo_workspace:
                await run_in_threadpool(announce_demo_workspace, engine, catalog, settings)
            pre_render = asyncio.create_task(pre_render_closed_assessments(runtime))
            if settings.webhooks_worker_in_process:
                webhooks = start_in_process_worker(runtime)
            if settings.mail_worker_in_process:
                mail = start_in_process_mail_worker(
                    runtime, respondent_mail_schedules(catalog, settings)
                )
            if serves_the_process:
                # What start-up built lives as long as the process: out of the collector's
                # sight, a full collection scans only what requests create, in a millisecond
                # instead of pausing every request in flight for a tenth of a second.
                gc.freeze()
            yield
        finally:
            if serves_the_process:
                gc.unfreeze()
            if webhooks is not None:
                await webhooks.stop()
            if mail is not None:
                await mail.stop()
            if pre_render is not None:
                pre_render.cancel()
            await run_in_threadpool(runtime.report_pool.shutdown, True, cancel_futures=True)
            await runtime.database.close()

    app = FastAPI(
        title="OpsMaturity",
        version="0.1.0",
        description=(
            "Operational-maturity diagnostic: questionnaires, scores, disagreement and reports.\n\n"
            "Authenticate with `Authorization: Bearer <API key>`. Errors are RFC 9457 problem "
            "details (`application/problem+json`) naming each offending field. Any POST accepts "
            "an `Idempotency-Key` header: a retry returns the first response."
        ),
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    install_problem_handlers(app, page_error=render_error_page)
    install_api_docs(app)
    add_routes(app, health.router, *API_ROUTERS)
    install_web(app, settings)
    app.add_middleware(IdempotencyMiddleware, path_prefix="/api/")
    # Outermost, so no other middleware reads an oversized body.
    app.add_middleware(
        BodyLimitMiddleware,
        max_bytes=settings.max_request_body_bytes,
        page_error=render_error_page,
    )
    # Request ids, access log, metrics, security headers and rate limits: outside the rest
    # (they read no body).
    install_observability(app, settings, metrics)
    return app


def app_from_environment() -> FastAPI:
    """The app with its settings read from the environment: the factory that each worker of
    `opsmaturity serve --workers N` (or `uvicorn --factory --workers N`) calls."""
    return create_app(Settings(), serves_the_process=True)


def prepare_database(settings: Settings) -> None:
    """What `serve --workers N` does once before it starts the workers: check the questionnaire
    definitions, migrate, and create the demo workspace (printing its sign-in once). Each
    worker's lifespan then finds all of it done."""
    catalog = load_catalog(settings.questionnaires_dir)
    engine = make_engine(settings.database_url)
    try:
        upgrade_schema(engine)
        seal_webhook_secrets(engine, settings)
        if settings.creates_demo_workspace:
            announce_demo_workspace(engine, catalog, settings)
    finally:
        engine.dispose()


def seal_webhook_secrets(engine: Engine, settings: Settings) -> None:
    """Seal webhook signing secrets stored before they were sealed (app/services/secret_sealing.py)."""
    with unit_of_work(engine, writes=True) as session:
        seal_stored_secrets(session=session, sealer=sealer_for(settings.secret_key))

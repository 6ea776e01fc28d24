"""Worker processes that render reports, and the pre-rendering of closed assessments.

PDF rendering is about a second of CPU; in the API's process it would stall every request.
A process pool on app.state renders instead, and the result goes to the shared report cache,
so each distinct report is rendered once across all workers and hosts.
"""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import get_context
from typing import Any

from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool

from app.models import utc_now
from app.observability.metrics import Metrics
from app.persistence.unit_of_work import unit_of_work
from app.persistence.write_turns import write_turn
from app.reports.assessment_report import (
    PreparedReport,
    ReportDocument,
    media_type,
    prepare_assessment_report,
    render_report_document,
    warm_up_renderer,
)
from app.reports.report_cache import (
    claim_pre_render,
    closed_assessments_without_report,
    store_report,
)
from app.reports.view_model import ReportVariant
from app.services.errors import DomainError
from app.services.webhook_events import record_report_ready

__all__ = [
    "PRE_RENDER_INTERVAL_S",
    "PRE_RENDER_LEASE",
    "finish_report",
    "new_report_pool",
    "pre_render_closed_assessments",
]

logger = logging.getLogger(__name__)

PRE_RENDER_INTERVAL_S = 5.0
# How long a worker's claim to pre-render a report lasts: well past a render's few seconds,
# so that only a worker that died lets another take the report over.
PRE_RENDER_LEASE = timedelta(minutes=5)


def new_report_pool(workers: int) -> ProcessPoolExecutor:
    """Fresh ("spawn") processes: no copy of the server's threads, sockets or engine."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=warm_up_renderer
    )


async def finish_report(state: Any, prepared: PreparedReport) -> ReportDocument:
    """The cached document, or render it in a worker process and keep it in the cache.
    Counted in this process's metrics (the render worker has none) as cached or fresh."""
    started = time.perf_counter()
    if prepared.cached is not None:
        if prepared.view is not None:  # found by content, reached from new sources: remember
            await _store(state, prepared, prepared.cached.content)
        _count_render(state, prepared, cached=True, started=started)
        return prepared.cached
    assert prepared.view is not None  # a report not in the cache always has its view
    loop = asyncio.get_running_loop()
    content = await loop.run_in_executor(
        state.report_pool, render_report_document, prepared.view, prepared.report_format
    )
    _count_render(state, prepared, cached=False, started=started)
    await _store(state, prepared, content)
    return ReportDocument(content, media_type(prepared.report_format), prepared.filename)


def _count_render(state: Any, prepared: PreparedReport, *, cached: bool, started: float) -> None:
    metrics: Metrics | None = getattr(state, "metrics", None)
    if metrics is not None:
        metrics.observe_report(
            cached=cached,
            variant=prepared.variant,
            format=prepared.report_format,
            seconds=time.perf_counter() - started,
        )


async def _store(state: Any, prepared: PreparedReport, content: bytes) -> None:
    def store() -> None:
        with unit_of_work(state.engine, writes=True) as session:
            store_report(
                session,
                workspace_id=prepared.workspace_id,
                assessment_id=prepared.assessment_id,
                results_version=prepared.results_version,
                cache_key=prepared.cache_key,
                source_key=prepared.source_key,
                report_format=prepared.report_format,
                content=content,
            )
            record_report_ready(
                session=session,
                catalog=state.catalog,
                base_url=state.settings.base_url,
                workspace_id=prepared.workspace_id,
                assessment_id=prepared.assessment_id,
                results_version=prepared.results_version,
                report_format=prepared.report_format,
                now=utc_now(),
            )

    try:
        async with write_turn(state, writes=True):
            await run_in_threadpool(store)
    except IntegrityError:
        pass  # another worker stored the same report first


async def pre_render_closed_assessments(state: Any) -> None:
    """Forever: render the PDF of every closed assessment that has none at its current results,
    so the consultant's first download is a cached one. Every worker runs this; each report
    goes to the first worker that claims it (claim_pre_render), so it is rendered once."""
    unrenderable: set[tuple[str, int]] = set()  # e.g. closed with no answers: not retried
    while True:
        try:
            await _pre_render_once(state, unrenderable)
        except Exception:  # one bad assessment must not stop the others
            logger.exception("pre-rendering reports failed; trying again later")
        await asyncio.sleep(PRE_RENDER_INTERVAL_S)


async def _pre_render_once(state: Any, unrenderable: set[tuple[str, int]]) -> int:
    def pending() -> list[tuple[str, str, int, str]]:
        with unit_of_work(state.engine) as session:
            return closed_assessments_without_report(session)

    rendered = 0
    for workspace_id, assessment_id, version, kind in await run_in_threadpool(pending):
        if (assessment_id, version) in unrenderable:
            continue

        def claim(assessment_id: str = assessment_id, version: int = version) -> bool:
            with unit_of_work(state.engine, writes=True) as session:
                return claim_pre_render(
                    session,
                    assessment_id=assessment_id,
                    results_version=version,
                    now=utc_now(),
                    lease=PRE_RENDER_LEASE,
                )

        async with write_turn(state, writes=True):
            claimed = await run_in_threadpool(claim)
        if not claimed:
            continue  # another worker renders it

        def prepare(
            workspace_id: str = workspace_id,
            assessment_id: str = assessment_id,
            variant: ReportVariant = "individual" if kind == "self" else "team",
        ) -> PreparedReport:
            with unit_of_work(state.engine) as session:
                return prepare_assessment_report(
                    session=session,
                    catalog=state.catalog,
                    workspace_id=workspace_id,
                    assessment_id=assessment_id,
                    report_format="pdf",
                    variant=variant,
                )

        try:
            prepared = await run_in_threadpool(prepare)
        except DomainError as error:
            logger.info("no report for %s: %s", assessment_id, error)
            unrenderable.add((assessment_id, version))
            continue
        await finish_report(state, prepared)
        rendered += 1
    return rendered

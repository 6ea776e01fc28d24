"""Reports rendered in worker processes, and the pre-rendering of closed assessments.

PDF rendering is about a second of CPU; in the API's process it would stall every request.
The runtime's process pool renders instead (app/reports/render_worker.py is what it runs),
and the result goes to the shared report cache, so each distinct report is rendered once
across all workers and hosts. Database work goes through the runtime's Database.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import timedelta
from multiprocessing import get_context
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from app.catalog import Catalog
from app.models import utc_now
from app.reports.documents import ReportDocument, ReportFormat, media_type
from app.reports.render_worker import render_report_document, warm_up_renderer
from app.reports.view_model import ReportDetail, ReportVariant
from app.repositories import report_cache as report_rows
from app.services.assessment_reports import PreparedReport, prepare_assessment_report
from app.services.errors import DomainError
from app.services.report_cache import store_report
from app.services.webhook_events import record_report_ready

if TYPE_CHECKING:
    from app.runtime import Runtime

__all__ = [
    "PRE_RENDER_INTERVAL_S",
    "PRE_RENDER_LEASE",
    "ReportUnitOfWork",
    "assessment_report_document",
    "finish_report",
    "new_report_pool",
    "pre_render_closed_assessments",
    "prepare_report",
]

logger = logging.getLogger(__name__)

PRE_RENDER_INTERVAL_S = 5.0
# How long a worker's claim to pre-render a report lasts: well past a render's few seconds,
# so that only a worker that died lets another take the report over.
PRE_RENDER_LEASE = timedelta(minutes=5)


class ReportUnitOfWork(Protocol):
    """The request's one transaction, as the request dependencies hand it over."""

    async def run(self, work: Callable[[Session], PreparedReport]) -> PreparedReport: ...


def new_report_pool(workers: int) -> ProcessPoolExecutor:
    """Fresh ("spawn") processes: no copy of the server's threads, sockets or engine."""
    return ProcessPoolExecutor(
        max_workers=workers, mp_context=get_context("spawn"), initializer=warm_up_renderer
    )


async def assessment_report_document(
    *,
    runtime: Runtime,
    unit: ReportUnitOfWork,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    report_format: ReportFormat,
    variant: ReportVariant = "team",
    detail: ReportDetail = "executive",
) -> ReportDocument:
    """The report from the cache, or rendered in a worker process: what the API and the
    console download. `detail` is its length: the executive report, or the full one."""
    prepared = await prepare_report(
        unit=unit,
        catalog=catalog,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
        report_format=report_format,
        variant=variant,
        detail=detail,
    )
    return await finish_report(runtime, prepared)


async def prepare_report(
    *,
    unit: ReportUnitOfWork,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    report_format: ReportFormat,
    variant: ReportVariant,
    detail: ReportDetail,
) -> PreparedReport:
    """`prepare_assessment_report` in a unit of work: the view, or the cached document."""
    return await unit.run(
        lambda session: prepare_assessment_report(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
            report_format=report_format,
            variant=variant,
            detail=detail,
        )
    )


async def finish_report(runtime: Runtime, prepared: PreparedReport) -> ReportDocument:
    """The cached document, or render it in a worker process and keep it in the cache.
    Counted in this process's metrics (the render worker has none) as cached or fresh."""
    started = time.perf_counter()
    if prepared.cached is not None:
        if prepared.view is not None:  # found by content, reached from new sources: remember
            await _store(runtime, prepared, prepared.cached.content)
        _count_render(runtime, prepared, cached=True, started=started)
        return prepared.cached
    assert prepared.view is not None  # a report not in the cache always has its view
    loop = asyncio.get_running_loop()
    content = await loop.run_in_executor(
        runtime.report_pool, render_report_document, prepared.view, prepared.report_format
    )
    _count_render(runtime, prepared, cached=False, started=started)
    await _store(runtime, prepared, content)
    return ReportDocument(content, media_type(prepared.report_format), prepared.filename)


def _count_render(
    runtime: Runtime, prepared: PreparedReport, *, cached: bool, started: float
) -> None:
    runtime.metrics.observe_report(
        cached=cached,
        variant=prepared.variant,
        format=prepared.report_format,
        seconds=time.perf_counter() - started,
    )


async def _store(runtime: Runtime, prepared: PreparedReport, content: bytes) -> None:
    def store(session: Session) -> None:
        store_report(
            session=session,
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
            catalog=runtime.catalog,
            base_url=runtime.settings.base_url,
            workspace_id=prepared.workspace_id,
            assessment_id=prepared.assessment_id,
            results_version=prepared.results_version,
            report_format=prepared.report_format,
            now=utc_now(),
        )

    with contextlib.suppress(IntegrityError):  # another worker stored the same report first
        await runtime.database.run(store, writes=True)


async def pre_render_closed_assessments(runtime: Runtime) -> None:
    """Forever: render the PDF of every closed assessment that has none at its current results,
    so the consultant's first download is a cached one. That is the executive report, the
    default length; the full report, with its item-level appendix, renders on demand. Every
    worker runs this; each report goes to the first worker that claims it (claim_pre_render),
    so it is rendered once."""
    unrenderable: set[tuple[str, int]] = set()  # e.g. closed with no answers: not retried
    while True:
        try:
            await _pre_render_once(runtime, unrenderable)
        except Exception:  # one bad assessment must not stop the others
            logger.exception("pre-rendering reports failed; trying again later")
        await asyncio.sleep(PRE_RENDER_INTERVAL_S)


async def _pre_render_once(runtime: Runtime, unrenderable: set[tuple[str, int]]) -> int:
    database = runtime.database
    # Closed assessments with no report at their results version (a self-assessment, kind
    # "self", is pre-rendered as the individual report).
    pending = await database.run(report_rows.closed_assessments_without_report, writes=False)
    rendered = 0
    for workspace_id, assessment_id, version, kind in pending:
        if (assessment_id, version) in unrenderable:
            continue

        def claim(
            session: Session, assessment_id: str = assessment_id, version: int = version
        ) -> bool:
            return report_rows.claim_pre_render(
                session,
                assessment_id=assessment_id,
                results_version=version,
                now=utc_now(),
                lease=PRE_RENDER_LEASE,
            )

        if not await database.run(claim, writes=True):
            continue  # another worker renders it

        def prepare(
            session: Session,
            workspace_id: str = workspace_id,
            assessment_id: str = assessment_id,
            variant: ReportVariant = "individual" if kind == "self" else "team",
        ) -> PreparedReport:
            return prepare_assessment_report(
                session=session,
                catalog=runtime.catalog,
                workspace_id=workspace_id,
                assessment_id=assessment_id,
                report_format="pdf",
                variant=variant,
                detail="executive",
            )

        try:
            prepared = await database.run(prepare, writes=False)
        except DomainError as error:
            logger.info("no report for %s: %s", assessment_id, error)
            unrenderable.add((assessment_id, version))
            continue
        await finish_report(runtime, prepared)
        rendered += 1
    return rendered

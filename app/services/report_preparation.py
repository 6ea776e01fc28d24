"""Reports prepared in the background, for the pages that wait for them: a page asks for a
report, learns whether it is ready, and if not, its rendering starts (once per process) while
the page says that it is being prepared and asks again (the data-report-status script in
app/web/static/app.js).

The download itself stays a plain request: a report asked for before it is ready is rendered
while the request waits, as before.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from app.catalog import Catalog
from app.reports.documents import ReportFormat
from app.reports.view_model import ReportDetail, ReportVariant
from app.services.assessment_reports import PreparedReport
from app.services.report_rendering import ReportUnitOfWork, finish_report, prepare_report

if TYPE_CHECKING:
    from app.runtime import Runtime

__all__ = ["assessment_report_ready", "report_ready_or_started"]

logger = logging.getLogger(__name__)


def report_ready_or_started(
    runtime: Runtime, prepared: PreparedReport, *, start: bool = True
) -> bool:
    """Whether the report is in the cache; if it is not, start rendering it in the background
    (unless this process already renders it, or `start` is False) and say False."""
    if prepared.cached is not None:
        if prepared.view is not None and start:  # found by content only: remember its sources
            _start(runtime, prepared)
        return True
    if start:
        _start(runtime, prepared)
    return False


async def assessment_report_ready(
    *,
    runtime: Runtime,
    unit: ReportUnitOfWork,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    report_format: ReportFormat = "pdf",
    variant: ReportVariant = "team",
    detail: ReportDetail = "executive",
    start: bool = True,
) -> bool:
    """Whether the assessment's report can be downloaded at once; starts rendering it when
    not, unless `start` is False (the full report renders only when someone asks for it).

    ResultsNotReadyError until someone submits, as for the download itself."""
    prepared = await prepare_report(
        unit=unit,
        catalog=catalog,
        workspace_id=workspace_id,
        assessment_id=assessment_id,
        report_format=report_format,
        variant=variant,
        detail=detail,
    )
    return report_ready_or_started(runtime, prepared, start=start)


def _start(runtime: Runtime, prepared: PreparedReport) -> None:
    renders = runtime.report_renders
    key = prepared.cache_key
    running = renders.get(key)
    if running is not None and not running.done():
        return
    task: asyncio.Task[object] = asyncio.create_task(finish_report(runtime, prepared))
    renders[key] = task

    def forget(done: asyncio.Task[object]) -> None:
        if renders.get(key) is done:
            del renders[key]
        if not done.cancelled() and done.exception() is not None:
            logger.error(
                "rendering the report of %s in the background failed",
                prepared.assessment_id,
                exc_info=done.exception(),
            )

    task.add_done_callback(forget)

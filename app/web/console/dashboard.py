"""/console: the dashboard of team assessments with their completion, and recent
self-assessments; /console/self-assessments/archived: the self-assessment starts archived
after `self_assessment_archive_after_days` without a submission."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.services.console_overview import (
    DASHBOARD_LIMIT,
    archived_self_assessments,
    console_dashboard,
)
from app.web.console.form_posts import notice_for
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("", response_class=Response)
async def dashboard(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    now = utc_now()
    overview = await unit.run(
        lambda session: console_dashboard(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            now=now,
            archive_after_days=settings.self_assessment_archive_after_days,
        )
    )
    context = {
        "title": "Assessments",
        "dashboard": overview,
        "limit": DASHBOARD_LIMIT,
        "notice": notice_for(done),
    }
    return render_page(request, "console/dashboard.html", context)


@router.get("/self-assessments/archived", response_class=Response)
async def archived_self_assessment_starts(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, settings: SettingsDep
) -> Response:
    now = utc_now()
    archived = await unit.run(
        lambda session: archived_self_assessments(
            session=session,
            workspace_id=user.workspace_id,
            now=now,
            archive_after_days=settings.self_assessment_archive_after_days,
        )
    )
    context = {"title": "Archived self-assessments", "archived": archived}
    return render_page(request, "console/self_assessments_archived.html", context)

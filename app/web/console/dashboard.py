"""/console: the dashboard of team assessments with their completion, and recent
self-assessments."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, UnitOfWorkDep
from app.services.console_overview import DASHBOARD_LIMIT, console_dashboard
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
    done: str | None = None,
) -> Response:
    overview = await unit.run(
        lambda session: console_dashboard(
            session=session, catalog=catalog, workspace_id=user.workspace_id
        )
    )
    context = {
        "title": "Assessments",
        "dashboard": overview,
        "limit": DASHBOARD_LIMIT,
        "notice": notice_for(done),
    }
    return render_page(request, "console/dashboard.html", context)

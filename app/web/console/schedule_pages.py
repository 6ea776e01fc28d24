"""/console/assessments/<id>/schedule: the assessment's close date (a day in the workspace's
time zone) and its reminder plan, edited from its page and saved by the service the API's
PATCH uses."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, UnitOfWorkDep
from app.models import utc_now
from app.services.errors import InvalidInputError
from app.services.respondent_invites import assessment_page
from app.services.schedule_form import ScheduleForm, save_schedule_form
from app.web.console.assessments import AssessmentId, render_assessment_page
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    field_errors,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep

__all__ = ["router"]

router = APIRouter(prefix="/console/assessments/{assessment_id}", include_in_schema=False)
ShortField = Annotated[str, Form(max_length=200)]


@router.post("/schedule", response_class=Response, dependencies=CSRF_CHECKED)
async def save_schedule(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    closes_at: ShortField = "",
    reminder_days: ShortField = "",
    remind_before_close: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    form = ScheduleForm(
        closes_at=closes_at,
        reminder_days=reminder_days,
        remind_before_close=remind_before_close == "yes",
    )
    try:
        await unit.run(
            lambda session: save_schedule_form(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                assessment_id=assessment_id,
                form=form,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        page = await read_after_refusal(
            request,
            lambda session: assessment_page(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                assessment_id=assessment_id,
            ),
        )
        return render_assessment_page(
            request, page, schedule=form, schedule_errors=field_errors(error)
        )
    return see_other(f"/console/assessments/{assessment_id}", "schedule")

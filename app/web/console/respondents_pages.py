"""Respondents of an assessment from the console: add one, paste several as CSV (all or
none), remove one. After adding, the new invite links are shown once, on the page that
answers the post: they cannot be shown again, so there is no redirect to a page that would
have to keep them (the response is never cached: `Cache-Control: no-store`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from app.catalog import Catalog
from app.dependencies import CatalogDep, SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.services.errors import InvalidInputError
from app.services.respondent_invites import assessment_page, invite_from_csv, invite_respondent
from app.services.respondents import InvitedRespondent, remove_respondent
from app.web.console.assessments import AssessmentId, render_assessment_page
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    field_errors,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/assessments/{assessment_id}", include_in_schema=False)
_ATTRIBUTE_PREFIX = "attr."
_MAX_CSV_CHARACTERS = 200_000


def _invites_page(
    request: Request, assessment_id: str, invited: list[InvitedRespondent]
) -> Response:
    context = {
        "title": "Invite links",
        "assessment_id": assessment_id,
        "invited": invited,
    }
    return render_page(request, "console/invites.html", context)


async def _refused(
    request: Request,
    catalog: Catalog,
    workspace_id: str,
    assessment_id: str,
    *,
    add_values: dict[str, str] | None = None,
    add_errors: dict[str, str] | None = None,
    csv_text: str = "",
    csv_errors: list[str] | None = None,
) -> Response:
    """The assessment's page again, with the refused form as it was typed."""
    page = await read_after_refusal(
        request,
        lambda session: assessment_page(
            session=session,
            catalog=catalog,
            workspace_id=workspace_id,
            assessment_id=assessment_id,
        ),
    )
    return render_assessment_page(
        request,
        page,
        add_values=add_values,
        add_errors=add_errors,
        csv_text=csv_text,
        csv_errors=csv_errors,
    )


@router.post("/respondents", response_class=Response, dependencies=CSRF_CHECKED)
async def add_respondent(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    name: Annotated[str, Form(max_length=1000)] = "",
    email: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    submitted = await request.form()
    attributes = {
        key.removeprefix(_ATTRIBUTE_PREFIX): str(value)[:100]
        for key, value in submitted.items()
        if key.startswith(_ATTRIBUTE_PREFIX) and isinstance(value, str)
    }
    try:
        invited = await unit.run(
            lambda session: invite_respondent(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                assessment_id=assessment_id,
                name=name,
                email=email,
                attributes=attributes,
                base_url=settings.base_url,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        typed = {"name": name, "email": email} | {
            f"{_ATTRIBUTE_PREFIX}{key}": value for key, value in attributes.items()
        }
        return await _refused(
            request,
            catalog,
            user.workspace_id,
            assessment_id,
            add_values=typed,
            add_errors=field_errors(error),
        )
    return _invites_page(request, assessment_id, invited)


@router.post("/respondents/csv", response_class=Response, dependencies=CSRF_CHECKED)
async def paste_respondents(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    csv: Annotated[str, Form(max_length=_MAX_CSV_CHARACTERS)] = "",
) -> Response:
    try:
        invited = await unit.run(
            lambda session: invite_from_csv(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                assessment_id=assessment_id,
                csv_text=csv,
                base_url=settings.base_url,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        return await _refused(
            request,
            catalog,
            user.workspace_id,
            assessment_id,
            csv_text=csv,
            csv_errors=[problem.message for problem in error.problems],
        )
    return _invites_page(request, assessment_id, invited)


@router.post(
    "/respondents/{respondent_id}/remove", response_class=Response, dependencies=CSRF_CHECKED
)
async def remove(
    assessment_id: AssessmentId,
    respondent_id: Annotated[str, Path(max_length=40)],
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    await unit.run(
        lambda session: remove_respondent(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            now=utc_now(),
        )
    )
    return see_other(f"/console/assessments/{assessment_id}", "removed")

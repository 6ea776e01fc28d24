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
from app.services.reminder_schedule import remind_unfinished
from app.services.respondent_invites import assessment_page, invite_from_csv, invite_respondent
from app.services.respondent_links import reissue_link
from app.services.respondent_mail import RespondentMailer
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
_MAX_MESSAGE_CHARACTERS = 4000


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
    send_invites: Annotated[str, Form(max_length=10)] = "",
    personal_message: Annotated[str, Form(max_length=_MAX_MESSAGE_CHARACTERS)] = "",
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
                mailer=RespondentMailer.of(settings),
                send_invites=bool(send_invites),
                personal_message=personal_message,
            )
        )
    except InvalidInputError as error:
        typed = {
            "name": name,
            "email": email,
            "send_invites": send_invites,
            "personal_message": personal_message,
        } | {f"{_ATTRIBUTE_PREFIX}{key}": value for key, value in attributes.items()}
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
    send_invites: Annotated[str, Form(max_length=10)] = "",
    personal_message: Annotated[str, Form(max_length=_MAX_MESSAGE_CHARACTERS)] = "",
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
                mailer=RespondentMailer.of(settings),
                send_invites=bool(send_invites),
                personal_message=personal_message,
            )
        )
    except InvalidInputError as error:
        return await _refused(
            request,
            catalog,
            user.workspace_id,
            assessment_id,
            csv_text=csv,
            csv_errors=[
                problem.message
                if problem.field == "csv"
                else f"{problem.field.replace('_', ' ')}: {problem.message}"
                for problem in error.problems
            ],
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


@router.post("/remind", response_class=Response, dependencies=CSRF_CHECKED)
async def remind(
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    await unit.run(
        lambda session: remind_unfinished(
            session=session,
            catalog=catalog,
            mailer=RespondentMailer.of(settings),
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
            now=utc_now(),
        )
    )
    return see_other(f"/console/assessments/{assessment_id}", "reminded")


@router.post(
    "/respondents/{respondent_id}/new-link", response_class=Response, dependencies=CSRF_CHECKED
)
async def new_link(
    request: Request,
    assessment_id: AssessmentId,
    respondent_id: Annotated[str, Path(max_length=40)],
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
    send_invite: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """A new link (the old one stops working; the answers stay), shown once, and e-mailed
    when asked; also how a respondent copied from an earlier round is first invited."""
    invited = await unit.run(
        lambda session: reissue_link(
            session=session,
            catalog=catalog,
            mailer=RespondentMailer.of(settings),
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            send_invite=bool(send_invite),
            personal_message="",
            now=utc_now(),
        )
    )
    return _invites_page(request, assessment_id, [invited])

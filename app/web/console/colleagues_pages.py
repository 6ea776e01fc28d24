"""/console/colleagues (owners): the workspace's members and pending invitations, inviting a
colleague by email with a role, changing a role and removing a colleague. A new invitation's
link is shown once, on the page that answers the invitation (it is also emailed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import MEMBER_ROLES, utc_now
from app.services.colleagues import (
    ROLE_MEANINGS,
    Colleagues,
    NewInvitation,
    cancel_invitation,
    change_role,
    colleagues_of,
    invite_colleague,
    remove_colleague,
)
from app.services.errors import ConflictError, InvalidInputError
from app.services.mail_outbox import MailSender
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    field_errors,
    notice_for,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/colleagues", include_in_schema=False)
TextField = Annotated[str, Form(max_length=1000)]
UserId = Annotated[str, Path(max_length=40)]


def _page(
    request: Request,
    colleagues: Colleagues,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
    join_link: str | None = None,
    status: int | None = None,
) -> Response:
    context = {
        "title": "Colleagues",
        "colleagues": colleagues,
        "roles": MEMBER_ROLES,
        "role_meanings": ROLE_MEANINGS,
        "values": values or {"email": "", "name": "", "role": "consultant"},
        "errors": errors or {},
        "notice": notice,
        "join_link": join_link,
        "now": utc_now(),
    }
    code = status if status is not None else 422 if errors else 200
    return render_page(request, "console/colleagues.html", context, status=code)


@router.get("", response_class=Response)
async def show_colleagues(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, done: str | None = None
) -> Response:
    colleagues = await unit.run(
        lambda session: colleagues_of(session=session, workspace_id=user.workspace_id)
    )
    return _page(request, colleagues, notice=notice_for(done))


@router.post("", response_class=Response, dependencies=CSRF_CHECKED)
async def invite(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    email: TextField = "",
    name: TextField = "",
    role: TextField = "consultant",
) -> Response:
    sender = MailSender.of(settings)

    def invite_and_list(session: Session) -> tuple[NewInvitation, Colleagues]:
        new = invite_colleague(
            session=session,
            sender=sender,
            workspace_id=user.workspace_id,
            inviter=user.name,
            inviter_user_id=user.user_id,
            actor=actor_of(user),
            email=email,
            name=name,
            role=role,
            now=utc_now(),
        )
        return new, colleagues_of(session=session, workspace_id=user.workspace_id)

    try:
        new, colleagues = await unit.run(invite_and_list)
    except InvalidInputError as error:
        colleagues = await read_after_refusal(
            request, lambda session: colleagues_of(session=session, workspace_id=user.workspace_id)
        )
        values = {"email": email, "name": name, "role": role}
        return _page(request, colleagues, values=values, errors=field_errors(error))
    link = f"{sender.base_url}/console/join/{new.token}"
    notice = f"Invitation emailed to {new.invitation.email}."
    return _page(request, colleagues, notice=notice, join_link=link)


async def _refused(request: Request, user: ConsoleUserDep, error: ConflictError) -> Response:
    colleagues = await read_after_refusal(
        request, lambda session: colleagues_of(session=session, workspace_id=user.workspace_id)
    )
    return _page(request, colleagues, errors={"members": str(error)}, status=409)


@router.post("/{user_id}/role", response_class=Response, dependencies=CSRF_CHECKED)
async def set_role(
    request: Request,
    user_id: UserId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    role: TextField = "",
) -> Response:
    try:
        await unit.run(
            lambda session: change_role(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                user_id=user_id,
                role=role,
            )
        )
    except ConflictError as error:
        return await _refused(request, user, error)
    except InvalidInputError as error:
        colleagues = await read_after_refusal(
            request, lambda session: colleagues_of(session=session, workspace_id=user.workspace_id)
        )
        return _page(request, colleagues, errors={"members": field_errors(error)["role"]})
    return see_other("/console/colleagues", "colleague-role")


@router.post("/{user_id}/remove", response_class=Response, dependencies=CSRF_CHECKED)
async def remove(
    request: Request, user_id: UserId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    try:
        await unit.run(
            lambda session: remove_colleague(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                user_id=user_id,
            )
        )
    except ConflictError as error:
        return await _refused(request, user, error)
    if user_id == user.user_id:
        return see_other("/console/login")
    return see_other("/console/colleagues", "colleague-removed")


@router.post(
    "/invitations/{invitation_id}/cancel", response_class=Response, dependencies=CSRF_CHECKED
)
async def cancel(
    invitation_id: Annotated[str, Path(max_length=40)], user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    await unit.run(
        lambda session: cancel_invitation(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            invitation_id=invitation_id,
        )
    )
    return see_other("/console/colleagues", "invitation-cancelled")

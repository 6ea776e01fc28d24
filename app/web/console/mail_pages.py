"""/console/mail: the workspace's outgoing mail (invitations, reminders, notices) with each
message's status and delivery log, the message itself as its recipient sees it, and a failed
message sent again. With no SMTP relay configured, this is where a newcomer sees exactly what
would have been sent."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.services.mail_log import (
    mail_destination,
    mail_log,
    mail_message_view,
    message_source,
    send_again,
)
from app.web.console.form_posts import CSRF_CHECKED, actor_of, notice_for, see_other
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/mail", include_in_schema=False)
MailId = Annotated[str, Path(max_length=40)]

# The HTML part is shown on a page of its own, sandboxed: no script, no form, no request to
# anywhere; the inline styles of mail layouts are allowed.
_MAIL_HTML_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:"


@router.get("", response_class=Response)
async def show_mail(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    log = await unit.run(lambda session: mail_log(session=session, workspace_id=user.workspace_id))
    context = {
        "title": "Mail",
        "log": log,
        "destination": mail_destination(settings),
        "notice": notice_for(done),
    }
    return render_page(request, "console/mail.html", context)


@router.get("/{mail_id}", response_class=Response)
async def show_message(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, mail_id: MailId
) -> Response:
    view = await unit.run(
        lambda session: mail_message_view(
            session=session, workspace_id=user.workspace_id, mail_id=mail_id
        )
    )
    context = {"title": view.message.subject, "view": view}
    return render_page(request, "console/mail_message.html", context)


@router.get("/{mail_id}/html", response_class=Response)
async def show_message_html(user: ConsoleUserDep, unit: UnitOfWorkDep, mail_id: MailId) -> Response:
    view = await unit.run(
        lambda session: mail_message_view(
            session=session, workspace_id=user.workspace_id, mail_id=mail_id
        )
    )
    return Response(
        view.message.html_body,
        media_type="text/html; charset=utf-8",
        headers={"content-security-policy": _MAIL_HTML_POLICY, "cache-control": "no-store"},
    )


@router.get("/{mail_id}/message.eml", response_class=Response)
async def download_message(user: ConsoleUserDep, unit: UnitOfWorkDep, mail_id: MailId) -> Response:
    source = await unit.run(
        lambda session: message_source(
            session=session, workspace_id=user.workspace_id, mail_id=mail_id
        )
    )
    return Response(
        source,
        media_type="message/rfc822",
        headers={
            "content-disposition": f'attachment; filename="{mail_id}.eml"',
            "cache-control": "no-store",
        },
    )


@router.post("/{mail_id}/send-again", response_class=Response, dependencies=CSRF_CHECKED)
async def send_message_again(
    user: ConsoleUserDep, unit: UnitOfWorkDep, mail_id: MailId
) -> Response:
    await unit.run(
        lambda session: send_again(
            session=session,
            workspace_id=user.workspace_id,
            mail_id=mail_id,
            actor=actor_of(user),
            now=utc_now(),
        )
    )
    return see_other("/console/mail", done="mail-requeued")

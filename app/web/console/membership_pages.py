"""POST /console/workspace switches the session to another of the user's workspaces;
/console/join/<token> accepts a colleague's invitation: signed in with the invited email,
or with its password, or as a new person choosing a name and a password. Joining signs the
person in to the workspace joined."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response
from sqlmodel import Session

from app.dependencies import UnitOfWorkDep
from app.models import utc_now
from app.observability.client_address import client_ip
from app.services.colleagues import (
    ROLE_MEANINGS,
    JoinInvitation,
    accept_invitation,
    invitation_to_join,
    join_with_new_account,
    join_with_password,
)
from app.services.console_accounts import (
    MIN_PASSWORD_LENGTH,
    NewWebSession,
    start_session,
    switch_workspace,
)
from app.services.errors import InvalidInputError
from app.services.sign_in_throttle import SignInThrottledError, wait_in_words
from app.web.console.form_posts import (
    CSRF_CHECKED,
    field_errors,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import (
    ConsoleUserDep,
    OptionalConsoleUserDep,
    session_token,
    set_session_cookie,
)
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)
Token = Annotated[str, Path(max_length=100)]
TextField = Annotated[str, Form(max_length=1000)]


@router.post("/workspace", response_class=Response, dependencies=CSRF_CHECKED)
async def switch(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    workspace_id: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    token = session_token(request) or ""
    await unit.run(
        lambda session: switch_workspace(
            session=session, token=token, user_id=user.user_id, workspace_id=workspace_id
        )
    )
    return see_other("/console", "switched")


def _join_page(
    request: Request,
    token: str,
    invitation: JoinInvitation,
    signed_in_email: str | None,
    *,
    name: str | None = None,
    errors: dict[str, str] | None = None,
    status: int | None = None,
) -> Response:
    context = {
        "title": f"Join {invitation.workspace_name}",
        "token": token,
        "invitation": invitation,
        "role_meaning": ROLE_MEANINGS[invitation.role],
        "signed_in_email": signed_in_email,
        "name": invitation.name if name is None else name,
        "errors": errors or {},
        "min_password_length": MIN_PASSWORD_LENGTH,
    }
    code = status if status is not None else 422 if errors else 200
    return render_page(request, "console/join.html", context, status=code)


@router.get("/join/{token}", response_class=Response)
async def join_form(
    request: Request, token: Token, unit: UnitOfWorkDep, user: OptionalConsoleUserDep
) -> Response:
    invitation = await unit.run(
        lambda session: invitation_to_join(session=session, token=token, now=utc_now())
    )
    return _join_page(request, token, invitation, None if user is None else user.email)


@router.post("/join/{token}", response_class=Response, dependencies=CSRF_CHECKED)
async def join(
    request: Request,
    token: Token,
    unit: UnitOfWorkDep,
    user: OptionalConsoleUserDep,
    name: TextField = "",
    password: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    now = utc_now()
    cookie = session_token(request) or ""
    address = client_ip(request)
    signed_in_email = None if user is None else user.email

    def join_now(session: Session) -> tuple[JoinInvitation, NewWebSession | None, bool]:
        """The invitation, the new session (None: the current one goes on), and whether the
        person is a member now (False: a wrong password)."""
        invitation = invitation_to_join(session=session, token=token, now=now)
        if user is not None and user.email == invitation.email:
            # Signed in with the invited email: join, and go on in the workspace joined.
            workspace_id = accept_invitation(
                session=session, token=token, user_id=user.user_id, now=now
            )
            switch_workspace(
                session=session, token=cookie, user_id=user.user_id, workspace_id=workspace_id
            )
            return invitation, None, True
        if invitation.account_exists:
            user_id = join_with_password(
                session=session, token=token, password=password, address=address, now=now
            )
        else:
            user_id = join_with_new_account(
                session=session, token=token, name=name, password=password, now=now
            )
        if user_id is None:
            return invitation, None, False
        return invitation, start_session(session=session, user_id=user_id, now=now), True

    def read(session: Session) -> JoinInvitation:
        return invitation_to_join(session=session, token=token, now=now)

    try:
        invitation, new, joined = await unit.run(join_now)
    except SignInThrottledError as paused:
        invitation = await read_after_refusal(request, read)
        message = f"Too many failed sign-ins. Please wait {wait_in_words(paused.retry_after)}."
        errors = {"password": message}
        return _join_page(request, token, invitation, signed_in_email, errors=errors, status=429)
    except InvalidInputError as error:
        invitation = await read_after_refusal(request, read)
        return _join_page(
            request, token, invitation, signed_in_email, name=name, errors=field_errors(error)
        )
    if not joined:
        errors = {"password": "The password is not right."}
        return _join_page(request, token, invitation, signed_in_email, errors=errors, status=401)
    response = see_other("/console", "joined")
    if new is not None:
        set_session_cookie(request, response, new.token)
    return response

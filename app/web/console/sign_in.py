"""/console/setup (first run), /console/login and /console/logout."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from app.dependencies import UnitOfWorkDep
from app.models import utc_now
from app.observability.client_address import client_ip
from app.services.console_accounts import (
    MIN_PASSWORD_LENGTH,
    NewWebSession,
    NoWorkspaceError,
    installation_is_set_up,
    set_up_first_workspace,
    sign_in,
    sign_out,
)
from app.services.errors import InvalidInputError
from app.services.sign_in_throttle import SignInThrottledError, wait_in_words
from app.web.console.session_cookie import (
    clear_session_cookie,
    session_token,
    set_session_cookie,
)
from app.web.page_security import require_csrf
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)
CsrfDep = Depends(require_csrf)
ShortField = Annotated[str, Form(max_length=320)]
PasswordField = Annotated[str, Form(max_length=1000)]


def _safe_next(target: str | None) -> str:
    """Only a path of this site: never another host (an open redirect)."""
    if target and target.startswith("/console") and not target.startswith("//"):
        return target
    return "/console"


def _signed_in(request: Request, new: NewWebSession, target: str) -> Response:
    response = RedirectResponse(_safe_next(target), status_code=303)
    set_session_cookie(request, response, new.token)
    return response


@router.get("/setup", response_class=Response)
async def setup_form(request: Request, unit: UnitOfWorkDep) -> Response:
    if await unit.run(lambda session: installation_is_set_up(session=session)):
        return RedirectResponse("/console/login", status_code=303)
    return _setup_page(request, {}, {})


def _setup_page(request: Request, values: dict[str, str], errors: dict[str, str]) -> Response:
    context = {
        "title": "Set up OpsMaturity",
        "values": values,
        "errors": errors,
        "min_password_length": MIN_PASSWORD_LENGTH,
    }
    return render_page(request, "console/setup.html", context, status=422 if errors else 200)


@router.post("/setup", response_class=Response, dependencies=[CsrfDep])
async def set_up(
    request: Request,
    unit: UnitOfWorkDep,
    workspace_name: Annotated[str, Form(max_length=200)] = "",
    owner_name: Annotated[str, Form(max_length=200)] = "",
    email: ShortField = "",
    password: PasswordField = "",
) -> Response:
    try:
        new = await unit.run(
            lambda session: set_up_first_workspace(
                session=session,
                workspace_name=workspace_name,
                owner_name=owner_name,
                email=email,
                password=password,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        values = {"workspace_name": workspace_name, "owner_name": owner_name, "email": email}
        return _setup_page(request, values, {p.field: p.message for p in error.problems})
    return _signed_in(request, new, "/console")


@router.get("/login", response_class=Response)
async def login_form(request: Request, next: str = "/console") -> Response:
    return _login_page(request, email="", next_path=next, error=None)


def _login_page(
    request: Request,
    *,
    email: str,
    next_path: str,
    error: str | None,
    retry_after: int | None = None,
) -> Response:
    """The sign-in form: 200, or 401 with `error`, or 429 while sign-ins are paused."""
    context = {
        "title": "Sign in",
        "email": email,
        "next_path": _safe_next(next_path),
        "error": error,
    }
    status = 200 if error is None else 401 if retry_after is None else 429
    headers = None if retry_after is None else {"Retry-After": str(retry_after)}
    return render_page(request, "console/login.html", context, status=status, headers=headers)


def _pause_message(paused: SignInThrottledError) -> str:
    wait = wait_in_words(paused.retry_after)
    if paused.per_address:
        return (
            f"Too many failed sign-ins have come from your network. Please wait {wait}, then "
            "try again."
        )
    return (
        f"Too many failed sign-ins for this email from your network. Please wait {wait}, then "
        "try again. Colleagues can still sign in meanwhile."
    )


@router.post("/login", response_class=Response, dependencies=[CsrfDep])
async def log_in(
    request: Request,
    unit: UnitOfWorkDep,
    email: ShortField = "",
    password: PasswordField = "",
    next: Annotated[str, Form(max_length=500)] = "/console",
) -> Response:
    address = client_ip(request)
    try:
        new = await unit.run(
            lambda session: sign_in(
                session=session, email=email, password=password, address=address, now=utc_now()
            )
        )
    except SignInThrottledError as paused:
        return _login_page(
            request,
            email=email,
            next_path=next,
            error=_pause_message(paused),
            retry_after=paused.retry_after_seconds,
        )
    except NoWorkspaceError:
        message = (
            "Your account belongs to no workspace any more. Ask an owner of a workspace to "
            "invite you again."
        )
        return _login_page(request, email=email, next_path=next, error=message)
    if new is None:
        return _login_page(
            request, email=email, next_path=next, error="The email or password is not right."
        )
    return _signed_in(request, new, next)


@router.post("/logout", response_class=Response, dependencies=[CsrfDep])
async def log_out(request: Request, unit: UnitOfWorkDep) -> Response:
    token = session_token(request)
    if token is not None:
        await unit.run(lambda session: sign_out(session=session, token=token))
    response = RedirectResponse("/console/login", status_code=303)
    clear_session_cookie(request, response)
    return response

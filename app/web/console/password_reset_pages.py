"""/console/password-reset: ask for a reset link by e-mail, and set a new password through
it. The same page answers every request, whether or not an account has the address."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Path, Request
from fastapi.responses import Response

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.observability.client_address import client_ip
from app.services.console_accounts import MIN_PASSWORD_LENGTH
from app.services.errors import InvalidInputError
from app.services.mail_outbox import MailSender
from app.services.password_reset import (
    RESET_LIFETIME,
    ResetLinkError,
    complete_password_reset,
    request_password_reset,
    reset_link,
)
from app.services.sign_in_throttle import SignInThrottledError, wait_in_words
from app.web.console.form_posts import read_after_refusal
from app.web.page_security import require_csrf
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/password-reset", include_in_schema=False)
CsrfDep = Depends(require_csrf)
Token = Annotated[str, Path(max_length=100)]
PasswordField = Annotated[str, Form(max_length=1000)]


def _request_page(
    request: Request, *, email: str = "", error: str | None = None, status: int = 200
) -> Response:
    context = {"title": "Reset your password", "email": email, "error": error}
    return render_page(request, "console/password_reset_request.html", context, status=status)


@router.get("", response_class=Response)
async def ask_for_link(request: Request) -> Response:
    return _request_page(request)


@router.post("", response_class=Response, dependencies=[CsrfDep])
async def send_link(
    request: Request,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    if not email.strip():
        return _request_page(request, error="Enter the email you sign in with.", status=422)
    sender = MailSender.of(settings)
    address = client_ip(request)
    try:
        await unit.run(
            lambda session: request_password_reset(
                session=session, sender=sender, email=email, address=address, now=utc_now()
            )
        )
    except SignInThrottledError as paused:
        error = (
            f"Too many requests for this address: try again in {wait_in_words(paused.retry_after)}."
        )
        return _request_page(request, email=email, error=error, status=429)
    minutes = int(RESET_LIFETIME.total_seconds() // 60)
    context = {"title": "Check your email", "email": email.strip(), "minutes": minutes}
    return render_page(request, "console/password_reset_sent.html", context)


def _new_password_page(
    request: Request,
    token: str,
    *,
    email: str | None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    context = {
        "title": "Choose a new password",
        "token": token,
        "email": email,
        "error": error,
        "min_password_length": MIN_PASSWORD_LENGTH,
    }
    return render_page(request, "console/password_reset_form.html", context, status=status)


@router.get("/{token}", response_class=Response)
async def new_password_form(request: Request, unit: UnitOfWorkDep, token: Token) -> Response:
    try:
        link = await unit.run(
            lambda session: reset_link(session=session, token=token, now=utc_now())
        )
    except ResetLinkError as dead:
        return _new_password_page(request, token, email=None, error=str(dead), status=410)
    return _new_password_page(request, token, email=link.email)


@router.post("/{token}", response_class=Response, dependencies=[CsrfDep])
async def set_new_password(
    request: Request,
    unit: UnitOfWorkDep,
    token: Token,
    password: PasswordField = "",
    repeat: PasswordField = "",
) -> Response:
    if password != repeat:
        return await _refused(request, token, "The two passwords differ: type the same twice.")
    try:
        await unit.run(
            lambda session: complete_password_reset(
                session=session, token=token, new_password=password, now=utc_now()
            )
        )
    except ResetLinkError as dead:
        return _new_password_page(request, token, email=None, error=str(dead), status=410)
    except InvalidInputError as refused:
        return await _refused(request, token, f"Password: {refused.problems[0].message}.")
    return render_page(request, "console/password_reset_done.html", {"title": "Password changed"})


async def _refused(request: Request, token: str, error: str) -> Response:
    """The form again with `error`, read in a transaction of its own (the post's rolled
    back), or the dead-link page."""
    try:
        link = await read_after_refusal(
            request, lambda session: reset_link(session=session, token=token, now=utc_now())
        )
    except ResetLinkError as dead:
        return _new_password_page(request, token, email=None, error=str(dead), status=410)
    return _new_password_page(request, token, email=link.email, error=error, status=422)

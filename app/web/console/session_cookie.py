"""The console's session cookie and the dependency that requires a signed-in user, and
checks that their role in the session's workspace allows the request (app/web/console/roles.py:
one place for every console route).

The cookie's name lives in app/web/page_security.py: page form tokens are bound to it."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request
from starlette.responses import Response

from app.models import utc_now
from app.runtime import runtime_of
from app.services.console_accounts import SESSION_LIFETIME, SessionHolder, console_user_for
from app.web.console.roles import refusal_for
from app.web.page_security import SESSION_COOKIE, cookie_header

__all__ = [
    "SESSION_COOKIE",
    "ConsoleUserDep",
    "OptionalConsoleUserDep",
    "SignInRequired",
    "clear_session_cookie",
    "session_token",
    "set_session_cookie",
]


class SignInRequired(Exception):  # noqa: N818 - a redirect, not an error
    """Raised by `ConsoleUserDep` without a valid session: the handler redirects to sign-in."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path


def session_token(request: Request) -> str | None:
    token = request.cookies.get(SESSION_COOKIE)
    return token if token and len(token) < 100 else None


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    secure = request.app.state.settings.cookies_are_secure
    max_age = int(SESSION_LIFETIME.total_seconds())
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, token, secure=secure, max_age=max_age)
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    secure = request.app.state.settings.cookies_are_secure
    response.headers.append(
        "set-cookie", cookie_header(SESSION_COOKIE, "", secure=secure, max_age=0)
    )


def sign_in_redirect_target(request: Request) -> str:
    path = request.url.path
    if request.url.query:
        path += f"?{request.url.query}"
    return f"/console/login?next={quote(path, safe='')}"


async def _session_holder(request: Request) -> SessionHolder | None:
    token = session_token(request)
    if token is None:
        return None
    return await runtime_of(request).database.run(
        lambda session: console_user_for(session=session, token=token, now=utc_now()),
        writes=False,
    )


async def _console_user(request: Request) -> SessionHolder:
    holder = await _session_holder(request)
    if holder is None:
        raise SignInRequired(sign_in_redirect_target(request))
    request.state.console_user = holder
    route_path = getattr(request.scope.get("route"), "path", request.url.path)
    refused = refusal_for(holder.role, request.method, route_path)
    if refused is not None:
        raise refused
    return holder


async def _optional_console_user(request: Request) -> SessionHolder | None:
    """The signed-in user when there is one, for pages open to everyone (a colleague's
    invitation); no role applies there."""
    return await _session_holder(request)


ConsoleUserDep = Annotated[SessionHolder, Depends(_console_user)]
OptionalConsoleUserDep = Annotated[SessionHolder | None, Depends(_optional_console_user)]

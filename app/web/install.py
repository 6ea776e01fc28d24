"""Mount the web pages on the app: templates, static assets, routers, the page security
middleware and the redirect to sign-in."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from app.routing import add_routes
from app.settings import Settings
from app.web import mail_opt_out, respond, respond_results, self_assessment_pages
from app.web.console import CONSOLE_ROUTERS
from app.web.console.roles import RoleRefusedError
from app.web.console.session_cookie import SignInRequired
from app.web.error_pages import render_error_page
from app.web.page_security import PageSecurityMiddleware
from app.web.templating import STATIC_DIR, new_page_environment, render_page

__all__ = ["install_web", "render_error_page"]


def install_web(app: FastAPI, settings: Settings) -> None:
    app.state.page_environment = new_page_environment()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    add_routes(
        app,
        self_assessment_pages.router,
        respond.router,
        respond_results.router,
        mail_opt_out.router,
        *CONSOLE_ROUTERS,
    )
    app.add_exception_handler(SignInRequired, _redirect_to_sign_in)
    app.add_exception_handler(RoleRefusedError, _role_refused_page)
    app.add_middleware(PageSecurityMiddleware, secure_cookies=settings.cookies_are_secure)


async def _redirect_to_sign_in(request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInRequired)
    return RedirectResponse(error.next_path, status_code=303)


async def _role_refused_page(request: Request, error: Exception) -> Response:
    """403 with what the role allows and whom to ask, instead of the expired-form page."""
    assert isinstance(error, RoleRefusedError)
    heading = "Your role does not allow this"
    context = {
        "title": heading,
        "heading": heading,
        "detail": error.reason,
        "advice": (
            "Nothing was changed. If you need to do this, ask an owner of the workspace to "
            "change your role.",
        ),
        "back_href": "/console",
        "back_label": "Back to the console",
    }
    return render_page(request, "error.html", context, status=403)

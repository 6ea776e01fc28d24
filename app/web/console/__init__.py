"""The consultant console under /console: sign-in, assessments, respondents, results,
reports, branding, API keys and webhooks. Every page needs a signed-in user
(`ConsoleUserDep`) and every form a CSRF token."""

from __future__ import annotations

from fastapi import APIRouter

from app.web.console import (
    api_keys,
    assessments,
    clients,
    dashboard,
    respondents_pages,
    results_pages,
    settings_pages,
    sign_in,
    webhooks_pages,
)

__all__ = ["CONSOLE_ROUTERS"]

CONSOLE_ROUTERS: tuple[APIRouter, ...] = (
    sign_in.router,
    dashboard.router,
    clients.router,
    assessments.router,
    respondents_pages.router,
    results_pages.router,
    settings_pages.router,
    api_keys.router,
    webhooks_pages.router,
)

"""The consultant console under /console: sign-in, assessments, respondents, results,
reports, branding, API keys, webhooks, outgoing mail and colleagues. Every page needs a
signed-in user (`ConsoleUserDep`, which also applies their role: app/web/console/roles.py)
and every form a CSRF token."""

from __future__ import annotations

from fastapi import APIRouter

from app.web.console import (
    api_keys,
    assessments,
    clients,
    colleagues_pages,
    dashboard,
    deletions,
    erasure_pages,
    mail_pages,
    membership_pages,
    password_reset_pages,
    respondents_pages,
    results_pages,
    schedule_pages,
    settings_pages,
    sign_in,
    webhooks_pages,
)

__all__ = ["CONSOLE_ROUTERS"]

CONSOLE_ROUTERS: tuple[APIRouter, ...] = (
    sign_in.router,
    membership_pages.router,
    dashboard.router,
    clients.router,
    assessments.router,
    deletions.router,
    respondents_pages.router,
    schedule_pages.router,
    results_pages.router,
    settings_pages.router,
    api_keys.router,
    webhooks_pages.router,
    colleagues_pages.router,
    erasure_pages.router,
    mail_pages.router,
    password_reset_pages.router,
)

"""What every console form post shares: the CSRF check, the redirect after a change, the
audit actor, field errors for the form, and reading a page again after a refused post."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar
from urllib.parse import quote

from fastapi import Depends, Request
from fastapi.responses import RedirectResponse
from sqlmodel import Session

from app.runtime import runtime_of
from app.services.console_accounts import SessionHolder
from app.services.errors import InvalidInputError
from app.web.page_security import require_csrf

__all__ = [
    "CSRF_CHECKED",
    "NOTICES",
    "actor_of",
    "field_errors",
    "notice_for",
    "read_after_refusal",
    "see_other",
]

T = TypeVar("T")

CSRF_CHECKED = [Depends(require_csrf)]

# ?done=<key> after a redirect: fixed sentences, so nothing from the URL is ever shown.
NOTICES = {
    "client": "Client added.",
    "client-saved": "Client saved.",
    "client-deleted": "Client deleted, with its assessments, respondents and answers.",
    "assessment-deleted": "Assessment deleted, with its respondents and answers.",
    "created": "Assessment created and open for answers.",
    "opened": "Assessment opened: respondents can answer now.",
    "closed": "Assessment closed: answers stay as they are until you reopen it.",
    "reopened": "Assessment reopened: respondents can answer again.",
    "targets": "Targets saved: the results show the gap to them.",
    "schedule": "Close date and reminders saved.",
    "removed": "Respondent removed, with their answers; their link no longer works.",
    "reminded": "Reminders queued to everyone invited who has not finished (see Mail).",
    "branding": "Branding saved.",
    "logo-removed": "Logo removed.",
    "link": "Public link saved.",
    "revoked": "API key revoked: requests with it are refused from now on.",
    "enabled": "Webhook endpoint enabled: waiting deliveries go out now.",
    "disabled": "Webhook endpoint disabled: deliveries wait until you enable it again.",
    "deleted": "Webhook endpoint deleted.",
    "redelivered": "The event is queued for delivery again.",
    "colleague-role": "Role changed: it applies from the colleague's next page.",
    "colleague-removed": "Colleague removed: they were signed out of this workspace at once.",
    "invitation-cancelled": "Invitation cancelled: its link no longer works.",
    "switched": "Workspace switched.",
    "joined": "Welcome: you are a member of this workspace now.",
    "mail-requeued": "The message is queued to be sent again.",
    "mail-settings": "Mail settings saved.",
    "erased": "The respondent's personal data erased: it is gone from every table and mail.",
    "lead-form": "Lead form saved.",
    "time-zone": "Time zone saved: close dates and reminder days count in it from now on.",
}


def see_other(path: str, done: str | None = None) -> RedirectResponse:
    target = path if done is None else f"{path}?done={quote(done)}"
    return RedirectResponse(target, status_code=303)


def notice_for(done: str | None) -> str | None:
    return None if done is None else NOTICES.get(done)


def actor_of(user: SessionHolder) -> str:
    return f"user:{user.user_id}"


def field_errors(error: InvalidInputError) -> dict[str, str]:
    """Field -> message; several messages for one field are joined, in order."""
    errors: dict[str, str] = {}
    for problem in error.problems:
        errors[problem.field] = (
            f"{errors[problem.field]} {problem.message}"
            if problem.field in errors
            else problem.message
        )
    return errors


async def read_after_refusal(request: Request, work: Callable[[Session], T]) -> T:
    """Read what a page shows after its form post was refused. The post's own unit of work
    has rolled back with the refusal, so the page is read in a read-only transaction of its
    own."""
    return await runtime_of(request).database.run(work, writes=False)

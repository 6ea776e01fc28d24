"""/mail/opt-out/<token>: the link in every invitation and reminder. The GET only asks (a
mail scanner that follows links must not opt anyone out); the form's POST records it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import Response

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.services.respondent_links import OptOutPage, opt_out, opt_out_page
from app.services.respondent_mail import RespondentMailer
from app.web.page_brand import page_brand
from app.web.page_security import require_csrf
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/mail/opt-out", include_in_schema=False)
OptOutToken = Annotated[str, Path(max_length=120)]


def _page(request: Request, token: str, page: OptOutPage) -> Response:
    context = {
        "title": "Stop reminders",
        "brand": page_brand(page.workspace),
        "assessment_title": page.assessment_title,
        "opted_out": page.opted_out_at is not None,
        "action": f"/mail/opt-out/{token}",
    }
    return render_page(request, "opt_out.html", context, headers={"cache-control": "no-store"})


@router.get("/{token}", response_class=Response)
async def ask(
    request: Request, token: OptOutToken, unit: UnitOfWorkDep, settings: SettingsDep
) -> Response:
    mailer = RespondentMailer.of(settings)
    page = await unit.run(lambda session: opt_out_page(session=session, mailer=mailer, token=token))
    return _page(request, token, page)


@router.post("/{token}", response_class=Response, dependencies=[Depends(require_csrf)])
async def confirm(
    request: Request, token: OptOutToken, unit: UnitOfWorkDep, settings: SettingsDep
) -> Response:
    mailer = RespondentMailer.of(settings)
    page = await unit.run(
        lambda session: opt_out(session=session, mailer=mailer, token=token, now=utc_now())
    )
    return _page(request, token, page)

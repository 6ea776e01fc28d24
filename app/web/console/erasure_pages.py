"""/console/assessments/{id}/respondents/{rid}/erase: erase a respondent's personal data on
request, after a confirmation that says what goes and what happens to their answers
(app/services/erasure.py decides both)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, SettingsDep, UnitOfWorkDep
from app.mail.transport import MailFolder
from app.models import utc_now
from app.services.erasure import erase_respondent, erasure_preview
from app.web.console.form_posts import CSRF_CHECKED, actor_of, see_other
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(
    prefix="/console/assessments/{assessment_id}/respondents/{respondent_id}/erase",
    include_in_schema=False,
)
AssessmentId = Annotated[str, Path(max_length=40)]
RespondentId = Annotated[str, Path(max_length=40)]


@router.get("", response_class=Response)
async def confirm_erasure(
    request: Request,
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
) -> Response:
    preview = await unit.run(
        lambda session: erasure_preview(
            session=session,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
            respondent_id=respondent_id,
        )
    )
    context = {
        "title": "Erase personal data",
        "preview": preview,
        "assessment_id": assessment_id,
        "respondent_id": respondent_id,
    }
    return render_page(request, "console/respondent_erase.html", context)


@router.post("", response_class=Response, dependencies=CSRF_CHECKED)
async def erase(
    assessment_id: AssessmentId,
    respondent_id: RespondentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    erased = await unit.run(
        lambda session: erase_respondent(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
            respondent_id=respondent_id,
            now=utc_now(),
            mail_folder=MailFolder(settings.mail_folder),
        )
    )
    if erased.assessment_gone:
        return see_other("/console", "erased")
    return see_other(f"/console/assessments/{assessment_id}", "erased")

"""Deleting a client (with its assessments) or an assessment from the console: a page that
names what goes (how many assessments, respondents and answers), and the form post that
deletes through the API's own services (the same audit events)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.dependencies import UnitOfWorkDep
from app.services.assessments import delete_assessment
from app.services.clients import delete_client
from app.services.console_deletions import assessment_deletion, client_deletion
from app.web.console.assessments import AssessmentId
from app.web.console.clients import ClientId
from app.web.console.form_posts import CSRF_CHECKED, actor_of, see_other
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console", include_in_schema=False)


@router.get("/clients/{client_id}/delete", response_class=Response)
async def confirm_client_deletion(
    request: Request, client_id: ClientId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    deletion = await unit.run(
        lambda session: client_deletion(
            session=session, workspace_id=user.workspace_id, client_id=client_id
        )
    )
    context = {"title": f"Delete client: {deletion.client.name}", "deletion": deletion}
    return render_page(request, "console/client_delete.html", context)


@router.post("/clients/{client_id}/delete", response_class=Response, dependencies=CSRF_CHECKED)
async def delete_client_page(
    client_id: ClientId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    await unit.run(
        lambda session: delete_client(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            client_id=client_id,
        )
    )
    return see_other("/console/clients", "client-deleted")


@router.get("/assessments/{assessment_id}/delete", response_class=Response)
async def confirm_assessment_deletion(
    request: Request, assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    deletion = await unit.run(
        lambda session: assessment_deletion(
            session=session, workspace_id=user.workspace_id, assessment_id=assessment_id
        )
    )
    context = {"title": f"Delete assessment: {deletion.assessment.title}", "deletion": deletion}
    return render_page(request, "console/assessment_delete.html", context)


@router.post(
    "/assessments/{assessment_id}/delete", response_class=Response, dependencies=CSRF_CHECKED
)
async def delete_assessment_page(
    assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    await unit.run(
        lambda session: delete_assessment(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
        )
    )
    return see_other("/console", "assessment-deleted")

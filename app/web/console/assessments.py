"""/console/assessments: the form that starts a team assessment, an assessment's own page
(status, completion, respondents, the forms that add them) and the part of it that refreshes
itself while the assessment is open, editing its targets, and closing or reopening it."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from app.dependencies import CatalogDep, UnitOfWorkDep
from app.models import utc_now
from app.services.assessment_setup import (
    AssessmentChoices,
    NewTeamAssessment,
    new_assessment_choices,
    newest_packages,
    start_team_assessment,
)
from app.services.assessment_targets import TargetsPage, save_target_form, targets_page
from app.services.assessments import change_assessment_status
from app.services.errors import InvalidInputError
from app.services.respondent_invites import AssessmentPage, assessment_page
from app.services.schedule_form import ScheduleForm, schedule_form_of
from app.services.target_form import TargetForm, read_target_form
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    field_errors,
    notice_for,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["AssessmentId", "render_assessment_page", "router"]

router = APIRouter(prefix="/console/assessments", include_in_schema=False)
AssessmentId = Annotated[str, Path(max_length=40)]
TextField = Annotated[str, Form(max_length=1000)]
IdField = Annotated[str, Form(max_length=100)]


def _new_page(
    request: Request,
    choices: AssessmentChoices,
    *,
    values: NewTeamAssessment | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    values = values or NewTeamAssessment(title="", questionnaire_id="")
    # Target fields typed for another questionnaire mean nothing for the one now chosen.
    targets = (
        TargetForm(targets_for=values.questionnaire_id)
        if values.targets_of_another_questionnaire
        else values.targets
    )
    context = {
        "title": "New assessment",
        "choices": choices,
        "values": values,
        "targets": targets,
        "errors": errors or {},
    }
    return render_page(
        request, "console/assessment_new.html", context, status=422 if errors else 200
    )


async def _posted(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


@router.get("/new", response_class=Response)
async def new_assessment_form(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    packages = newest_packages(catalog)
    # One questionnaire: chosen already, with its targets offered at once.
    only = packages[0].id if len(packages) == 1 else ""
    choices = await unit.run(
        lambda session: new_assessment_choices(
            session=session, catalog=catalog, workspace_id=user.workspace_id, questionnaire_id=only
        )
    )
    return _new_page(request, choices, values=NewTeamAssessment(title="", questionnaire_id=only))


@router.post("/new", response_class=Response, dependencies=CSRF_CHECKED)
async def create_assessment(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    title: TextField = "",
    questionnaire_id: IdField = "",
    client_id: IdField = "",
    new_client_name: TextField = "",
    target_overall: IdField = "",
    baseline_assessment_id: IdField = "",
    closes_at: IdField = "",
    copy_baseline_team: IdField = "",
    step: IdField = "",
) -> Response:
    posted = await _posted(request)
    form = NewTeamAssessment(
        title=title,
        questionnaire_id=questionnaire_id,
        client_id=client_id,
        new_client_name=new_client_name,
        baseline_assessment_id=baseline_assessment_id,
        targets=read_target_form(posted),
        closes_at=closes_at,
        copy_baseline_team=copy_baseline_team == "yes",
    )
    if step == "targets":
        # "Show its targets": the same form again, with the chosen questionnaire's targets.
        choices = await unit.run(
            lambda session: new_assessment_choices(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                questionnaire_id=questionnaire_id,
            )
        )
        return _new_page(request, choices, values=form)
    try:
        created = await unit.run(
            lambda session: start_team_assessment(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                form=form,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        choices = await read_after_refusal(
            request,
            lambda session: new_assessment_choices(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                questionnaire_id=questionnaire_id,
            ),
        )
        return _new_page(request, choices, values=form, errors=field_errors(error))
    return see_other(f"/console/assessments/{created.id}", "created")


def render_assessment_page(
    request: Request,
    page: AssessmentPage,
    *,
    notice: str | None = None,
    add_values: dict[str, str] | None = None,
    add_errors: dict[str, str] | None = None,
    csv_text: str = "",
    csv_errors: list[str] | None = None,
    schedule: ScheduleForm | None = None,
    schedule_errors: dict[str, str] | None = None,
) -> Response:
    """The assessment's page; with errors, the refused add, paste or schedule form shows
    them."""
    refused = bool(add_errors or csv_errors or schedule_errors)
    context = {
        "title": page.assessment.title,
        "page": page,
        "notice": notice,
        "add_values": add_values or {},
        "add_errors": add_errors or {},
        "csv_text": csv_text,
        "csv_errors": csv_errors or [],
        "csv_header": ",".join(["name", "email", *(a.id for a in page.attributes)]),
        "schedule": schedule or schedule_form_of(page.assessment, page.time_zone),
        "schedule_errors": schedule_errors or {},
    }
    return render_page(request, "console/assessment.html", context, status=422 if refused else 200)


@router.get("/{assessment_id}", response_class=Response)
async def show_assessment(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    done: str | None = None,
) -> Response:
    page = await unit.run(
        lambda session: assessment_page(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return render_assessment_page(request, page, notice=notice_for(done))


@router.get("/{assessment_id}/completion", response_class=Response)
async def completion_fragment(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    """The completion panel and the respondents table alone, as the assessment page shows
    them: app/web/static/app.js puts them in place of the page's own every few seconds."""
    page = await unit.run(
        lambda session: assessment_page(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return render_page(request, "console/assessment_completion.html", {"page": page})


def _targets_page(
    request: Request,
    page: TargetsPage,
    *,
    form: TargetForm | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "title": f"Targets: {page.assessment.title}",
        "page": page,
        "targets": form or page.form,
        "errors": errors or {},
    }
    return render_page(
        request, "console/assessment_targets.html", context, status=422 if errors else 200
    )


@router.get("/{assessment_id}/targets", response_class=Response)
async def edit_targets(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    page = await unit.run(
        lambda session: targets_page(
            session=session,
            catalog=catalog,
            workspace_id=user.workspace_id,
            assessment_id=assessment_id,
        )
    )
    return _targets_page(request, page)


@router.post("/{assessment_id}/targets", response_class=Response, dependencies=CSRF_CHECKED)
async def save_targets(
    request: Request,
    assessment_id: AssessmentId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    form = read_target_form(await _posted(request))
    try:
        await unit.run(
            lambda session: save_target_form(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                assessment_id=assessment_id,
                form=form,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        page = await read_after_refusal(
            request,
            lambda session: targets_page(
                session=session,
                catalog=catalog,
                workspace_id=user.workspace_id,
                assessment_id=assessment_id,
            ),
        )
        return _targets_page(request, page, form=form, errors=field_errors(error))
    return see_other(f"/console/assessments/{assessment_id}", "targets")


_DONE = {"open": "opened", "close": "closed", "reopen": "reopened"}


async def _change_status(
    action: Literal["open", "close", "reopen"],
    assessment_id: str,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
) -> Response:
    await unit.run(
        lambda session: change_assessment_status(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            assessment_id=assessment_id,
            action=action,
            now=utc_now(),
            catalog=catalog,
        )
    )
    return see_other(f"/console/assessments/{assessment_id}", _DONE[action])


@router.post("/{assessment_id}/open", response_class=Response, dependencies=CSRF_CHECKED)
async def open_assessment(
    assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    return await _change_status("open", assessment_id, user, unit, catalog)


@router.post("/{assessment_id}/close", response_class=Response, dependencies=CSRF_CHECKED)
async def close_assessment(
    assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    return await _change_status("close", assessment_id, user, unit, catalog)


@router.post("/{assessment_id}/reopen", response_class=Response, dependencies=CSRF_CHECKED)
async def reopen_assessment(
    assessment_id: AssessmentId, user: ConsoleUserDep, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    return await _change_status("reopen", assessment_id, user, unit, catalog)

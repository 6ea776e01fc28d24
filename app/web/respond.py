"""/r/<token>: the questionnaire of an invited respondent or of a self-assessment.

The same pages serve both: a welcome page with the private link, one page per dimension
with a progress bar, a review, and after submitting either a thank-you page (an invited
respondent: results are the consultant's to share) or the result with its PDF (a
self-assessment; app/web/respond_results.py). Every answer is saved by a plain form post; app.js also saves each answer
as it is given (POST …/autosave), through the same form reader.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from app.dependencies import CatalogDep, SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.reports.item_view import answer_text
from app.runtime import runtime_of
from app.services.errors import InvalidInputError
from app.services.leads import LeadForm, LeadSubmission
from app.services.mail_outbox import MailSender
from app.services.respondent_access import (
    AutosaveRefusedError,
    OpenedInvite,
    open_invite,
    save_own_answers,
)
from app.services.respondent_access import autosave as respondent_autosave
from app.services.respondent_mail import RespondentMailer, ThanksRequest
from app.services.self_assessments import submit_answers
from app.settings import Settings
from app.web.questionnaire_pages import (
    page_count,
    page_items,
    page_view,
    parse_page_form,
    progress,
    shown_items,
)
from app.web.respondent_link import (
    CsrfDep,
    TokenPath,
    base_path,
    link_context,
    open_link,
    see_other,
)
from app.web.templating import render_page
from scoring import Package
from scoring.answers import normalise_with_completeness

__all__ = ["router"]

router = APIRouter(prefix="/r/{token}", include_in_schema=False)


def _finished_page(opened: OpenedInvite, token: str) -> str | None:
    """Where a respondent goes instead of the questionnaire, if anywhere."""
    if opened.is_self_assessment and opened.is_submitted:
        return f"{base_path(token)}/results"
    if not opened.accepts_answers:
        return f"{base_path(token)}/done"
    return None


def _first_unanswered_page(opened: OpenedInvite) -> int:
    missing = set(progress(opened.package, opened.answers).missing_required)
    for number in range(1, page_count(opened.package) + 1):
        if any(item.id in missing for item in page_items(opened.package, number)):
            return number
    return 1


@router.get("", response_class=Response)
async def welcome(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    opened = await open_link(unit, catalog, token)
    elsewhere = _finished_page(opened, token)
    if elsewhere is not None:
        return see_other(elsewhere)
    if opened.is_submitted:
        return see_other(f"{base_path(token)}/done")
    questionnaire = opened.package.questionnaire
    done = progress(opened.package, opened.answers)
    context = link_context(
        opened,
        token,
        settings,
        title=questionnaire.title,
        questionnaire_description=questionnaire.description,
        page_count=page_count(opened.package),
        item_count=done.item_count,
        minutes=opened.package.reading_time.minutes,
        progress=done,
        next_page=_first_unanswered_page(opened),
    )
    return render_page(request, "respond/welcome.html", context)


def _page_number(opened: OpenedInvite, number: int) -> int:
    return min(max(number, 1), page_count(opened.package))


@router.get("/page/{number}", response_class=Response)
async def questionnaire_page(
    request: Request,
    token: TokenPath,
    number: int,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    opened = await open_link(unit, catalog, token)
    elsewhere = _finished_page(opened, token)
    if elsewhere is not None:
        return see_other(elsewhere)
    if number != _page_number(opened, number):
        return see_other(f"{base_path(token)}/page/{_page_number(opened, number)}")
    return _render_questionnaire_page(request, opened, token, settings, number, {}, {})


def _render_questionnaire_page(
    request: Request,
    opened: OpenedInvite,
    token: str,
    settings: Settings,
    number: int,
    typed: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    page = page_view(opened.package, number, opened.answers, typed=typed, errors=errors)
    context = link_context(
        opened,
        token,
        settings,
        title=f"{page.title} ({number} of {page.count})",
        page=page,
        progress=progress(opened.package, opened.answers),
        errors={
            item_id: f"{_prompt(opened, item_id)}: {message}" for item_id, message in errors.items()
        },
    )
    return render_page(request, "respond/page.html", context, status=422 if errors else 200)


def _prompt(opened: OpenedInvite, item_id: str) -> str:
    item = opened.package.items.get(item_id)
    return item.prompt if item is not None else item_id


async def _form_values(request: Request) -> dict[str, list[str]]:
    form = await request.form()
    return {key: [v for v in form.getlist(key) if isinstance(v, str)] for key in form}


@router.post("/page/{number}", response_class=Response, dependencies=[CsrfDep])
async def save_page(
    request: Request,
    token: TokenPath,
    number: int,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    form = await _form_values(request)
    going = (form.get("go") or ["next"])[0]

    def save(session: Session) -> tuple[OpenedInvite, dict[str, Any], dict[str, str], bool]:
        opened = open_invite(session=session, catalog=catalog, token=token)
        if not opened.accepts_answers:
            return opened, {}, {}, False
        page = _page_number(opened, number)
        items = page_items(opened.package, page)
        changes, unreadable = parse_page_form(opened.package, items, form)
        shown_before = shown_items(opened.package, opened.answers)
        saved, refused = save_own_answers(
            session=session, catalog=catalog, opened=opened, changes=changes, now=utc_now()
        )
        newly_shown = {i.id for i in items} & (
            shown_items(saved.package, saved.answers) - shown_before
        )
        typed = {k: v for k, v in changes.items() if k in refused}
        return saved, typed, {**unreadable, **refused}, bool(newly_shown)

    opened, typed, errors, revealed = await unit.run(save, short_write=True)
    elsewhere = _finished_page(opened, token)
    if elsewhere is not None:
        return see_other(elsewhere)
    page = _page_number(opened, number)
    if errors:
        return _render_questionnaire_page(request, opened, token, settings, page, typed, errors)
    if revealed and going == "next":
        # An answer brought up a follow-up question on this page: ask it before moving on.
        return see_other(f"{base_path(token)}/page/{page}#content")
    if going == "back":
        return see_other(f"{base_path(token)}/page/{max(page - 1, 1)}")
    if going == "review" or page >= page_count(opened.package):
        return see_other(f"{base_path(token)}/review")
    return see_other(f"{base_path(token)}/page/{page + 1}")


@router.post("/autosave", dependencies=[CsrfDep])
async def autosave(
    request: Request, token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> JSONResponse:
    """One item's fields, posted by app.js as soon as the answer changes."""
    form = await _form_values(request)
    item_id = (form.get("item") or [""])[0]
    try:
        saved = await unit.run_steps(
            respondent_autosave(
                catalog=catalog,
                token=token,
                item_id=item_id,
                read_item=lambda package, item: parse_page_form(package, [item], form),
                now=utc_now(),
            )
        )
    except AutosaveRefusedError as refused:
        return JSONResponse({"saved": False, "error": str(refused)}, status_code=refused.status)
    return _autosaved(saved.package, saved.answers, item_id, saved.refused)


def _autosaved(
    package: Package, answers: Mapping[str, Any], item_id: str, refused: Mapping[str, str]
) -> JSONResponse:
    """What app.js shows after an autosave: the outcome, progress and the hidden items."""
    done = progress(package, answers)
    body = {
        "saved": not refused,
        "error": refused.get(item_id),
        "answered": done.answered_items,
        "total": done.item_count,
        "hidden": sorted(set(package.items) - set(done.shown)),
    }
    return JSONResponse(body, status_code=422 if refused else 200)


@router.get("/review", response_class=Response)
async def review(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    opened = await open_link(unit, catalog, token)
    return _review_page(request, opened, token, settings)


def _review_page(
    request: Request,
    opened: OpenedInvite,
    token: str,
    settings: Settings,
    *,
    lead: LeadForm | None = None,
    lead_errors: Mapping[str, str] | None = None,
) -> Response:
    normalised, _ = normalise_with_completeness(opened.package, opened.answers)
    pages = []
    missing = 0
    for number in range(1, page_count(opened.package) + 1):
        rows = []
        for item in page_items(opened.package, number):
            answer = normalised[item.id]
            if answer.status == "hidden":
                continue
            unanswered = answer.status == "missing"
            missing += unanswered and item.required
            rows.append(
                {
                    "id": item.id,
                    "prompt": item.prompt,
                    "answer": "" if unanswered else answer_text(item, answer),
                    "missing": unanswered and item.required,
                }
            )
        pages.append(
            {
                "number": number,
                "title": opened.package.questionnaire.dimensions[number - 1].title,
                "rows": rows,
            }
        )
    workspace = opened.workspace
    offers_lead_form = (
        opened.is_self_assessment
        and workspace.lead_form_enabled
        and bool(workspace.lead_consent_wording)
    )
    # An invited respondent may ask for a thank-you with their link (a self-assessment's
    # person sees their result at once, and the lead form offers its mail).
    offers_thanks = (
        not opened.is_self_assessment
        and bool(opened.respondent.email)
        and not opened.respondent.thanks_requested
    )
    context = link_context(
        opened,
        token,
        settings,
        title="Check your answers",
        offers_thanks=offers_thanks,
        pages=pages,
        missing_count=missing,
        progress=progress(opened.package, opened.answers),
        lead_form=(workspace.lead_consent_wording if offers_lead_form else None),
        lead=lead or LeadForm(),
        lead_errors=lead_errors or {},
    )
    return render_page(request, "respond/review.html", context, status=422 if lead_errors else 200)


@router.post("/submit", response_class=Response, dependencies=[CsrfDep])
async def submit(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form()
    lead = LeadSubmission(
        form=LeadForm(
            name=str(form.get("lead.name") or "")[:300],
            company=str(form.get("lead.company") or "")[:300],
            email=str(form.get("lead.email") or "")[:400],
            consent=form.get("lead.consent") == "yes",
        ),
        sender=MailSender.of(settings),
        results_path=f"{base_path(token)}/results",
    )
    thanks = (
        ThanksRequest(RespondentMailer.of(settings), token) if form.get("thanks") == "yes" else None
    )

    def run(session: Session) -> OpenedInvite:
        opened = open_invite(session=session, catalog=catalog, token=token)
        if opened.accepts_answers:
            submit_answers(
                session=session,
                catalog=catalog,
                opened=opened,
                now=utc_now(),
                lead=lead,
                thanks=thanks,
            )
        return opened

    try:
        opened = await unit.run(run)
    except InvalidInputError as refused:  # the lead form: nothing was submitted
        opened = await runtime_of(request).database.run(  # the post's unit rolled back
            lambda session: open_invite(session=session, catalog=catalog, token=token),
            writes=False,
        )
        errors = {p.field.removeprefix("lead."): p.message for p in refused.problems}
        return _review_page(request, opened, token, settings, lead=lead.form, lead_errors=errors)
    if opened.is_self_assessment:
        return see_other(f"{base_path(token)}/results")
    return see_other(f"{base_path(token)}/done")

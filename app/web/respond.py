"""/r/<token>: the questionnaire of an invited respondent or of a self-assessment.

The same pages serve both: a welcome page with the private link, one page per dimension
with a progress bar, a review, and after submitting either a thank-you page (an invited
respondent: results are the consultant's to share) or the result with its PDF (a
self-assessment). Every answer is saved by a plain form post; app.js also saves each answer
as it is given (POST …/autosave), through the same form reader.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlmodel import Session

from app.api.reports import pdf_response
from app.catalog import Catalog
from app.dependencies import CatalogDep, SettingsDep, UnitOfWork, UnitOfWorkDep
from app.models import utc_now
from app.persistence.postgres_loop import LoopTransactions
from app.reports.assessment_report import (
    PreparedReport,
    assessment_report_view,
    prepare_assessment_report,
)
from app.reports.item_view import answer_text
from app.reports.report_workers import finish_report
from app.reports.view_model import ReportView
from app.services.respondent_access import (
    OpenedInvite,
    open_invite,
    save_by_link_on_loop,
    save_own_answers,
)
from app.services.self_assessments import submit_answers
from app.web.page_brand import page_brand
from app.web.page_security import require_csrf
from app.web.questionnaire_pages import (
    page_count,
    page_items,
    page_view,
    parse_page_form,
    progress,
    shown_items,
)
from app.web.templating import render_page
from scoring import Package
from scoring.answers import normalise_with_completeness

__all__ = ["router"]

router = APIRouter(prefix="/r/{token}", include_in_schema=False)

TokenPath = Annotated[str, Path(max_length=100)]
CsrfDep = Depends(require_csrf)


def _base(token: str) -> str:
    return f"/r/{token}"


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


async def _opened(unit: UnitOfWorkDep, catalog: CatalogDep, token: str) -> OpenedInvite:
    return await unit.run(
        lambda session: open_invite(session=session, catalog=catalog, token=token)
    )


def _context(opened: OpenedInvite, token: str, settings: Any, **extra: Any) -> dict[str, Any]:
    questionnaire = opened.package.questionnaire
    return {
        "brand": page_brand(opened.workspace),
        "base": _base(token),
        "resume_url": f"{settings.base_url.rstrip('/')}{_base(token)}",
        "questionnaire_title": questionnaire.title,
        "self_assessment": opened.is_self_assessment,
        "anonymity_k": opened.assessment.anonymity_k,
        "accepts_answers": opened.accepts_answers,
        "submitted": opened.is_submitted,
        **extra,
    }


def _finished_page(opened: OpenedInvite, token: str) -> str | None:
    """Where a respondent goes instead of the questionnaire, if anywhere."""
    if opened.is_self_assessment and opened.is_submitted:
        return f"{_base(token)}/results"
    if not opened.accepts_answers:
        return f"{_base(token)}/done"
    return None


def _first_unanswered_page(opened: OpenedInvite) -> int:
    shown = shown_items(opened.package, opened.answers)
    for number in range(1, page_count(opened.package) + 1):
        if any(
            item.id in shown and item.required and item.id not in opened.answers
            for item in page_items(opened.package, number)
        ):
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
    opened = await _opened(unit, catalog, token)
    elsewhere = _finished_page(opened, token)
    if elsewhere is not None:
        return _see_other(elsewhere)
    if opened.is_submitted:
        return _see_other(f"{_base(token)}/done")
    questionnaire = opened.package.questionnaire
    context = _context(
        opened,
        token,
        settings,
        title=questionnaire.title,
        questionnaire_description=questionnaire.description,
        page_count=page_count(opened.package),
        item_count=len(opened.package.items),
        minutes=questionnaire.estimated_minutes,
        progress=progress(opened.package, opened.answers),
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
    opened = await _opened(unit, catalog, token)
    elsewhere = _finished_page(opened, token)
    if elsewhere is not None:
        return _see_other(elsewhere)
    if number != _page_number(opened, number):
        return _see_other(f"{_base(token)}/page/{_page_number(opened, number)}")
    return _render_questionnaire_page(request, opened, token, settings, number, {}, {})


def _render_questionnaire_page(
    request: Request,
    opened: OpenedInvite,
    token: str,
    settings: Any,
    number: int,
    typed: dict[str, Any],
    errors: dict[str, str],
) -> Response:
    page = page_view(opened.package, number, opened.answers, typed=typed, errors=errors)
    context = _context(
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

    def save(session: Any) -> tuple[OpenedInvite, dict[str, Any], dict[str, str], bool]:
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
        return _see_other(elsewhere)
    page = _page_number(opened, number)
    if errors:
        return _render_questionnaire_page(request, opened, token, settings, page, typed, errors)
    if revealed and going == "next":
        # An answer brought up a follow-up question on this page: ask it before moving on.
        return _see_other(f"{_base(token)}/page/{page}#content")
    if going == "back":
        return _see_other(f"{_base(token)}/page/{max(page - 1, 1)}")
    if going == "review" or page >= page_count(opened.package):
        return _see_other(f"{_base(token)}/review")
    return _see_other(f"{_base(token)}/page/{page + 1}")


@router.post("/autosave", dependencies=[CsrfDep])
async def autosave(
    request: Request, token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> JSONResponse:
    """One item's fields, posted by app.js as soon as the answer changes. A change while in
    progress is saved from the event loop where the app can (PostgreSQL); anything else,
    refusals included, in a database thread."""
    form = await _form_values(request)
    item_id = (form.get("item") or [""])[0]
    transactions: LoopTransactions | None = request.app.state.loop_transactions
    if transactions is not None:

        def changes_of(package: Package) -> Mapping[str, Any] | None:
            item = package.items.get(item_id)
            if item is None:
                return None
            changes, unreadable = parse_page_form(package, [item], form)
            return None if unreadable else changes

        saved = await save_by_link_on_loop(
            transactions=transactions,
            catalog=catalog,
            token=token,
            changes_of=changes_of,
            now=utc_now(),
        )
        if saved is not None:
            state, package = saved
            return _autosaved(package, state.answers, item_id, {})

    def save(session: Any) -> JSONResponse:
        opened = open_invite(session=session, catalog=catalog, token=token)
        item = opened.package.items.get(item_id)
        if item is None:
            return JSONResponse({"saved": False, "error": "no such question"}, status_code=422)
        if not opened.accepts_answers:
            return JSONResponse(
                {"saved": False, "error": "the assessment is closed"}, status_code=409
            )
        changes, unreadable = parse_page_form(opened.package, [item], form)
        saved, refused = opened, unreadable
        if not unreadable:
            saved, refused = save_own_answers(
                session=session, catalog=catalog, opened=opened, changes=changes, now=utc_now()
            )
        return _autosaved(saved.package, saved.answers, item_id, refused)

    return await unit.run(save, short_write=True)


def _autosaved(
    package: Package, answers: Mapping[str, Any], item_id: str, refused: Mapping[str, str]
) -> JSONResponse:
    """What app.js shows after an autosave: the outcome, progress and the hidden items."""
    done = progress(package, answers)
    body = {
        "saved": not refused,
        "error": refused.get(item_id),
        "answered": done.answered,
        "total": done.total,
        "hidden": sorted(set(package.items) - shown_items(package, answers)),
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
    opened = await _opened(unit, catalog, token)
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
    context = _context(
        opened,
        token,
        settings,
        title="Check your answers",
        pages=pages,
        missing_count=missing,
        progress=progress(opened.package, opened.answers),
    )
    return render_page(request, "respond/review.html", context)


@router.post("/submit", response_class=Response, dependencies=[CsrfDep])
async def submit(token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep) -> Response:
    def run(session: Any) -> OpenedInvite:
        opened = open_invite(session=session, catalog=catalog, token=token)
        if opened.accepts_answers:
            submit_answers(session=session, catalog=catalog, opened=opened, now=utc_now())
        return opened

    opened = await unit.run(run)
    if opened.is_self_assessment:
        return _see_other(f"{_base(token)}/results")
    return _see_other(f"{_base(token)}/done")


@router.get("/done", response_class=Response)
async def done(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    opened = await _opened(unit, catalog, token)
    if opened.is_self_assessment and opened.is_submitted:
        return _see_other(f"{_base(token)}/results")
    if not opened.is_submitted and not opened.accepts_answers:
        context = _context(
            opened,
            token,
            settings,
            title="Assessment closed",
            assessment_title=opened.assessment.title,
        )
        return render_page(request, "respond/closed.html", context, status=410)
    if not opened.is_submitted:
        return _see_other(_base(token))
    return render_page(
        request, "respond/thanks.html", _context(opened, token, settings, title="Thank you")
    )


T = TypeVar("T")


async def _own_result(
    unit: UnitOfWork, catalog: Catalog, token: str, read: Callable[[Session, OpenedInvite], T]
) -> tuple[OpenedInvite, T | None, Response | None]:
    """`read` of a submitted self-assessment, or where to go instead: an invited respondent
    sees the thank-you page (results are the consultant's), an unsubmitted one the review."""

    def run(session: Session) -> tuple[OpenedInvite, T | None]:
        opened = open_invite(session=session, catalog=catalog, token=token)
        if not opened.is_self_assessment or not opened.is_submitted:
            return opened, None
        return opened, read(session, opened)

    opened, value = await unit.run(run)
    if not opened.is_self_assessment:
        return opened, None, _see_other(f"{_base(token)}/done")
    if not opened.is_submitted:
        return opened, None, _see_other(f"{_base(token)}/review")
    return opened, value, None


@router.get("/results", response_class=Response)
async def results(
    request: Request,
    token: TokenPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    def view(session: Session, opened: OpenedInvite) -> ReportView:
        return assessment_report_view(
            session=session,
            catalog=catalog,
            workspace_id=opened.assessment.workspace_id,
            assessment_id=opened.assessment.id,
            variant="individual",
        )

    opened, report_view, detour = await _own_result(unit, catalog, token, view)
    if detour is not None:
        return detour
    context = _context(opened, token, settings, title="Your result", view=report_view)
    return render_page(request, "respond/results.html", context)


@router.get("/report.pdf", response_class=Response)
async def report_pdf(
    request: Request, token: TokenPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    def prepare(session: Session, opened: OpenedInvite) -> PreparedReport:
        return prepare_assessment_report(
            session=session,
            catalog=catalog,
            workspace_id=opened.assessment.workspace_id,
            assessment_id=opened.assessment.id,
            report_format="pdf",
            variant="individual",
        )

    _, prepared, detour = await _own_result(unit, catalog, token, prepare)
    if detour is not None or prepared is None:
        return detour or _see_other(_base(token))
    document = await finish_report(request.app.state, prepared)
    return pdf_response(document, disposition="attachment")

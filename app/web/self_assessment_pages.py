"""The public pages: the server's home page and a workspace's branded link, /s/<slug>, where
anyone starts a self-assessment without an account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.dependencies import CatalogDep, SettingsDep, UnitOfWorkDep
from app.models import utc_now
from app.services.errors import InvalidInputError
from app.services.self_assessments import (
    PublicLink,
    find_home_link,
    find_public_link,
    start_self_assessment,
)
from app.web.page_brand import page_brand
from app.web.page_security import require_csrf
from app.web.templating import render_page
from scoring import Package, answer_progress
from scoring.questionnaire import Attribute

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

SlugPath = Annotated[str, Path(max_length=60)]


@dataclass(frozen=True, slots=True)
class _QuestionnaireOption:
    """One questionnaire offered on the landing page, with the questions asked before it."""

    id: str
    title: str
    description: str
    item_count: int
    minutes: int | None
    label: str
    attributes: tuple[Attribute, ...]


def _option(package: Package) -> _QuestionnaireOption:
    questionnaire = package.questionnaire
    quick = questionnaire.short_form_of is not None
    return _QuestionnaireOption(
        id=package.id,
        title=questionnaire.title,
        description=questionnaire.description,
        # The questions everyone is asked; a follow-up counts once an answer brings it up.
        item_count=answer_progress(package, {}).item_count,
        minutes=package.reading_time.minutes,
        label="quick check" if quick else "full diagnostic",
        attributes=tuple(a for a in questionnaire.attributes if a.required),
    )


def _landing(
    request: Request,
    link: PublicLink,
    start_action: str,
    errors: dict[str, str] | None = None,
    chosen: str | None = None,
) -> Response:
    context = {
        "title": "Operational-maturity diagnostic",
        "brand": page_brand(link.workspace),
        "questionnaires": [_option(p) for p in link.questionnaires],
        "start_action": start_action,
        "errors": errors or {},
        "chosen": chosen,
    }
    return render_page(request, "landing.html", context, status=422 if errors else 200)


@router.get("/", response_class=Response)
async def home(request: Request, unit: UnitOfWorkDep, catalog: CatalogDep) -> Response:
    link = await unit.run(lambda session: find_home_link(session=session, catalog=catalog))
    if not isinstance(link, PublicLink):
        # Nothing published: a new installation is set up first; otherwise the console.
        target = "/console" if link.installation_set_up else "/console/setup"
        return RedirectResponse(target, status_code=303)
    return _landing(request, link, "/start")


@router.get("/s/{slug}", response_class=Response)
async def workspace_landing(
    request: Request, slug: SlugPath, unit: UnitOfWorkDep, catalog: CatalogDep
) -> Response:
    link = await unit.run(
        lambda session: find_public_link(session=session, catalog=catalog, slug=slug)
    )
    return _landing(request, link, f"/s/{slug}/start")


async def _start(
    request: Request,
    slug: str | None,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form()
    questionnaire_id = str(form.get("questionnaire_id") or "")[:100]
    attributes = {
        key.removeprefix("attr."): str(value)[:100]
        for key, value in form.items()
        if key.startswith("attr.") and value
    }

    def start(session: Session) -> str | tuple[PublicLink, dict[str, str]]:
        try:
            return start_self_assessment(
                session=session,
                catalog=catalog,
                slug=slug,
                questionnaire_id=questionnaire_id,
                attributes=attributes,
                base_url=settings.base_url,
                now=utc_now(),
            )
        except InvalidInputError as error:
            session.rollback()  # nothing of a refused start is kept
            link = find_public_link(session=session, catalog=catalog, slug=slug)
            return link, {p.field: p.message for p in error.problems}

    started = await unit.run(start)
    if not isinstance(started, str):
        link, errors = started
        action = "/start" if slug is None else f"/s/{slug}/start"
        return _landing(request, link, action, errors, questionnaire_id)
    return RedirectResponse(f"/r/{started}", status_code=303)


@router.post("/start", response_class=Response, dependencies=[Depends(require_csrf)])
async def start_home(
    request: Request, unit: UnitOfWorkDep, catalog: CatalogDep, settings: SettingsDep
) -> Response:
    return await _start(request, None, unit, catalog, settings)


@router.post("/s/{slug}/start", response_class=Response, dependencies=[Depends(require_csrf)])
async def start_workspace(
    request: Request,
    slug: SlugPath,
    unit: UnitOfWorkDep,
    catalog: CatalogDep,
    settings: SettingsDep,
) -> Response:
    return await _start(request, slug, unit, catalog, settings)

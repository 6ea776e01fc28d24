"""/console/settings: the workspace's branding (name, colour, logo) and its public
self-assessment link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response
from sqlmodel import Session

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import Workspace
from app.reports.branding import DEFAULT_PRIMARY_COLOUR, MAX_LOGO_BYTES
from app.services.errors import InvalidInputError
from app.services.workspace_settings import (
    BrandingChange,
    chosen_colour,
    get_workspace_settings,
    remove_logo,
    update_branding,
    update_public_link,
)
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    field_errors,
    notice_for,
    read_after_refusal,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep
from app.web.page_brand import page_brand
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/settings", include_in_schema=False)
ShortField = Annotated[str, Form(max_length=1000)]


def _page(
    request: Request,
    workspace: Workspace,
    base_url: str,
    *,
    branding_values: dict[str, str] | None = None,
    link_value: str | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    colour = workspace.brand_colour or DEFAULT_PRIMARY_COLOUR
    context = {
        "title": "Branding & link",
        "workspace": workspace,
        "logo_uri": page_brand(workspace).logo_uri,
        "branding": branding_values or {"name": workspace.name, "brand_colour": colour},
        "shown_colour": colour,
        "slug": (workspace.public_slug or "") if link_value is None else link_value,
        "public_prefix": f"{base_url.rstrip('/')}/s/",
        "max_logo_kb": MAX_LOGO_BYTES // 1024,
        "errors": errors or {},
        "notice": notice,
    }
    return render_page(request, "console/settings.html", context, status=422 if errors else 200)


def _read(user: ConsoleUserDep) -> Callable[[Session], Workspace]:
    return lambda session: get_workspace_settings(session=session, workspace_id=user.workspace_id)


@router.get("", response_class=Response)
async def show_settings(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    workspace = await unit.run(_read(user))
    return _page(request, workspace, settings.base_url, notice=notice_for(done))


@router.post("/branding", response_class=Response, dependencies=CSRF_CHECKED)
async def save_branding(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    name: ShortField = "",
    brand_colour: ShortField = "",
    colour_picker: ShortField = "",
    colour_shown: ShortField = "",
    logo: Annotated[UploadFile | None, File()] = None,
) -> Response:
    content = None
    if logo is not None and logo.filename:
        content = await logo.read(MAX_LOGO_BYTES + 1)  # one byte more tells "too large"
    colour = chosen_colour(typed=brand_colour, picked=colour_picker, shown=colour_shown)
    change = BrandingChange(name=name, brand_colour=colour, logo=content)
    try:
        await unit.run(
            lambda session: update_branding(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                change=change,
            )
        )
    except InvalidInputError as error:
        workspace = await read_after_refusal(request, _read(user))
        typed = {"name": name, "brand_colour": colour}
        return _page(
            request,
            workspace,
            settings.base_url,
            branding_values=typed,
            errors=field_errors(error),
        )
    return see_other("/console/settings", "branding")


@router.post("/logo/remove", response_class=Response, dependencies=CSRF_CHECKED)
async def drop_logo(user: ConsoleUserDep, unit: UnitOfWorkDep) -> Response:
    await unit.run(
        lambda session: remove_logo(
            session=session, workspace_id=user.workspace_id, actor=actor_of(user)
        )
    )
    return see_other("/console/settings", "logo-removed")


@router.post("/public-link", response_class=Response, dependencies=CSRF_CHECKED)
async def save_public_link(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    public_slug: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    try:
        await unit.run(
            lambda session: update_public_link(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                slug=public_slug,
            )
        )
    except InvalidInputError as error:
        workspace = await read_after_refusal(request, _read(user))
        return _page(
            request,
            workspace,
            settings.base_url,
            link_value=public_slug,
            errors=field_errors(error),
        )
    return see_other("/console/settings", "link")

"""/console/settings: the workspace's branding (name, colour, logo), its public
self-assessment link, lead form, mail and time zone."""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    time_zone_names,
    update_branding,
    update_lead_form,
    update_mail_reply_to,
    update_public_link,
    update_time_zone,
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
    typed: Mapping[str, object] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    """The page; `typed`: what a refused form held, by the context key its form shows
    (branding, slug, reply_to, lead, time_zone), shown instead of what is stored."""
    colour = workspace.brand_colour or DEFAULT_PRIMARY_COLOUR
    context = {
        "title": "Branding & link",
        "workspace": workspace,
        "logo_uri": page_brand(workspace).logo_uri,
        "branding": {"name": workspace.name, "brand_colour": colour},
        "shown_colour": colour,
        "slug": workspace.public_slug or "",
        "public_prefix": f"{base_url.rstrip('/')}/s/",
        "reply_to": workspace.mail_reply_to or "",
        "lead": {
            "enabled": workspace.lead_form_enabled,
            "wording": workspace.lead_consent_wording or "",
        },
        "time_zone": workspace.time_zone,
        "time_zone_names": time_zone_names(),
        "max_logo_kb": MAX_LOGO_BYTES // 1024,
        "errors": errors or {},
        "notice": notice,
        **(typed or {}),
    }
    return render_page(request, "console/settings.html", context, status=422 if errors else 200)


def _read(user: ConsoleUserDep) -> Callable[[Session], Workspace]:
    return lambda session: get_workspace_settings(session=session, workspace_id=user.workspace_id)


async def _save(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    change: Callable[[Session, str, str], object],
    *,
    done: str,
    typed: Mapping[str, object],
) -> Response:
    """Apply one form's `change` (session, workspace id, actor); refused, the page again
    with what was typed and each problem by its field."""
    try:
        await unit.run(lambda session: change(session, user.workspace_id, actor_of(user)))
    except InvalidInputError as error:
        workspace = await read_after_refusal(request, _read(user))
        return _page(request, workspace, settings.base_url, typed=typed, errors=field_errors(error))
    return see_other("/console/settings", done)


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
    return await _save(
        request,
        user,
        unit,
        settings,
        lambda session, workspace_id, actor: update_branding(
            session=session, workspace_id=workspace_id, actor=actor, change=change
        ),
        done="branding",
        typed={"branding": {"name": name, "brand_colour": colour}},
    )


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
    return await _save(
        request,
        user,
        unit,
        settings,
        lambda session, workspace_id, actor: update_public_link(
            session=session, workspace_id=workspace_id, actor=actor, slug=public_slug
        ),
        done="link",
        typed={"slug": public_slug},
    )


@router.post("/mail", response_class=Response, dependencies=CSRF_CHECKED)
async def save_mail_settings(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    mail_reply_to: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    return await _save(
        request,
        user,
        unit,
        settings,
        lambda session, workspace_id, actor: update_mail_reply_to(
            session=session, workspace_id=workspace_id, actor=actor, reply_to=mail_reply_to
        ),
        done="mail-settings",
        typed={"reply_to": mail_reply_to},
    )


@router.post("/lead-form", response_class=Response, dependencies=CSRF_CHECKED)
async def save_lead_form(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    enabled: Annotated[str, Form(max_length=10)] = "",
    consent_wording: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    switched_on = enabled == "yes"
    return await _save(
        request,
        user,
        unit,
        settings,
        lambda session, workspace_id, actor: update_lead_form(
            session=session,
            workspace_id=workspace_id,
            actor=actor,
            enabled=switched_on,
            consent_wording=consent_wording,
        ),
        done="lead-form",
        typed={"lead": {"enabled": switched_on, "wording": consent_wording}},
    )


@router.post("/time-zone", response_class=Response, dependencies=CSRF_CHECKED)
async def save_time_zone(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    time_zone: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    return await _save(
        request,
        user,
        unit,
        settings,
        lambda session, workspace_id, actor: update_time_zone(
            session=session, workspace_id=workspace_id, actor=actor, time_zone=time_zone
        ),
        done="time-zone",
        typed={"time_zone": time_zone},
    )

"""/console/api-keys: the workspace's API keys; a new key is shown once, on the page that
answers its creation (never cached)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from app.dependencies import UnitOfWorkDep
from app.models import ApiKey, utc_now
from app.services.admin import create_api_key, list_api_keys, revoke_api_key
from app.text_rules import text_problem
from app.web.console.form_posts import (
    CSRF_CHECKED,
    actor_of,
    notice_for,
    see_other,
)
from app.web.console.session_cookie import ConsoleUserDep
from app.web.templating import render_page

__all__ = ["router"]

router = APIRouter(prefix="/console/api-keys", include_in_schema=False)
_MAX_NAME = 200


def _page(
    request: Request,
    keys: Sequence[ApiKey],
    *,
    name: str = "",
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    context = {
        "title": "API keys",
        "keys": keys,
        "name": name,
        "errors": errors or {},
        "notice": notice,
    }
    return render_page(request, "console/api_keys.html", context, status=422 if errors else 200)


@router.get("", response_class=Response)
async def show_keys(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, done: str | None = None
) -> Response:
    keys = await unit.run(
        lambda session: list_api_keys(session=session, workspace_id=user.workspace_id)
    )
    return _page(request, keys, notice=notice_for(done))


def _name_problem(label: str) -> str | None:
    if not label:
        return "name the key after what uses it, e.g. “HubSpot sync”"
    if len(label) > _MAX_NAME:
        return f"use at most {_MAX_NAME} characters"
    return text_problem(label)


@router.post("", response_class=Response, dependencies=CSRF_CHECKED)
async def create_key(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    name: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    label = name.strip()
    message = _name_problem(label)
    if message is not None:
        keys = await unit.run(
            lambda session: list_api_keys(session=session, workspace_id=user.workspace_id)
        )
        return _page(request, keys, name=name, errors={"name": message})
    api_key, secret = await unit.run(
        lambda session: create_api_key(
            session=session,
            workspace_id=user.workspace_id,
            name=label,
            now=utc_now(),
            created_by_user_id=user.user_id,
            actor=actor_of(user),
        )
    )
    context = {"title": "API key created", "api_key": api_key, "secret": secret}
    return render_page(request, "console/api_key_created.html", context)


@router.post("/{key_id}/revoke", response_class=Response, dependencies=CSRF_CHECKED)
async def revoke_key(
    key_id: Annotated[str, Path(max_length=40)], user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    await unit.run(
        lambda session: revoke_api_key(
            session=session,
            workspace_id=user.workspace_id,
            key=key_id,
            now=utc_now(),
            actor=actor_of(user),
        )
    )
    return see_other("/console/api-keys", "revoked")

"""/console/clients: the workspace's clients, the form that adds one, and the form that edits
one (its deletion is in app/web/console/deletions.py)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from app.dependencies import UnitOfWorkDep
from app.models import utc_now
from app.services.client_registration import (
    SIZE_BANDS,
    ClientForm,
    client_directory,
    client_form_of,
    edit_client,
    register_client,
)
from app.services.clients import get_client
from app.services.errors import InvalidInputError
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

__all__ = ["ClientId", "router"]

router = APIRouter(prefix="/console/clients", include_in_schema=False)
TextField = Annotated[str, Form(max_length=1000)]
ClientId = Annotated[str, Path(max_length=40)]


def _page(
    request: Request,
    clients: object,
    *,
    values: ClientForm | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    context = {
        "title": "Clients",
        "clients": clients,
        "values": values or ClientForm(name=""),
        "errors": errors or {},
        "size_bands": [(band, band) for band in SIZE_BANDS],
        "notice": notice,
    }
    return render_page(request, "console/clients.html", context, status=422 if errors else 200)


@router.get("", response_class=Response)
async def list_clients(
    request: Request, user: ConsoleUserDep, unit: UnitOfWorkDep, done: str | None = None
) -> Response:
    clients = await unit.run(
        lambda session: client_directory(session=session, workspace_id=user.workspace_id)
    )
    return _page(request, clients, notice=notice_for(done))


@router.post("", response_class=Response, dependencies=CSRF_CHECKED)
async def add_client(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    name: TextField = "",
    industry: TextField = "",
    size_band: TextField = "",
    external_ref: TextField = "",
) -> Response:
    form = ClientForm(name, industry, size_band, external_ref)
    try:
        await unit.run(
            lambda session: register_client(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                form=form,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        clients = await read_after_refusal(
            request,
            lambda session: client_directory(session=session, workspace_id=user.workspace_id),
        )
        return _page(request, clients, values=form, errors=field_errors(error))
    return see_other("/console/clients", "client")


def _edit_page(
    request: Request,
    client_id: str,
    *,
    values: ClientForm,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "title": f"Edit client: {values.name}",
        "client_id": client_id,
        "values": values,
        "errors": errors or {},
        "size_bands": [(band, band) for band in SIZE_BANDS],
    }
    return render_page(request, "console/client_edit.html", context, status=422 if errors else 200)


@router.get("/{client_id}", response_class=Response)
async def edit_client_form(
    request: Request, client_id: ClientId, user: ConsoleUserDep, unit: UnitOfWorkDep
) -> Response:
    client = await unit.run(
        lambda session: get_client(
            session=session, workspace_id=user.workspace_id, client_id=client_id
        )
    )
    return _edit_page(request, client.id, values=client_form_of(client))


@router.post("/{client_id}", response_class=Response, dependencies=CSRF_CHECKED)
async def save_client(
    request: Request,
    client_id: ClientId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    name: TextField = "",
    industry: TextField = "",
    size_band: TextField = "",
    external_ref: TextField = "",
) -> Response:
    form = ClientForm(name, industry, size_band, external_ref)
    try:
        await unit.run(
            lambda session: edit_client(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                client_id=client_id,
                form=form,
                now=utc_now(),
            )
        )
    except InvalidInputError as error:
        return _edit_page(request, client_id, values=form, errors=field_errors(error))
    return see_other("/console/clients", "client-saved")

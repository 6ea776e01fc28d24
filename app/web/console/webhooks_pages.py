"""/console/webhooks: the workspace's webhook endpoints (create, enable or disable, rotate the
signing secret, delete) and each endpoint's delivery log with redelivery. The secret is shown
once, on the page that answers its creation or rotation (never cached). A URL whose host is
or resolves to a refused address is refused with the reason next to the field (the check is
the service's: app/services/webhook_addresses.py)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import Response

from app.dependencies import SettingsDep, UnitOfWorkDep
from app.models import WebhookEndpoint, utc_now
from app.services.errors import InvalidInputError
from app.services.secret_sealing import sealer_for
from app.services.webhook_addresses import lookup_before_saving
from app.services.webhook_deliveries import redeliver
from app.services.webhook_endpoints import (
    DEFAULT_SECRET_OVERLAP,
    EndpointWithSecret,
    create_endpoint,
    delete_endpoint,
    list_endpoints,
    rotate_endpoint_secret,
    update_endpoint,
)
from app.services.webhook_events import EVENT_TYPES
from app.services.webhook_log_page import endpoint_log
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

__all__ = ["router"]

router = APIRouter(prefix="/console/webhooks", include_in_schema=False)
EndpointId = Annotated[str, Path(max_length=40)]


def _list_page(
    request: Request,
    endpoints: Sequence[WebhookEndpoint],
    *,
    private_allowed: bool,
    values: dict[str, object] | None = None,
    errors: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    context: dict[str, object] = {
        "title": "Webhooks",
        "endpoints": endpoints,
        "event_types": EVENT_TYPES,
        "values": values or {"url": "", "description": "", "event_types": list(EVENT_TYPES)},
        "errors": errors or {},
        "notice": notice,
        "private_allowed": private_allowed,
    }
    return render_page(request, "console/webhooks.html", context, status=422 if errors else 200)


def _secret_page(request: Request, created: EndpointWithSecret, *, rotated: bool) -> Response:
    context = {
        "title": "Signing secret",
        "endpoint": created.endpoint,
        "secret": created.secret,
        "rotated": rotated,
        "overlap_hours": int(DEFAULT_SECRET_OVERLAP.total_seconds() // 3600),
    }
    return render_page(request, "console/webhook_secret.html", context)


@router.get("", response_class=Response)
async def show_endpoints(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    endpoints = await unit.run(
        lambda session: list_endpoints(session=session, workspace_id=user.workspace_id)
    )
    return _list_page(
        request,
        endpoints,
        private_allowed=settings.webhooks_allow_private_addresses,
        notice=notice_for(done),
    )


@router.post("", response_class=Response, dependencies=CSRF_CHECKED)
async def add_endpoint(
    request: Request,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
    url: Annotated[str, Form(max_length=2000)] = "",
    description: Annotated[str, Form(max_length=200)] = "",
    event_types: Annotated[list[str] | None, Form()] = None,
) -> Response:
    chosen = list(event_types or [])
    lookup = await lookup_before_saving(
        url.strip(), allow_private=settings.webhooks_allow_private_addresses
    )
    try:
        created = await unit.run(
            lambda session: create_endpoint(
                session=session,
                workspace_id=user.workspace_id,
                actor=actor_of(user),
                url=url.strip(),
                event_types=chosen,
                description=description.strip() or None,
                enabled=True,
                allow_private_addresses=settings.webhooks_allow_private_addresses,
                sealer=sealer_for(settings.secret_key),
                now=utc_now(),
                lookup=lookup,
            )
        )
    except InvalidInputError as error:
        endpoints = await read_after_refusal(
            request,
            lambda session: list_endpoints(session=session, workspace_id=user.workspace_id),
        )
        errors = {key.split("[", 1)[0]: message for key, message in field_errors(error).items()}
        values: dict[str, object] = {
            "url": url,
            "description": description,
            "event_types": chosen,
        }
        return _list_page(
            request,
            endpoints,
            private_allowed=settings.webhooks_allow_private_addresses,
            values=values,
            errors=errors,
        )
    return _secret_page(request, created, rotated=False)


@router.get("/{endpoint_id}", response_class=Response)
async def show_deliveries(
    request: Request,
    endpoint_id: EndpointId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    done: str | None = None,
) -> Response:
    log = await unit.run(
        lambda session: endpoint_log(
            session=session, workspace_id=user.workspace_id, endpoint_id=endpoint_id
        )
    )
    context = {
        "title": "Webhook deliveries",
        "log": log,
        "event_types": EVENT_TYPES,
        "notice": notice_for(done),
    }
    return render_page(request, "console/webhook_log.html", context)


async def _set_enabled(
    endpoint_id: str, enabled: bool, user: ConsoleUserDep, unit: UnitOfWorkDep, private: bool
) -> Response:
    await unit.run(
        lambda session: update_endpoint(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            endpoint_id=endpoint_id,
            changes={"enabled": enabled},
            allow_private_addresses=private,
            now=utc_now(),
        )
    )
    return see_other("/console/webhooks", "enabled" if enabled else "disabled")


@router.post("/{endpoint_id}/enable", response_class=Response, dependencies=CSRF_CHECKED)
async def enable(
    endpoint_id: EndpointId, user: ConsoleUserDep, unit: UnitOfWorkDep, settings: SettingsDep
) -> Response:
    private = settings.webhooks_allow_private_addresses
    return await _set_enabled(endpoint_id, True, user, unit, private)


@router.post("/{endpoint_id}/disable", response_class=Response, dependencies=CSRF_CHECKED)
async def disable(
    endpoint_id: EndpointId, user: ConsoleUserDep, unit: UnitOfWorkDep, settings: SettingsDep
) -> Response:
    private = settings.webhooks_allow_private_addresses
    return await _set_enabled(endpoint_id, False, user, unit, private)


@router.post("/{endpoint_id}/rotate", response_class=Response, dependencies=CSRF_CHECKED)
async def rotate(
    request: Request,
    endpoint_id: EndpointId,
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
    settings: SettingsDep,
) -> Response:
    rotated = await unit.run(
        lambda session: rotate_endpoint_secret(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            endpoint_id=endpoint_id,
            overlap=DEFAULT_SECRET_OVERLAP,
            sealer=sealer_for(settings.secret_key),
            now=utc_now(),
        )
    )
    return _secret_page(request, rotated, rotated=True)


@router.post("/{endpoint_id}/delete", response_class=Response, dependencies=CSRF_CHECKED)
async def delete(endpoint_id: EndpointId, user: ConsoleUserDep, unit: UnitOfWorkDep) -> Response:
    await unit.run(
        lambda session: delete_endpoint(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            endpoint_id=endpoint_id,
        )
    )
    return see_other("/console/webhooks", "deleted")


@router.post(
    "/{endpoint_id}/deliveries/{delivery_id}/redeliver",
    response_class=Response,
    dependencies=CSRF_CHECKED,
)
async def redeliver_delivery(
    endpoint_id: EndpointId,
    delivery_id: Annotated[str, Path(max_length=40)],
    user: ConsoleUserDep,
    unit: UnitOfWorkDep,
) -> Response:
    queued = await unit.run(
        lambda session: redeliver(
            session=session,
            workspace_id=user.workspace_id,
            actor=actor_of(user),
            delivery_id=delivery_id,
            now=utc_now(),
            endpoint_id=endpoint_id,
        )
    )
    return see_other(f"/console/webhooks/{queued.delivery.endpoint_id}", "redelivered")

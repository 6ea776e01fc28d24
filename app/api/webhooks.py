"""/api/v1/webhook-endpoints and /api/v1/webhook-deliveries: where events go, and the log."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import MISSING, BaseModel, Field

from app.api.paths import API_PREFIX, CursorQuery, PathId
from app.api.strict_json import STRICT_BODY, StrictJsonRoute
from app.dependencies import ConsultantDep, ConsultantWorkDep, SettingsDep
from app.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, utc_now
from app.problems import problem_responses
from app.services import webhook_deliveries as delivery_service
from app.services import webhook_endpoints as endpoint_service
from app.services.secret_sealing import sealer_for
from app.services.webhook_addresses import lookup_before_saving
from app.services.webhook_deliveries import DeliveryStatus
from app.services.webhook_endpoints import DEFAULT_SECRET_OVERLAP, MAX_SECRET_OVERLAP
from app.services.webhook_events import EVENT_TYPES
from app.text_rules import SingleLineText

__all__ = ["router"]

router = APIRouter(prefix=API_PREFIX, tags=["webhooks"], route_class=StrictJsonRoute)

# The service names an unknown event type; the description lists the known ones.
EventTypeText = Annotated[
    SingleLineText, Field(max_length=100, json_schema_extra={"enum": list(EVENT_TYPES)})
]
_EVENT_TYPES_TEXT = ", ".join(f"`{name}`" for name in EVENT_TYPES)


class EndpointCreate(BaseModel):
    model_config = STRICT_BODY
    url: SingleLineText = Field(
        min_length=1, max_length=2000, description="An http:// or https:// URL"
    )
    event_types: list[EventTypeText] = Field(
        min_length=1, max_length=len(EVENT_TYPES), description=f"Any of {_EVENT_TYPES_TEXT}"
    )
    description: SingleLineText | None = Field(default=None, max_length=200)
    enabled: bool = True


class EndpointUpdate(BaseModel):
    """Only the fields sent change; send null to clear the description."""

    model_config = STRICT_BODY
    # MISSING: a field left out has no value and documents no default; only the description
    # is nullable.
    url: SingleLineText | MISSING = Field(default=MISSING, min_length=1, max_length=2000)
    event_types: list[EventTypeText] | MISSING = Field(
        default=MISSING, min_length=1, max_length=len(EVENT_TYPES)
    )
    description: SingleLineText | MISSING | None = Field(default=MISSING, max_length=200)
    enabled: bool | MISSING = MISSING


class SecretRotation(BaseModel):
    model_config = STRICT_BODY
    overlap_seconds: int = Field(
        default=int(DEFAULT_SECRET_OVERLAP.total_seconds()),
        ge=0,
        le=int(MAX_SECRET_OVERLAP.total_seconds()),
        description="How long the previous secret keeps signing, alongside the new one",
    )


class EndpointOut(BaseModel):
    id: str
    url: str
    description: str | None
    event_types: list[str]
    enabled: bool
    previous_secret_expires_at: datetime | None = Field(
        description="While set and in the future, requests carry a second signature made "
        "with the previous secret"
    )
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, endpoint: WebhookEndpoint, *, now: datetime) -> EndpointOut:
        expires = endpoint.previous_secret_expires_at
        return cls(
            id=endpoint.id,
            url=endpoint.url,
            description=endpoint.description,
            event_types=list(endpoint.event_types),
            enabled=endpoint.enabled,
            previous_secret_expires_at=expires if expires is not None and expires > now else None,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
        )


class EndpointWithSecretOut(EndpointOut):
    secret: str = Field(
        description="The signing secret (`whsec_…`), shown only in this response; verify "
        "requests with it as the Standard Webhooks specification describes"
    )


class EndpointList(BaseModel):
    items: list[EndpointOut]


class EventTypeOut(BaseModel):
    type: str
    description: str


class EventTypeList(BaseModel):
    items: list[EventTypeOut]


class DeliveryOut(BaseModel):
    id: str
    endpoint_id: str
    event_id: str = Field(description="The `webhook-id` header: the same on every attempt")
    event_type: str
    status: DeliveryStatus = Field(
        description="pending (waiting for its next attempt), sending, succeeded, or failed "
        "(every attempt failed)"
    )
    attempt_count: int
    next_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None

    @classmethod
    def of(cls, delivery: WebhookDelivery, event_type: str) -> DeliveryOut:
        return cls(
            id=delivery.id,
            endpoint_id=delivery.endpoint_id,
            event_id=delivery.event_id,
            event_type=event_type,
            status=delivery.status,
            attempt_count=delivery.attempt_count,
            next_attempt_at=delivery.next_attempt_at if delivery.status == "pending" else None,
            last_status_code=delivery.last_status_code,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            finished_at=delivery.finished_at,
        )


class AttemptOut(BaseModel):
    attempt: int
    started_at: datetime
    duration_ms: int
    status_code: int | None = Field(description="null when no response came")
    error: str | None
    response_excerpt: str | None = Field(description="The start of the receiver's answer")

    @classmethod
    def of(cls, attempt: WebhookAttempt) -> AttemptOut:
        return cls.model_validate(attempt, from_attributes=True)


class DeliveryDetailOut(DeliveryOut):
    payload: dict[str, Any] = Field(description="The request body, as sent")
    attempts: list[AttemptOut]


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


_ENDPOINTS = "/webhook-endpoints"


@router.get(
    "/webhook-event-types",
    summary="The event types an endpoint can subscribe to",
    responses=problem_responses(401, 403),
)
async def list_event_types(_: ConsultantDep) -> EventTypeList:
    return EventTypeList(
        items=[EventTypeOut(type=name, description=text) for name, text in EVENT_TYPES.items()]
    )


@router.post(
    _ENDPOINTS,
    status_code=status.HTTP_201_CREATED,
    summary="Create a webhook endpoint (its signing secret is returned only here)",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_endpoint(
    body: EndpointCreate, work: ConsultantWorkDep, settings: SettingsDep, response: Response
) -> EndpointWithSecretOut:
    now = utc_now()
    lookup = await lookup_before_saving(
        body.url, allow_private=settings.webhooks_allow_private_addresses
    )
    created = await work.run(
        lambda session, caller: endpoint_service.create_endpoint(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            url=body.url,
            event_types=body.event_types,
            description=body.description,
            enabled=body.enabled,
            allow_private_addresses=settings.webhooks_allow_private_addresses,
            sealer=sealer_for(settings.secret_key),
            now=now,
            lookup=lookup,
        )
    )
    response.headers["Location"] = f"/api/v1{_ENDPOINTS}/{created.endpoint.id}"
    return EndpointWithSecretOut(
        **EndpointOut.of(created.endpoint, now=now).model_dump(), secret=created.secret
    )


@router.get(_ENDPOINTS, summary="List webhook endpoints", responses=problem_responses(401, 403))
async def list_endpoints(work: ConsultantWorkDep) -> EndpointList:
    endpoints = await work.run(
        lambda session, caller: endpoint_service.list_endpoints(
            session=session, workspace_id=caller.workspace_id
        )
    )
    now = utc_now()
    return EndpointList(items=[EndpointOut.of(e, now=now) for e in endpoints])


@router.get(
    f"{_ENDPOINTS}/{{endpoint_id}}",
    summary="Get a webhook endpoint",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_endpoint(endpoint_id: PathId, work: ConsultantWorkDep) -> EndpointOut:
    endpoint = await work.run(
        lambda session, caller: endpoint_service.get_endpoint(
            session=session, workspace_id=caller.workspace_id, endpoint_id=endpoint_id
        )
    )
    return EndpointOut.of(endpoint, now=utc_now())


@router.patch(
    f"{_ENDPOINTS}/{{endpoint_id}}",
    summary="Change an endpoint's URL, event types, description or enabled flag",
    description="Deliveries to a disabled endpoint wait, and go out once it is enabled again.",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def update_endpoint(
    endpoint_id: PathId, body: EndpointUpdate, work: ConsultantWorkDep, settings: SettingsDep
) -> EndpointOut:
    now = utc_now()
    changes = body.model_dump(exclude_unset=True)
    lookup = await lookup_before_saving(
        changes.get("url"), allow_private=settings.webhooks_allow_private_addresses
    )
    endpoint = await work.run(
        lambda session, caller: endpoint_service.update_endpoint(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            endpoint_id=endpoint_id,
            changes=changes,
            allow_private_addresses=settings.webhooks_allow_private_addresses,
            now=now,
            lookup=lookup,
        )
    )
    return EndpointOut.of(endpoint, now=now)


@router.post(
    f"{_ENDPOINTS}/{{endpoint_id}}/rotate-secret",
    summary="Replace the signing secret (returned only here); the old one signs for a while",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def rotate_secret(
    endpoint_id: PathId,
    work: ConsultantWorkDep,
    settings: SettingsDep,
    body: SecretRotation | None = None,
) -> EndpointWithSecretOut:
    overlap = timedelta(seconds=(body or SecretRotation()).overlap_seconds)
    now = utc_now()
    rotated = await work.run(
        lambda session, caller: endpoint_service.rotate_endpoint_secret(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            endpoint_id=endpoint_id,
            overlap=overlap,
            sealer=sealer_for(settings.secret_key),
            now=now,
        )
    )
    return EndpointWithSecretOut(
        **EndpointOut.of(rotated.endpoint, now=now).model_dump(), secret=rotated.secret
    )


@router.delete(
    f"{_ENDPOINTS}/{{endpoint_id}}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a webhook endpoint with its deliveries and their log",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_endpoint(endpoint_id: PathId, work: ConsultantWorkDep) -> None:
    await work.run(
        lambda session, caller: endpoint_service.delete_endpoint(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            endpoint_id=endpoint_id,
        )
    )


@router.get(
    f"{_ENDPOINTS}/{{endpoint_id}}/deliveries",
    summary="The delivery log of an endpoint, newest first",
    responses=problem_responses(401, 403, 404, 422),
)
async def list_deliveries(
    endpoint_id: PathId,
    work: ConsultantWorkDep,
    status: DeliveryStatus | None = None,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> DeliveryPage:
    page = await work.run(
        lambda session, caller: delivery_service.list_deliveries(
            session=session,
            workspace_id=caller.workspace_id,
            endpoint_id=endpoint_id,
            status=status,
            cursor=cursor,
            limit=limit,
        )
    )
    return DeliveryPage(
        items=[DeliveryOut.of(row.delivery, row.event_type) for row in page.items],
        next_cursor=page.next_cursor,
    )


@router.get(
    "/webhook-deliveries/{delivery_id}",
    summary="A delivery with its payload and every attempt (status code, error, duration)",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_delivery(delivery_id: PathId, work: ConsultantWorkDep) -> DeliveryDetailOut:
    detail = await work.run(
        lambda session, caller: delivery_service.get_delivery(
            session=session, workspace_id=caller.workspace_id, delivery_id=delivery_id
        )
    )
    return DeliveryDetailOut(
        **DeliveryOut.of(detail.delivery, detail.event_type).model_dump(),
        payload=detail.payload,
        attempts=[AttemptOut.of(a) for a in detail.attempts],
    )


@router.post(
    "/webhook-deliveries/{delivery_id}/redeliver",
    status_code=status.HTTP_201_CREATED,
    summary="Send a finished delivery's event again (same webhook-id), as a new delivery",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def redeliver(
    delivery_id: PathId, work: ConsultantWorkDep, response: Response
) -> DeliveryOut:
    row = await work.run(
        lambda session, caller: delivery_service.redeliver(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            delivery_id=delivery_id,
            now=utc_now(),
        )
    )
    response.headers["Location"] = f"/api/v1/webhook-deliveries/{row.delivery.id}"
    return DeliveryOut.of(row.delivery, row.event_type)

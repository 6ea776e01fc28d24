"""The delivery log of a workspace's webhooks, and manual redelivery."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from sqlmodel import Session

from app.models import WebhookAttempt, WebhookDelivery
from app.repositories import audit
from app.repositories import webhooks as webhook_rows
from app.repositories.webhooks import DeliveryRow
from app.services.errors import ConflictError, NotFoundError
from app.services.pagination import Page, decode_cursor, encode_cursor
from app.services.webhook_endpoints import get_endpoint

__all__ = [
    "DeliveryDetail",
    "DeliveryStatus",
    "get_delivery",
    "list_deliveries",
    "redeliver",
]

DeliveryStatus = Literal["pending", "sending", "succeeded", "failed"]


@dataclass(frozen=True, slots=True)
class DeliveryDetail:
    """A delivery with the event it carries (`payload`, as sent) and every attempt."""

    delivery: WebhookDelivery
    event_type: str
    payload: dict[str, Any]
    attempts: Sequence[WebhookAttempt]


def list_deliveries(
    *,
    session: Session,
    workspace_id: str,
    endpoint_id: str,
    status: DeliveryStatus | None,
    cursor: str | None,
    limit: int,
) -> Page[DeliveryRow]:
    """An endpoint's deliveries, newest first; pass `next_cursor` back for more."""
    get_endpoint(session=session, workspace_id=workspace_id, endpoint_id=endpoint_id)
    rows = webhook_rows.list_deliveries(
        session,
        workspace_id=workspace_id,
        endpoint_id=endpoint_id,
        status=status,
        before=decode_cursor(cursor),
        limit=limit + 1,
    )
    items = rows[:limit]
    more = len(rows) > limit
    last = items[-1].delivery if items else None
    return Page(items, encode_cursor(last.created_at, last.id) if more and last else None)


def get_delivery(*, session: Session, workspace_id: str, delivery_id: str) -> DeliveryDetail:
    found = webhook_rows.get_delivery(session, workspace_id=workspace_id, delivery_id=delivery_id)
    if found is None:
        raise NotFoundError("webhook delivery", delivery_id)
    delivery, event = found
    attempts = webhook_rows.attempts_of(session, delivery_id=delivery.id)
    return DeliveryDetail(delivery, event.type, json.loads(event.body), attempts)


def redeliver(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    delivery_id: str,
    now: datetime,
    endpoint_id: str | None = None,
) -> DeliveryRow:
    """Send a finished delivery's event to its endpoint again, as a new delivery with a full
    set of attempts. The event, and so the `webhook-id`, is the same: a receiver that already
    processed it can tell. With `endpoint_id`, a delivery of another endpoint is not found."""
    found = webhook_rows.get_delivery(session, workspace_id=workspace_id, delivery_id=delivery_id)
    if found is None or endpoint_id not in (None, found[0].endpoint_id):
        raise NotFoundError("webhook delivery", delivery_id)
    original, event = found
    if original.status in ("pending", "sending"):
        raise ConflictError(
            f"delivery {delivery_id} is still {original.status}; redeliver it once it has "
            "succeeded or failed"
        )
    delivery = webhook_rows.add_delivery(
        session,
        WebhookDelivery(
            workspace_id=workspace_id,
            endpoint_id=original.endpoint_id,
            event_id=original.event_id,
            next_attempt_at=now,
            created_at=now,
        ),
    )
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action="webhook_delivery.redelivered",
        subject_type="webhook_delivery",
        subject_id=delivery.id,
        detail={"redelivery_of": delivery_id},
    )
    return DeliveryRow(delivery, event.type)

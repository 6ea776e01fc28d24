"""SQL for webhook endpoints, the event outbox and the delivery log. Queries that serve a
workspace are scoped by it; the delivery worker's claim spans every workspace."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Select, and_, func, or_, update
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from app.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint, WebhookEvent
from app.models.tables import table_of

__all__ = [
    "ClaimedDelivery",
    "DeliveryRow",
    "add_delivery",
    "add_endpoint",
    "add_event",
    "any_due_delivery",
    "attempts_of",
    "claim_due_deliveries",
    "count_endpoints",
    "delete_endpoint",
    "enabled_endpoints",
    "endpoints_with_unsealed_secrets",
    "finish_delivery_attempt",
    "get_delivery",
    "get_endpoint",
    "list_deliveries",
    "list_endpoints",
]

_OPEN_STATUSES = ("pending", "sending")


def add_endpoint(session: Session, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    session.add(endpoint)
    session.flush()
    return endpoint


def get_endpoint(
    session: Session, *, workspace_id: str, endpoint_id: str
) -> WebhookEndpoint | None:
    statement = select(WebhookEndpoint).where(
        WebhookEndpoint.workspace_id == workspace_id, WebhookEndpoint.id == endpoint_id
    )
    return session.exec(statement).first()


def list_endpoints(session: Session, *, workspace_id: str) -> Sequence[WebhookEndpoint]:
    statement = (
        select(WebhookEndpoint)
        .where(WebhookEndpoint.workspace_id == workspace_id)
        .order_by(col(WebhookEndpoint.created_at), col(WebhookEndpoint.id))
    )
    return session.exec(statement).all()


def count_endpoints(session: Session, *, workspace_id: str) -> int:
    statement = select(func.count()).where(WebhookEndpoint.workspace_id == workspace_id)
    return int(session.exec(statement).one())


def enabled_endpoints(session: Session, *, workspace_id: str) -> Sequence[WebhookEndpoint]:
    """A workspace has a handful of endpoints at most: the caller filters by event type."""
    statement = select(WebhookEndpoint).where(
        WebhookEndpoint.workspace_id == workspace_id, col(WebhookEndpoint.enabled).is_(True)
    )
    return session.exec(statement).all()


def endpoints_with_unsealed_secrets(
    session: Session, *, sealed_prefix: str
) -> Sequence[WebhookEndpoint]:
    """Every workspace's endpoints whose secret, or previous secret, was stored before
    secrets were sealed (app/services/secret_sealing.py): a start-up task, not a request."""
    previous = col(WebhookEndpoint.previous_secret)
    return session.exec(
        select(WebhookEndpoint).where(
            or_(
                col(WebhookEndpoint.secret).not_like(f"{sealed_prefix}%"),
                and_(previous.is_not(None), previous.not_like(f"{sealed_prefix}%")),
            )
        )
    ).all()


def delete_endpoint(session: Session, endpoint: WebhookEndpoint) -> None:
    """Its deliveries and their log go with it (ON DELETE CASCADE)."""
    session.delete(endpoint)
    session.flush()


def add_event(session: Session, event: WebhookEvent, deliveries: Sequence[WebhookDelivery]) -> None:
    session.add(event)
    session.flush()  # the event row first: the deliveries refer to it
    session.add_all(list(deliveries))
    session.flush()


def add_delivery(session: Session, delivery: WebhookDelivery) -> WebhookDelivery:
    session.add(delivery)
    session.flush()
    return delivery


@dataclass(frozen=True, slots=True)
class ClaimedDelivery:
    """What a worker needs to send one attempt, read as it claims the delivery."""

    delivery_id: str
    claim_token: str
    attempt: int
    message_id: str
    body: str
    url: str
    endpoint_id: str
    secret: str  # as stored: sealed (app/services/secret_sealing.py)
    previous_secret: str | None
    previous_secret_expires_at: datetime | None


_DELIVERY = table_of(WebhookDelivery)
_EVENT = table_of(WebhookEvent)
_ENDPOINT = table_of(WebhookEndpoint)
_D, _E, _P = _DELIVERY.c, _EVENT.c, _ENDPOINT.c


def _due(now: datetime) -> Select[tuple[str]]:
    """The ids of deliveries due now, to endpoints that are enabled."""
    return (
        select_columns(_D.id)
        .select_from(_DELIVERY.join(_ENDPOINT))
        .where(
            _D.status.in_(_OPEN_STATUSES),
            _D.next_attempt_at <= now,
            _P.enabled.is_(True),
        )
    )


def any_due_delivery(session: Session, *, now: datetime) -> bool:
    """A plain read, so an idle worker takes no lock and no write turn."""
    return session.connection().execute(_due(now).limit(1)).first() is not None


def claim_due_deliveries(
    session: Session, *, now: datetime, lease_until: datetime, limit: int, claim_token: str
) -> list[ClaimedDelivery]:
    """Claim up to `limit` due deliveries of enabled endpoints for one attempt each.

    On PostgreSQL, FOR UPDATE SKIP LOCKED lets workers claim side by side without waiting
    for or taking each other's rows; SQLite's single writer (BEGIN IMMEDIATE) makes the
    claim atomic there. A claimed delivery is `sending` until `lease_until`; a worker that
    dies while sending loses its claim then, and the delivery is due again.
    """
    due = (
        _due(now)
        .order_by(_D.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=_DELIVERY)
    )
    ids = [row[0] for row in session.connection().execute(due)]
    if not ids:
        return []
    session.connection().execute(
        update(_DELIVERY)
        .where(_D.id.in_(ids))
        .values(
            status="sending",
            claim_token=claim_token,
            next_attempt_at=lease_until,
            attempt_count=_D.attempt_count + 1,
        )
    )
    rows = session.connection().execute(
        select_columns(
            _D.id,
            _D.attempt_count,
            _E.id,
            _E.body,
            _P.url,
            _P.id,
            _P.secret,
            _P.previous_secret,
            _P.previous_secret_expires_at,
        )
        .select_from(_DELIVERY.join(_EVENT).join(_ENDPOINT))
        .where(_D.id.in_(ids))
        .order_by(_D.next_attempt_at, _D.id)
    )
    return [
        ClaimedDelivery(
            delivery_id=row[0],
            claim_token=claim_token,
            attempt=row[1],
            message_id=row[2],
            body=row[3],
            url=row[4],
            endpoint_id=row[5],
            secret=row[6],
            previous_secret=row[7],
            previous_secret_expires_at=row[8],
        )
        for row in rows
    ]


def finish_delivery_attempt(
    session: Session,
    *,
    claim_token: str,
    attempt: WebhookAttempt,
    status: str,
    next_attempt_at: datetime | None,
    finished_at: datetime | None,
) -> bool:
    """Log the attempt and settle the delivery, if the claim still holds (False: the lease
    ran out and another worker claimed the delivery, or it is gone)."""
    settled = cast(
        CursorResult[Any],
        session.execute(
            update(WebhookDelivery)
            .where(
                col(WebhookDelivery.id) == attempt.delivery_id,
                col(WebhookDelivery.claim_token) == claim_token,
            )
            .values(
                status=status,
                next_attempt_at=next_attempt_at,
                finished_at=finished_at,
                claim_token=None,
                last_status_code=attempt.status_code,
                last_error=attempt.error,
            )
            .execution_options(synchronize_session=False)
        ),
    )
    exists = settled.rowcount == 1 or session.get(WebhookDelivery, attempt.delivery_id) is not None
    if exists:  # an attempt that was sent is logged even when its claim ran out
        session.add(attempt)
    session.flush()
    return settled.rowcount == 1


@dataclass(frozen=True, slots=True)
class DeliveryRow:
    delivery: WebhookDelivery
    event_type: str


def list_deliveries(
    session: Session,
    *,
    workspace_id: str,
    endpoint_id: str,
    status: str | None,
    before: tuple[datetime, str] | None,
    limit: int,
) -> list[DeliveryRow]:
    """Newest first, ordered by (created_at, id) descending; `before` is the last row of the
    previous page."""
    statement = (
        select(WebhookDelivery, WebhookEvent.type)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .where(
            WebhookDelivery.workspace_id == workspace_id,
            WebhookDelivery.endpoint_id == endpoint_id,
        )
    )
    if status is not None:
        statement = statement.where(WebhookDelivery.status == status)
    if before is not None:
        created, delivery_id = before
        statement = statement.where(
            or_(
                col(WebhookDelivery.created_at) < created,
                and_(
                    col(WebhookDelivery.created_at) == created,
                    col(WebhookDelivery.id) < delivery_id,
                ),
            )
        )
    statement = statement.order_by(
        col(WebhookDelivery.created_at).desc(), col(WebhookDelivery.id).desc()
    ).limit(limit)
    return [DeliveryRow(delivery, event_type) for delivery, event_type in session.exec(statement)]


def get_delivery(
    session: Session, *, workspace_id: str, delivery_id: str
) -> tuple[WebhookDelivery, WebhookEvent] | None:
    statement = (
        select(WebhookDelivery, WebhookEvent)
        .join(WebhookEvent, col(WebhookEvent.id) == col(WebhookDelivery.event_id))
        .where(WebhookDelivery.workspace_id == workspace_id, WebhookDelivery.id == delivery_id)
    )
    row = session.exec(statement).first()
    return None if row is None else (row[0], row[1])


def attempts_of(session: Session, *, delivery_id: str) -> Sequence[WebhookAttempt]:
    statement = (
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == delivery_id)
        .order_by(col(WebhookAttempt.attempt), col(WebhookAttempt.started_at))
    )
    return session.exec(statement).all()

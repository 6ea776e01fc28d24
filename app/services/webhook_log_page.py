"""A webhook endpoint with its most recent deliveries, as the console's delivery log shows it
(built on app/services/webhook_endpoints.py and webhook_deliveries.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from app.models import WebhookEndpoint
from app.repositories.webhooks import DeliveryRow
from app.services.webhook_deliveries import list_deliveries
from app.services.webhook_endpoints import get_endpoint

__all__ = ["DELIVERY_LOG_LIMIT", "EndpointLog", "endpoint_log"]

DELIVERY_LOG_LIMIT = 50


@dataclass(frozen=True, slots=True)
class EndpointLog:
    endpoint: WebhookEndpoint
    deliveries: Sequence[DeliveryRow]
    more: bool  # older deliveries exist beyond the listed ones


def endpoint_log(*, session: Session, workspace_id: str, endpoint_id: str) -> EndpointLog:
    """The endpoint and its newest DELIVERY_LOG_LIMIT deliveries."""
    endpoint = get_endpoint(session=session, workspace_id=workspace_id, endpoint_id=endpoint_id)
    page = list_deliveries(
        session=session,
        workspace_id=workspace_id,
        endpoint_id=endpoint_id,
        status=None,
        cursor=None,
        limit=DELIVERY_LOG_LIMIT,
    )
    return EndpointLog(endpoint, page.items, page.next_cursor is not None)

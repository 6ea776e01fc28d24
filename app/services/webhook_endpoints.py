"""Webhook endpoints of a workspace: where events go, which ones, and the signing secret.

A receiver URL is checked when it is saved (created or changed): its form, and where its
host name points now (webhook_addresses.registration_problem: a DNS lookup with a time
limit, never a connection). Sending checks again, since DNS answers change.

The secret is generated here and returned once, when the endpoint is created or its secret
rotated. After a rotation the previous secret keeps signing (a second signature in the same
header) until the overlap ends, so a receiver can switch secrets without losing an event.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session

from app.models import WebhookEndpoint
from app.repositories import audit
from app.repositories import webhooks as webhook_rows
from app.services.errors import ConflictError, FieldProblem, InvalidInputError, NotFoundError
from app.services.secret_sealing import SEALED_PREFIX, SecretSealer, is_sealed
from app.services.webhook_addresses import HostLookup, registration_problem
from app.services.webhook_events import EVENT_TYPES
from app.services.webhook_signing import new_secret
from app.text_rules import text_field_problems

__all__ = [
    "DEFAULT_SECRET_OVERLAP",
    "MAX_ENDPOINTS_PER_WORKSPACE",
    "MAX_SECRET_OVERLAP",
    "UPDATABLE_ENDPOINT_FIELDS",
    "EndpointWithSecret",
    "create_endpoint",
    "delete_endpoint",
    "get_endpoint",
    "list_endpoints",
    "rotate_endpoint_secret",
    "seal_stored_secrets",
    "signing_secrets",
    "update_endpoint",
]

MAX_ENDPOINTS_PER_WORKSPACE = 20
DEFAULT_SECRET_OVERLAP = timedelta(hours=24)
MAX_SECRET_OVERLAP = timedelta(days=7)
UPDATABLE_ENDPOINT_FIELDS = frozenset({"url", "event_types", "description", "enabled"})


@dataclass(frozen=True, slots=True)
class EndpointWithSecret:
    """`secret` exists only in this answer: show it once."""

    endpoint: WebhookEndpoint
    secret: str


def signing_secrets(
    secret: str, previous_secret: str | None, previous_expires_at: datetime | None, now: datetime
) -> list[str]:
    """The secrets that sign a request now: the current one, and the previous one during
    the overlap after a rotation."""
    if (
        previous_secret is not None
        and previous_expires_at is not None
        and now < previous_expires_at
    ):
        return [secret, previous_secret]
    return [secret]


def _problems(
    *,
    url: str | None,
    description: str | None = None,
    event_types: Sequence[str] | None,
    allow_private_addresses: bool,
    lookup: HostLookup | None,
) -> list[FieldProblem]:
    problems = text_field_problems({"url": url, "description": description})
    if url is not None and not problems:
        problem = registration_problem(url, allow_private=allow_private_addresses, lookup=lookup)
        if problem is not None:
            problems.append(FieldProblem("url", problem))
    if event_types is not None:
        if not event_types:
            problems.append(FieldProblem("event_types", "subscribe to at least one event type"))
        for index, event_type in enumerate(event_types):
            if event_type not in EVENT_TYPES:
                known = ", ".join(EVENT_TYPES)
                problems.append(
                    FieldProblem(f"event_types[{index}]", f"{event_type!r} is not one of {known}")
                )
    return problems


def create_endpoint(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    url: str,
    event_types: Sequence[str],
    description: str | None,
    enabled: bool,
    allow_private_addresses: bool,
    sealer: SecretSealer,
    now: datetime,
    lookup: HostLookup | None = None,
) -> EndpointWithSecret:
    """Create an endpoint with a new secret (returned once, stored sealed). The URL must be
    http(s); with `allow_private_addresses` False, a host that is or resolves to an address
    that is not public is refused (a name that does not resolve is not: sending checks it
    again). `lookup` resolves host names (default: the system resolver, up to a few
    seconds, in a thread of its own)."""
    problems = _problems(
        url=url,
        description=description,
        event_types=event_types,
        allow_private_addresses=allow_private_addresses,
        lookup=lookup,
    )
    if problems:
        raise InvalidInputError(problems)
    if (
        webhook_rows.count_endpoints(session, workspace_id=workspace_id)
        >= MAX_ENDPOINTS_PER_WORKSPACE
    ):
        raise ConflictError(
            f"a workspace has at most {MAX_ENDPOINTS_PER_WORKSPACE} webhook endpoints"
        )
    secret = new_secret()
    endpoint = WebhookEndpoint(
        workspace_id=workspace_id,
        url=url,
        description=description,
        event_types=list(dict.fromkeys(event_types)),
        enabled=enabled,
        secret="",
        created_at=now,
        updated_at=now,
    )
    endpoint.secret = sealer.seal(secret, endpoint_id=endpoint.id)
    endpoint = webhook_rows.add_endpoint(session, endpoint)
    _audit(session, endpoint, actor, "webhook_endpoint.created", {"host": _host(url)})
    return EndpointWithSecret(endpoint, secret)


def list_endpoints(*, session: Session, workspace_id: str) -> Sequence[WebhookEndpoint]:
    return webhook_rows.list_endpoints(session, workspace_id=workspace_id)


def get_endpoint(*, session: Session, workspace_id: str, endpoint_id: str) -> WebhookEndpoint:
    endpoint = webhook_rows.get_endpoint(
        session, workspace_id=workspace_id, endpoint_id=endpoint_id
    )
    if endpoint is None:
        raise NotFoundError("webhook endpoint", endpoint_id)
    return endpoint


def update_endpoint(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    endpoint_id: str,
    changes: Mapping[str, Any],
    allow_private_addresses: bool,
    now: datetime,
    lookup: HostLookup | None = None,
) -> WebhookEndpoint:
    """Apply the given fields (url, event_types, description, enabled); absent fields stay.
    A new URL is checked as in `create_endpoint`. Deliveries to a disabled endpoint wait,
    and go out once it is enabled again."""
    endpoint = get_endpoint(session=session, workspace_id=workspace_id, endpoint_id=endpoint_id)
    unknown = set(changes) - UPDATABLE_ENDPOINT_FIELDS
    if unknown:  # pragma: no cover - the API schema forbids them
        raise ValueError(f"not updatable: {sorted(unknown)}")
    problems = _problems(
        url=changes.get("url"),
        description=changes.get("description"),
        event_types=changes.get("event_types"),
        allow_private_addresses=allow_private_addresses,
        lookup=lookup,
    )
    if problems:
        raise InvalidInputError(problems)
    for field, value in changes.items():
        if field == "event_types":
            value = list(dict.fromkeys(value))
        setattr(endpoint, field, value)
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    _audit(session, endpoint, actor, "webhook_endpoint.updated", {"fields": sorted(changes)})
    return endpoint


def rotate_endpoint_secret(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    endpoint_id: str,
    overlap: timedelta,
    sealer: SecretSealer,
    now: datetime,
) -> EndpointWithSecret:
    """Replace the secret with a new one (returned once, stored sealed); the old one keeps signing for
    `overlap` (zero: stops at once), alongside the new one."""
    if not timedelta(0) <= overlap <= MAX_SECRET_OVERLAP:
        raise InvalidInputError(
            [
                FieldProblem(
                    "overlap_seconds", f"between 0 and {int(MAX_SECRET_OVERLAP.total_seconds())}"
                )
            ]
        )
    endpoint = get_endpoint(session=session, workspace_id=workspace_id, endpoint_id=endpoint_id)
    secret = new_secret()
    if overlap > timedelta(0):
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_expires_at = now + overlap
    else:
        endpoint.previous_secret = None
        endpoint.previous_secret_expires_at = None
    endpoint.secret = sealer.seal(secret, endpoint_id=endpoint.id)
    endpoint.updated_at = now
    session.add(endpoint)
    session.flush()
    _audit(
        session,
        endpoint,
        actor,
        "webhook_endpoint.secret_rotated",
        {"overlap_seconds": int(overlap.total_seconds())},
    )
    return EndpointWithSecret(endpoint, secret)


def delete_endpoint(*, session: Session, workspace_id: str, actor: str, endpoint_id: str) -> None:
    """Delete an endpoint with its deliveries and their log."""
    endpoint = get_endpoint(session=session, workspace_id=workspace_id, endpoint_id=endpoint_id)
    webhook_rows.delete_endpoint(session, endpoint)
    _audit(session, endpoint, actor, "webhook_endpoint.deleted", {"host": _host(endpoint.url)})


def _host(url: str) -> str | None:
    """Only the host goes to the audit trail: a URL's path or query may hold a token."""
    return urlsplit(url).hostname


def _audit(
    session: Session,
    endpoint: WebhookEndpoint,
    actor: str,
    action: str,
    detail: dict[str, Any],
) -> None:
    audit.record_audit_event(
        session,
        workspace_id=endpoint.workspace_id,
        actor=actor,
        action=action,
        subject_type="webhook_endpoint",
        subject_id=endpoint.id,
        detail=detail,
    )


def seal_stored_secrets(*, session: Session, sealer: SecretSealer) -> int:
    """Seal the signing secrets stored as they were before sealing existed (at start-up);
    returns how many endpoints changed. Nothing changes for their receivers."""
    endpoints = webhook_rows.endpoints_with_unsealed_secrets(session, sealed_prefix=SEALED_PREFIX)
    for endpoint in endpoints:
        if not is_sealed(endpoint.secret):
            endpoint.secret = sealer.seal(endpoint.secret, endpoint_id=endpoint.id)
        if endpoint.previous_secret is not None and not is_sealed(endpoint.previous_secret):
            endpoint.previous_secret = sealer.seal(
                endpoint.previous_secret, endpoint_id=endpoint.id
            )
        session.add(endpoint)
    session.flush()
    return len(endpoints)

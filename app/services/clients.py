"""Clients: the organisations a workspace assesses."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.models import Client
from app.repositories import assessments as assessment_rows
from app.repositories import audit
from app.repositories import clients as client_rows
from app.services.errors import ConflictError, NotFoundError
from app.services.pagination import Page, decode_cursor, encode_cursor
from app.text_rules import refuse_bad_text

__all__ = [
    "UPDATABLE_CLIENT_FIELDS",
    "create_client",
    "delete_client",
    "find_client_by_external_ref",
    "get_client",
    "list_clients",
    "update_client",
]

UPDATABLE_CLIENT_FIELDS = frozenset({"name", "industry", "size_band", "external_ref"})


def create_client(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    name: str,
    industry: str | None,
    size_band: str | None,
    external_ref: str | None,
    now: datetime,
) -> Client:
    """Create a client; an `external_ref` already used in the workspace is a conflict."""
    refuse_bad_text({"name": name, "industry": industry, "external_ref": external_ref})
    _refuse_taken_external_ref(session, workspace_id, external_ref, None)
    client = client_rows.add_client(
        session,
        Client(
            workspace_id=workspace_id,
            name=name,
            industry=industry,
            size_band=size_band,
            external_ref=external_ref,
            created_at=now,
            updated_at=now,
        ),
    )
    _audit(session, workspace_id, actor, "client.created", client.id, {"name": name})
    return client


def get_client(*, session: Session, workspace_id: str, client_id: str) -> Client:
    client = client_rows.get_client(session, workspace_id=workspace_id, client_id=client_id)
    if client is None:
        raise NotFoundError("client", client_id)
    return client


def find_client_by_external_ref(
    *, session: Session, workspace_id: str, external_ref: str
) -> Client:
    client = client_rows.find_client_by_external_ref(
        session, workspace_id=workspace_id, external_ref=external_ref
    )
    if client is None:
        raise NotFoundError("client with external_ref", external_ref)
    return client


def list_clients(
    *, session: Session, workspace_id: str, cursor: str | None, limit: int
) -> Page[Client]:
    rows = client_rows.list_clients(
        session, workspace_id=workspace_id, after=decode_cursor(cursor), limit=limit + 1
    )
    items = rows[:limit]
    more = len(rows) > limit
    return Page(items, encode_cursor(items[-1].created_at, items[-1].id) if more else None)


def update_client(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    client_id: str,
    changes: Mapping[str, Any],
    now: datetime,
) -> Client:
    """Apply the given fields (only those in UPDATABLE_CLIENT_FIELDS); absent fields stay."""
    client = get_client(session=session, workspace_id=workspace_id, client_id=client_id)
    unknown = set(changes) - UPDATABLE_CLIENT_FIELDS
    if unknown:  # pragma: no cover - the API schema forbids them
        raise ValueError(f"not updatable: {sorted(unknown)}")
    refuse_bad_text({field: value for field, value in changes.items() if isinstance(value, str)})
    if "external_ref" in changes:
        _refuse_taken_external_ref(session, workspace_id, changes["external_ref"], client.id)
    for field, value in changes.items():
        setattr(client, field, value)
    client.updated_at = now
    session.add(client)
    session.flush()
    assessment_rows.mark_client_assessments_changed(session, client_id=client.id, now=now)
    _audit(session, workspace_id, actor, "client.updated", client.id, {"fields": sorted(changes)})
    return client


def delete_client(*, session: Session, workspace_id: str, actor: str, client_id: str) -> None:
    """Delete a client with all its assessments, respondents and answers."""
    client = get_client(session=session, workspace_id=workspace_id, client_id=client_id)
    client_rows.delete_client(session, client)
    _audit(session, workspace_id, actor, "client.deleted", client_id, {"name": client.name})


def _refuse_taken_external_ref(
    session: Session, workspace_id: str, external_ref: str | None, own_id: str | None
) -> None:
    if external_ref is None:
        return
    holder = client_rows.find_client_by_external_ref(
        session, workspace_id=workspace_id, external_ref=external_ref
    )
    if holder is not None and holder.id != own_id:
        raise ConflictError(f"external_ref {external_ref!r} already names client {holder.id}")


def _audit(
    session: Session,
    workspace_id: str,
    actor: str,
    action: str,
    client_id: str,
    detail: dict[str, Any],
) -> None:
    audit.record_audit_event(
        session,
        workspace_id=workspace_id,
        actor=actor,
        action=action,
        subject_type="client",
        subject_id=client_id,
        detail=detail,
    )

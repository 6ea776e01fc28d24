"""SQL for clients. Every query is scoped by workspace."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from app.models import Client

__all__ = [
    "add_client",
    "delete_client",
    "find_client_by_external_ref",
    "get_client",
    "list_clients",
]


def add_client(session: Session, client: Client) -> Client:
    session.add(client)
    session.flush()
    return client


def get_client(session: Session, *, workspace_id: str, client_id: str) -> Client | None:
    statement = select(Client).where(Client.workspace_id == workspace_id, Client.id == client_id)
    return session.exec(statement).first()


def find_client_by_external_ref(
    session: Session, *, workspace_id: str, external_ref: str
) -> Client | None:
    statement = select(Client).where(
        Client.workspace_id == workspace_id, Client.external_ref == external_ref
    )
    return session.exec(statement).first()


def list_clients(
    session: Session, *, workspace_id: str, after: tuple[datetime, str] | None, limit: int
) -> Sequence[Client]:
    """Oldest first, ordered by (created_at, id); `after` is the last row of the previous page."""
    statement = select(Client).where(Client.workspace_id == workspace_id)
    if after is not None:
        created, client_id = after
        statement = statement.where(
            or_(
                col(Client.created_at) > created,
                and_(col(Client.created_at) == created, col(Client.id) > client_id),
            )
        )
    statement = statement.order_by(col(Client.created_at), col(Client.id)).limit(limit)
    return session.exec(statement).all()


def delete_client(session: Session, client: Client) -> None:
    """Its assessments, respondents and answers go with it (ON DELETE CASCADE)."""
    session.delete(client)
    session.flush()

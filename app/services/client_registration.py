"""Clients as the console lists, registers and edits them: every field of the form checked at
once, each problem named by its field, so the form can be shown again with the typed values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.models import Client
from app.repositories import clients as client_rows
from app.services.clients import create_client, get_client, update_client
from app.services.errors import FieldProblem, InvalidInputError
from app.text_rules import text_field_problems

__all__ = [
    "CLIENT_LIST_LIMIT",
    "SIZE_BANDS",
    "ClientForm",
    "client_directory",
    "client_form_of",
    "client_form_problems",
    "edit_client",
    "register_client",
]

# The same bands as the API's `size_band` (app/api/clients.py).
SIZE_BANDS = ("1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001+")
CLIENT_LIST_LIMIT = 500
_MAX_LENGTHS = {"name": 200, "industry": 100, "external_ref": 200}


@dataclass(frozen=True, slots=True)
class ClientForm:
    """The fields as typed; blank optional fields mean "not given"."""

    name: str
    industry: str = ""
    size_band: str = ""
    external_ref: str = ""


def client_directory(*, session: Session, workspace_id: str) -> Sequence[Client]:
    """The workspace's clients, oldest first (at most CLIENT_LIST_LIMIT)."""
    return client_rows.list_clients(
        session, workspace_id=workspace_id, after=None, limit=CLIENT_LIST_LIMIT
    )


def client_form_of(client: Client) -> ClientForm:
    """The client's fields as the form shows them."""
    return ClientForm(
        name=client.name,
        industry=client.industry or "",
        size_band=client.size_band or "",
        external_ref=client.external_ref or "",
    )


def client_form_problems(
    *, session: Session, workspace_id: str, form: ClientForm, own_id: str | None = None
) -> list[FieldProblem]:
    """What is wrong with the form, field by field (nothing is written). `own_id`: the client
    being edited, whose own reference is no conflict."""
    problems = []
    if not form.name.strip():
        problems.append(FieldProblem("name", "enter the client's name"))
    for field, limit in _MAX_LENGTHS.items():
        if len(getattr(form, field).strip()) > limit:
            problems.append(FieldProblem(field, f"use at most {limit} characters"))
    problems += text_field_problems({field: getattr(form, field) for field in _MAX_LENGTHS})
    if form.size_band and form.size_band not in SIZE_BANDS:
        problems.append(FieldProblem("size_band", "choose one of the size bands"))
    external_ref = form.external_ref.strip()
    holder = (
        client_rows.find_client_by_external_ref(
            session, workspace_id=workspace_id, external_ref=external_ref
        )
        if external_ref
        else None
    )
    if holder is not None and holder.id != own_id:
        problems.append(FieldProblem("external_ref", "another client already has this reference"))
    return problems


def register_client(
    *, session: Session, workspace_id: str, actor: str, form: ClientForm, now: datetime
) -> Client:
    """Create a client from the console's form; InvalidInputError names every bad field."""
    problems = client_form_problems(session=session, workspace_id=workspace_id, form=form)
    if problems:
        raise InvalidInputError(problems)
    return create_client(
        session=session,
        workspace_id=workspace_id,
        actor=actor,
        name=form.name.strip(),
        industry=form.industry.strip() or None,
        size_band=form.size_band or None,
        external_ref=form.external_ref.strip() or None,
        now=now,
    )


def edit_client(
    *,
    session: Session,
    workspace_id: str,
    actor: str,
    client_id: str,
    form: ClientForm,
    now: datetime,
) -> Client:
    """Save the console's edit form through the API's update (the same audit event); a blank
    optional field clears it. NotFoundError for another workspace's
    client; InvalidInputError names every bad field."""
    client = get_client(session=session, workspace_id=workspace_id, client_id=client_id)
    problems = client_form_problems(
        session=session, workspace_id=workspace_id, form=form, own_id=client.id
    )
    if problems:
        raise InvalidInputError(problems)
    typed = {
        "name": form.name.strip(),
        "industry": form.industry.strip() or None,
        "size_band": form.size_band or None,
        "external_ref": form.external_ref.strip() or None,
    }
    # Only what changed, so the audit event names the fields the consultant edited.
    changes = {field: value for field, value in typed.items() if getattr(client, field) != value}
    if not changes:
        return client
    return update_client(
        session=session,
        workspace_id=workspace_id,
        actor=actor,
        client_id=client.id,
        changes=changes,
        now=now,
    )

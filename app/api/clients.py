"""/api/v1/clients: the organisations a workspace assesses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Response, status
from pydantic import MISSING, BaseModel, Field

from app.api.paths import API_PREFIX, CursorQuery, PathId
from app.api.strict_json import STRICT_BODY, StrictJsonRoute
from app.dependencies import ConsultantWorkDep
from app.models import Client, utc_now
from app.problems import problem_responses
from app.services import clients as client_service
from app.text_rules import SingleLineText

__all__ = ["router"]

router = APIRouter(prefix=f"{API_PREFIX}/clients", tags=["clients"], route_class=StrictJsonRoute)

SizeBand = Literal["1-10", "11-50", "51-200", "201-500", "501-1000", "1001-5000", "5001+"]


class ClientCreate(BaseModel):
    model_config = STRICT_BODY
    name: SingleLineText = Field(min_length=1, max_length=200)
    industry: SingleLineText | None = Field(default=None, max_length=100)
    size_band: SizeBand | None = None
    external_ref: SingleLineText | None = Field(
        default=None, min_length=1, max_length=200, description="The CRM's own id of the client"
    )


class ClientUpdate(BaseModel):
    """Only the fields sent change; send null to clear an optional field (not `name`)."""

    model_config = STRICT_BODY
    # MISSING: a field left out has no value and documents no default; a name is never null.
    name: SingleLineText | MISSING = Field(default=MISSING, min_length=1, max_length=200)
    industry: SingleLineText | MISSING | None = Field(default=MISSING, max_length=100)
    size_band: SizeBand | MISSING | None = MISSING
    external_ref: SingleLineText | MISSING | None = Field(
        default=MISSING, min_length=1, max_length=200
    )


class ClientOut(BaseModel):
    id: str
    name: str
    industry: str | None
    size_band: str | None
    external_ref: str | None
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, client: Client) -> ClientOut:
        return cls.model_validate(client, from_attributes=True)


class ClientPage(BaseModel):
    items: list[ClientOut]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    summary="Create a client",
    responses=problem_responses(401, 403, 409, 413, 422),
)
async def create_client(
    body: ClientCreate, work: ConsultantWorkDep, response: Response
) -> ClientOut:
    client = await work.run(
        lambda session, caller: client_service.create_client(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            name=body.name,
            industry=body.industry,
            size_band=body.size_band,
            external_ref=body.external_ref,
            now=utc_now(),
        )
    )
    response.headers["Location"] = f"/api/v1/clients/{client.id}"
    return ClientOut.of(client)


@router.get("", summary="List clients, oldest first", responses=problem_responses(401, 403, 422))
async def list_clients(
    work: ConsultantWorkDep,
    cursor: CursorQuery = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> ClientPage:
    page = await work.run(
        lambda session, caller: client_service.list_clients(
            session=session,
            workspace_id=caller.workspace_id,
            cursor=cursor,
            limit=limit,
        )
    )
    return ClientPage(items=[ClientOut.of(c) for c in page.items], next_cursor=page.next_cursor)


@router.get(
    "/by-external-ref/{external_ref}",
    summary="Find a client by the CRM's id for it",
    responses=problem_responses(401, 403, 404, 422),
)
async def find_client_by_external_ref(external_ref: PathId, work: ConsultantWorkDep) -> ClientOut:
    client = await work.run(
        lambda session, caller: client_service.find_client_by_external_ref(
            session=session,
            workspace_id=caller.workspace_id,
            external_ref=external_ref,
        )
    )
    return ClientOut.of(client)


@router.get("/{client_id}", summary="Get a client", responses=problem_responses(401, 403, 404, 422))
async def get_client(client_id: PathId, work: ConsultantWorkDep) -> ClientOut:
    client = await work.run(
        lambda session, caller: client_service.get_client(
            session=session,
            workspace_id=caller.workspace_id,
            client_id=client_id,
        )
    )
    return ClientOut.of(client)


@router.patch(
    "/{client_id}",
    summary="Update a client",
    responses=problem_responses(401, 403, 404, 409, 413, 422),
)
async def update_client(
    client_id: PathId, body: ClientUpdate, work: ConsultantWorkDep
) -> ClientOut:
    client = await work.run(
        lambda session, caller: client_service.update_client(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            client_id=client_id,
            changes=body.model_dump(exclude_unset=True),
            now=utc_now(),
        )
    )
    return ClientOut.of(client)


@router.delete(
    "/{client_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a client with all its assessments, respondents and answers",
    responses=problem_responses(401, 403, 404, 422),
)
async def delete_client(client_id: PathId, work: ConsultantWorkDep) -> None:
    await work.run(
        lambda session, caller: client_service.delete_client(
            session=session,
            workspace_id=caller.workspace_id,
            actor=caller.actor,
            client_id=client_id,
        )
    )

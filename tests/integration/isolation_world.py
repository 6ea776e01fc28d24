"""The data the isolation tests run against, built once per backend per test module: two
workspaces of the same shape (so that a foreign id, or a mix of one's own and a foreign id,
can be tried on every route), each with clients, assessments in every state, respondents
with their private tokens, webhook endpoints with deliveries, API keys (one revoked),
console sessions (one signed out), a consultant and a viewer colleague signed in, and a
pending colleague invitation. Also a snapshot of a workspace's rows, to show that a
refused request changed nothing."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from pydantic import SecretStr
from sqlalchemy import Engine, Table, select
from sqlmodel import SQLModel, col

from app.models import MailMessage, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services import admin, colleagues
from app.services.mail_outbox import MailSender
from app.services.workspace_settings import update_public_link
from tests.integration.console_session import (
    add_failed_delivery,
    add_failed_mail,
    csrf_of,
    open_self_assessment,
)
from tests.integration.flow import FULL_ANSWERS, expect, save_answers
from tests.integration.live_server import LiveServer, running_server

__all__ = ["Tenant", "World", "visitor", "workspace_rows", "world_on"]

PASSWORD = "correct horse battery staple"


@dataclass
class Tenant:
    """One workspace's credentials, ids and the words only its own pages may show."""

    workspace_id: str
    email: str
    api_key: str
    api_key_id: str
    revoked_key: str
    session: str
    signed_out_session: str
    # A value for every path parameter: an open assessment with a submitted respondent, a
    # webhook endpoint with a delivery, ...
    ids: dict[str, str]
    # The same names for a second assessment (closed) and a second endpoint: mixed with
    # `ids` they name a respondent or a delivery under the wrong parent.
    alt_ids: dict[str, str]
    # Respondent tokens by state: submitted, in_progress, closed (assessment closed before
    # the respondent submitted), removed, and for the workspace that publishes its link
    # self_closed (a submitted self-assessment, closed).
    tokens: dict[str, str]
    markers: tuple[str, ...]
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)
    slug: str = ""
    # Sessions of colleagues in the workspace, by role (app/web/console/roles.py).
    role_sessions: dict[str, str] = field(default_factory=dict)
    join_token: str = ""


@dataclass
class World:
    server: LiveServer
    owner: Tenant
    other: Tenant
    unpublished_slug: str
    metrics_token: str

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def engine(self) -> Engine:
        engine: Engine = self.server.app.state.runtime.database.engine
        return engine


@contextmanager
def world_on(server: LiveServer) -> Iterator[World]:
    """The world, served by a server of its own over the same database without rate limits:
    the matrix sends hundreds of requests a minute from one address, and a 429 would hide the
    answer under test (the limits have tests of their own)."""
    metrics_token = secrets.token_urlsafe(32)
    settings = server.settings.model_copy(
        update={"rate_limits": False, "metrics_token": SecretStr(metrics_token)}
    )
    with running_server(settings) as live:
        yield build_world(live, metrics_token)


def build_world(server: LiveServer, metrics_token: str) -> World:
    owner = _tenant(server, publish=True)
    other = _tenant(server, publish=False)
    unpublished, other.slug = other.slug, ""
    if server.settings.mail_worker_in_process:
        _wait_until_the_mail_is_out(server.app.state.runtime.database.engine)
    return World(server, owner, other, unpublished, metrics_token)


def _wait_until_the_mail_is_out(engine: Engine, timeout: float = 30) -> None:
    """Building the world queues mail (invitations); the mail worker sends it in the
    background, which would change rows between a test's before and after."""
    deadline = time.monotonic() + timeout
    waiting = select(MailMessage.id).where(col(MailMessage.status).in_(("pending", "sending")))
    while True:
        with engine.connect() as connection:
            if connection.execute(waiting.limit(1)).first() is None:
                return
        if time.monotonic() > deadline:
            raise AssertionError("the world's mail was not sent in time")
        time.sleep(0.1)


@contextmanager
def visitor(
    world: World, *, session: str | None = None, api_key: str | None = None
) -> Iterator[tuple[httpx.Client, str]]:
    """A browser-like client with the site's cookie and the form token of its session (for
    form fields), optionally signed in to the console, or sending an API key."""
    cookies = {} if session is None else {"om_session": session}
    headers = {"Authorization": f"Bearer {api_key}"} if api_key else None
    with httpx.Client(base_url=world.url, cookies=cookies, headers=headers, timeout=60) as client:
        yield client, csrf_of(client.get("/console/login"))


def _tenant(server: LiveServer, *, publish: bool) -> Tenant:
    tag = uuid.uuid4().hex[:10]
    now = utc_now()
    email = f"owner-{tag}@example.org"
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=f"Firm {tag}",
            owner_email=email,
            owner_name="Casey Consultant",
            owner_password=PASSWORD,
            now=now,
        )
        live, key = admin.create_api_key(
            session=session, workspace_id=workspace.id, name=f"Key {tag}", now=now
        )
        revoked, revoked_key = admin.create_api_key(
            session=session, workspace_id=workspace.id, name=f"Old key {tag}", now=now
        )
        admin.revoke_api_key(session=session, workspace_id=workspace.id, key=revoked.id, now=now)
        people = {
            role: admin.add_workspace_user(
                session=session,
                workspace_id=workspace.id,
                email=f"{role}-{tag}@example.org",
                name=f"Colleague {tag} {role}",
                role=role,
                password=PASSWORD,
                now=now,
            )[0]
            for role in ("consultant", "viewer")
        }
        invited = colleagues.invite_colleague(
            session=session,
            sender=MailSender(from_address="console@opsmaturity.test", base_url=server.url),
            workspace_id=workspace.id,
            inviter="Casey Consultant",
            inviter_user_id=people["consultant"].id,
            actor="test",
            email=f"invited-{tag}@example.org",
            name="",
            role="viewer",
            now=now,
        )
    with httpx.Client(
        base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60
    ) as api:
        data = _assessments(server, api, workspace.id, tag, publish=publish)
        endpoints = [_endpoint(server, api, workspace.id, tag, n) for n in (1, 2)]
    engine = server.app.state.runtime.database.engine
    session_token = _sign_in(server, email)
    role_sessions = {role: _sign_in(server, person.email) for role, person in people.items()}
    signed_out = _sign_in(server, email)
    _sign_out(server, signed_out)
    slug = f"firm-{tag}"
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        update_public_link(session=session, workspace_id=workspace.id, actor="test", slug=slug)
        if not publish:
            update_public_link(session=session, workspace_id=workspace.id, actor="test", slug="")
    common = {
        "client_id": data["client_id"],
        "external_ref": f"crm-{tag}",
        "key_id": live.id,
        "questionnaire_id": "example",
        "number": "1",
        "user_id": people["viewer"].id,
        "invitation_id": invited.invitation.id,
    }
    return Tenant(
        workspace_id=workspace.id,
        email=email,
        api_key=key,
        api_key_id=live.id,
        revoked_key=revoked_key,
        session=session_token,
        signed_out_session=signed_out,
        ids={
            **common,
            "assessment_id": data["open"],
            "respondent_id": data["submitted"]["id"],
            "endpoint_id": endpoints[0][0],
            "delivery_id": endpoints[0][1],
            "mail_id": add_failed_mail(engine, workspace.id, to_address=f"a-{tag}@example.org"),
        },
        alt_ids={
            **common,
            "assessment_id": data["closed"],
            "respondent_id": data["closed_respondent"]["id"],
            "endpoint_id": endpoints[1][0],
            "delivery_id": endpoints[1][1],
            "mail_id": add_failed_mail(engine, workspace.id, to_address=f"b-{tag}@example.org"),
        },
        tokens={
            "submitted": data["submitted"]["invite_token"],
            "in_progress": data["in_progress"]["invite_token"],
            "closed": data["closed_respondent"]["invite_token"],
            "removed": data["removed"]["invite_token"],
            **({"self_closed": data["self"]["invite_token"]} if publish else {}),
        },
        markers=(f"Client {tag}", f"Round {tag}", f"Person {tag}", f"hooks-{tag}", f"idea-{tag}"),
        answers=data["answers"],
        slug=slug if publish else "",
        role_sessions={"owner": session_token, **role_sessions},
        join_token=invited.token,
    )


def _respondents(api: httpx.Client, assessment_id: str, tag: str, count: int) -> list[Any]:
    body = {
        "respondents": [
            {"name": f"Person {tag} {n}", "attributes": {"role": "manager"}} for n in range(count)
        ]
    }
    created = expect(api.post(f"/api/v1/assessments/{assessment_id}/respondents", json=body), 201)
    return list(created["respondents"])


def _assessments(
    server: LiveServer, api: httpx.Client, workspace_id: str, tag: str, *, publish: bool
) -> Any:
    client_body = {"name": f"Client {tag}", "external_ref": f"crm-{tag}"}
    client_id = expect(api.post("/api/v1/clients", json=client_body), 201)["id"]

    def assessment(title: str) -> str:
        body = {"client_id": client_id, "title": title, "questionnaire_id": "example"}
        return str(expect(api.post("/api/v1/assessments", json=body), 201)["id"])

    opened = assessment(f"Round {tag}")
    submitted, in_progress, removed = _respondents(api, opened, tag, 3)
    answers = {
        "submitted": {**FULL_ANSWERS, "improvement_idea": f"idea-{tag}-submitted"},
        "in_progress": {"plan_horizon": "week", "improvement_idea": f"idea-{tag}-in-progress"},
        "closed": {"plan_horizon": "quarter"},
    }
    expect(save_answers(api, opened, submitted["id"], answers["submitted"], submit=True), 200)
    expect(save_answers(api, opened, in_progress["id"], answers["in_progress"]), 200)
    expect(api.delete(f"/api/v1/assessments/{opened}/respondents/{removed['id']}"), 204)

    closed = assessment(f"Round {tag} closed")
    (late,) = _respondents(api, closed, tag, 1)
    expect(save_answers(api, closed, late["id"], answers["closed"]), 200)
    expect(api.post(f"/api/v1/assessments/{closed}/close"), 200)

    self_assessed = _self_assessment(server, api, workspace_id, client_id, tag) if publish else {}
    return {
        "client_id": client_id,
        "open": opened,
        "closed": closed,
        "submitted": submitted,
        "in_progress": in_progress,
        "removed": removed,
        "closed_respondent": late,
        "self": self_assessed,
        "answers": answers,
    }


def _self_assessment(
    server: LiveServer, api: httpx.Client, workspace_id: str, client_id: str, tag: str
) -> Any:
    """A submitted self-assessment, closed (only the workspace that publishes its link has
    one: closing it starts a report render in the background)."""
    alone = open_self_assessment(server, workspace_id, client_id, title=f"Round {tag} self")
    (person,) = _respondents(api, alone, tag, 1)
    token = person["invite_token"]
    expect(save_answers(api, alone, person["id"], FULL_ANSWERS, submit=True, token=token), 200)
    expect(api.post(f"/api/v1/assessments/{alone}/close"), 200)
    return person


def _endpoint(
    server: LiveServer, api: httpx.Client, workspace_id: str, tag: str, number: int
) -> tuple[str, str]:
    """A disabled endpoint (nothing is sent during the tests) with one failed delivery."""
    hook = {
        "url": f"https://hooks-{tag}.invalid/{number}",
        "event_types": ["respondent.submitted"],
        "enabled": False,
    }
    endpoint_id = str(expect(api.post("/api/v1/webhook-endpoints", json=hook), 201)["id"])
    delivery_id = add_failed_delivery(
        server.app.state.runtime.database.engine,
        workspace_id,
        endpoint_id,
        event_type="respondent.submitted",
    )
    return endpoint_id, delivery_id


def _sign_in(server: LiveServer, email: str) -> str:
    with httpx.Client(base_url=server.url, timeout=60) as browser:
        csrf = csrf_of(browser.get("/console/login"))
        form = {"csrf_token": csrf, "email": email, "password": PASSWORD, "next": "/console"}
        signed = browser.post("/console/login", data=form)
        assert signed.status_code == 303, signed.text
        return str(browser.cookies["om_session"])


def _sign_out(server: LiveServer, session: str) -> None:
    with httpx.Client(base_url=server.url, cookies={"om_session": session}, timeout=60) as browser:
        csrf = csrf_of(browser.get("/console"))
        assert browser.post("/console/logout", data={"csrf_token": csrf}).status_code == 303


# Not a workspace's data: sign-in throttling, and a person's password reset links.
_NOT_WORKSPACE_DATA = {"login_failure", "password_reset"}
# Filled in the background (reports are pre-rendered after an assessment closes), and the
# time a key was last used (recorded after the owner's own requests): neither is a change.
_BACKGROUND_TABLES = {"report_cache", "report_render_claim"}
_BACKGROUND_COLUMNS = {("api_key", "last_used_at")}


def workspace_rows(engine: Engine, workspace_id: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the workspace, table by table: rows with its workspace_id, and rows that
    belong to one of those through a foreign key (answers, webhook attempts)."""
    snapshot: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as connection:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in _NOT_WORKSPACE_DATA | _BACKGROUND_TABLES:
                continue
            columns = [c for c in table.columns if (table.name, c.name) not in _BACKGROUND_COLUMNS]
            query = select(*columns).where(_of_workspace(table, workspace_id))
            rows = connection.execute(query).all()
            snapshot[table.name] = sorted((tuple(row) for row in rows), key=repr)
    return snapshot


def rows_of_both(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """Every row of the owner's workspace and of the other's: equal before and after a refused
    request, or it changed something."""
    return (
        workspace_rows(world.engine, world.owner.workspace_id),
        workspace_rows(world.engine, world.other.workspace_id),
    )


def _of_workspace(table: Table, workspace_id: str) -> Any:
    if table.name == "workspace":
        return table.c.id == workspace_id
    if table.name == "user_account":  # a person may belong to several workspaces
        members = SQLModel.metadata.tables["workspace_member"]
        of_members = select(members.c.user_id).where(members.c.workspace_id == workspace_id)
        return table.c.id.in_(of_members)
    if "workspace_id" in table.c:
        return table.c.workspace_id == workspace_id
    for key in table.foreign_keys:
        parent = key.column.table
        if "workspace_id" in parent.c:
            owned = select(key.column).where(parent.c.workspace_id == workspace_id)
            return key.parent.in_(owned)
    raise AssertionError(f"table {table.name}: whose data is it? Decide in isolation_world.py")

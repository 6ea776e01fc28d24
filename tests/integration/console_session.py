"""A consultant of a new workspace, signed in to the console over HTTP as a browser without
JavaScript is: the session and CSRF cookies, and an API client of the same workspace."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import Engine

from app.models import MailMessage, WebhookDelivery, WebhookEvent, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.repositories import webhooks as webhook_rows
from app.services import admin
from app.services.assessments import create_assessment as create_assessment_row
from tests.integration.live_server import LiveServer

__all__ = [
    "PASSWORD",
    "Console",
    "add_failed_delivery",
    "csrf_of",
    "new_owner",
    "open_self_assessment",
    "signed_in",
]

PASSWORD = "correct horse battery staple"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Console:
    """A signed-in browser (cookies, no API key) and an API client of the same workspace."""

    browser: httpx.Client
    api: httpx.Client
    workspace_id: str
    email: str
    csrf_token: str

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        return self.browser.post(
            path, data={"csrf_token": self.csrf_token, **(data or {})}, **kwargs
        )

    def close(self) -> None:
        self.browser.close()
        self.api.close()


def csrf_of(page: httpx.Response) -> str:
    """The CSRF token a page's forms carry."""
    match = CSRF.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


def new_owner(
    server: LiveServer, firm: str, owner_name: str = "Casey Consultant"
) -> tuple[str, str, str]:
    """A workspace with its owner (a new email, PASSWORD) and an API key: id, email, key."""
    now = utc_now()
    email = f"consultant-{uuid.uuid4().hex}@example.org"
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        workspace, _ = admin.create_workspace(
            session=session,
            name=firm,
            owner_email=email,
            owner_name=owner_name,
            owner_password=PASSWORD,
            now=now,
        )
        _, key = admin.create_api_key(session=session, workspace_id=workspace.id, name="t", now=now)
    return workspace.id, email, key


def signed_in(
    server: LiveServer, firm: str = "Northwind Advisory", owner_name: str = "Casey Consultant"
) -> Console:
    """The owner of a new workspace, signed in through the sign-in form."""
    workspace_id, email, key = new_owner(server, firm, owner_name)
    browser = httpx.Client(base_url=server.url, timeout=60)
    token = csrf_of(browser.get("/console/login"))
    signed = browser.post(
        "/console/login",
        data={"csrf_token": token, "email": email, "password": PASSWORD, "next": "/console"},
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/console", signed.text
    # Form tokens are bound to the session: the new session's pages carry a new one.
    session_token = csrf_of(browser.get("/console"))
    assert session_token != token
    api = httpx.Client(base_url=server.url, headers={"Authorization": f"Bearer {key}"}, timeout=60)
    return Console(browser, api, workspace_id, email, session_token)


def add_failed_delivery(
    engine: Engine,
    workspace_id: str,
    endpoint_id: str,
    *,
    event_type: str,
    error: str | None = None,
) -> str:
    """A delivery that failed for good (three attempts, last a 500), written straight to the
    database: the delivery log has something to show without a receiver. Its id."""
    now = utc_now()
    with unit_of_work(engine, writes=True) as session:
        event = WebhookEvent(workspace_id=workspace_id, type=event_type, body="{}", created_at=now)
        failed = WebhookDelivery(
            workspace_id=workspace_id,
            endpoint_id=endpoint_id,
            event_id=event.id,
            status="failed",
            attempt_count=3,
            last_status_code=500,
            last_error=error,
            created_at=now,
            finished_at=now,
        )
        webhook_rows.add_event(session, event, [failed])
    return str(failed.id)


def add_failed_mail(engine: Engine, workspace_id: str, *, to_address: str) -> str:
    """A message that failed for good, written straight to the database: the mail page has
    something to show, and nothing is sent during the tests. Its id."""
    now = utc_now()
    with unit_of_work(engine, writes=True) as session:
        message = MailMessage(
            workspace_id=workspace_id,
            template="password_reset",
            message_id=f"<{uuid.uuid4().hex}@example.org>",
            from_address="OpsMaturity <no-reply@example.org>",
            to_address=to_address,
            subject="A message that could not be delivered",
            text_body="Hello",
            html_body="<p>Hello</p>",
            status="failed",
            attempt_count=10,
            last_error="recipient refused",
            created_at=now,
        )
        session.add(message)
        return str(message.id)


def open_self_assessment(
    server: LiveServer,
    workspace_id: str,
    client_id: str,
    *,
    title: str = "Example team pulse — self",
) -> str:
    """An open self-assessment of the example questionnaire, as the public link starts one
    (k=1, kind "self"), made through the service. Its id."""
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        assessment = create_assessment_row(
            session=session,
            catalog=server.app.state.runtime.catalog,
            workspace_id=workspace_id,
            actor="test",
            client_id=client_id,
            title=title,
            questionnaire_id="example",
            questionnaire_version=None,
            target_overall=None,
            target_dimensions={},
            baseline_assessment_id=None,
            anonymity_k=1,
            status="open",
            now=utc_now(),
            kind="self",
        )
    return str(assessment.id)

"""Erasure on request, on SQLite and PostgreSQL: a person's name, e-mail, attributes and free
text are gone from every table of the workspace (webhook event bodies, stored idempotent
responses, audit details, mail rows and .eml files, cached reports included); their scored
answers stay anonymous where the team still reaches k, or go with a rescore; an audit event
and a webhook record it; their old link stops working."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine
from sqlmodel import select

from app.mail.worker import MailWorker
from app.models import AuditEvent, CachedReport, Lead, Respondent, WebhookEvent, utc_now
from app.persistence.database import Database
from app.persistence.unit_of_work import unit_of_work
from app.services.mail_outbox import MailSender, queue_mail
from app.services.respondents import NewRespondent, add_respondents
from tests.integration.conftest import Workspace
from tests.integration.console_session import open_self_assessment, signed_in
from tests.integration.flow import FULL_ANSWERS, create_assessment, create_client, expect
from tests.integration.isolation_world import workspace_rows
from tests.integration.live_server import LiveServer

ERIN = {
    "name": "Erin Erasable",
    "email": "erin.erasable@client.example",
    "attributes": {"role": "manager"},
}
IDEA = "Erin's own idea: a weekly ops review with the plant"
HOOKED = ["respondent.submitted", "respondent.invited", "respondent.erased"]


def _engine(server: LiveServer) -> Engine:
    engine: Engine = server.app.state.runtime.database.engine
    return engine


def _hook(api: httpx.Client) -> None:
    hook = {"url": "https://hooks-erasure.invalid/", "event_types": HOOKED, "enabled": True}
    expect(api.post("/api/v1/webhook-endpoints", json=hook), 201)


def _team(api: httpx.Client, *, others: int, k: int = 3) -> tuple[str, list[dict[str, Any]]]:
    """An assessment with Erin and `others` more, every one submitted (Erin with her idea);
    the invitations made with an Idempotency-Key, so their response is stored."""
    aid = create_assessment(api, anonymity_k=k)["id"]
    people = [ERIN] + [
        {
            "name": f"Other {n}",
            "email": f"other{n}@client.example",
            "attributes": {"role": "executive"},
        }
        for n in range(others)
    ]
    created = expect(
        api.post(
            f"/api/v1/assessments/{aid}/respondents",
            json={"respondents": people},
            headers={"Idempotency-Key": f"invite-{aid}"},
        ),
        201,
    )["respondents"]
    for person in created:
        answers = {
            **FULL_ANSWERS,
            "improvement_idea": IDEA if person["name"] == ERIN["name"] else "More slack",
        }
        body = {"answers": answers, "submit": True}
        expect(
            api.post(f"/api/v1/assessments/{aid}/respondents/{person['id']}/answers", json=body),
            200,
        )
    return aid, created


def _mail_erin(server: LiveServer, workspace_id: str, respondent_id: str) -> str:
    with unit_of_work(_engine(server), writes=True) as session:
        queued = queue_mail(
            session=session,
            sender=MailSender.of(server.settings),
            workspace_id=workspace_id,
            to_address=ERIN["email"],
            to_name=ERIN["name"],
            template="self_assessment_results",
            context={
                "name": ERIN["name"],
                "questionnaire_title": "Q",
                "results_url": "https://x.example/r",
            },
            now=utc_now(),
            respondent_id=respondent_id,
        )
        assert queued is not None
        return queued.id


def _send_the_mail(server: LiveServer) -> None:
    """What the mail worker does (the shared test server runs none): the folder gets it."""
    database = Database.open(server.settings.database_url)
    worker = MailWorker(database=database, settings=server.settings)
    try:
        asyncio.run(worker.deliver_until_idle())
    finally:
        asyncio.run(database.close())


def _mentions(rows: dict[str, list[tuple[Any, ...]]], *values: str) -> dict[str, list[str]]:
    """Table -> the rows (as text) that hold any of `values`."""
    found: dict[str, list[str]] = {}
    for table, table_rows in rows.items():
        for row in table_rows:
            text = repr(row) + json.dumps([str(cell) for cell in row], ensure_ascii=True)
            if any(value in text for value in values):
                found.setdefault(table, []).append(text[:200])
    return found


def test_erasure_keeps_anonymous_answers_where_the_team_reaches_k_and_leaves_no_trace(
    server: LiveServer, workspace: Workspace
) -> None:
    api = workspace.api
    _hook(api)
    aid, created = _team(api, others=3)
    erin = next(p for p in created if p["name"] == ERIN["name"])
    mail_id = _mail_erin(server, workspace.id, erin["id"])
    eml = Path(server.settings.mail_folder) / f"{mail_id}.eml"
    _send_the_mail(server)
    assert eml.exists()
    expect(api.post(f"/api/v1/assessments/{aid}/close"), 200)
    expect(api.get(f"/api/v1/assessments/{aid}/report.pdf"), 200)
    with unit_of_work(_engine(server)) as session:
        assert session.exec(select(CachedReport).where(CachedReport.assessment_id == aid)).all()
    needles = (ERIN["name"], ERIN["email"], IDEA, json.dumps(IDEA)[1:-1])
    assert _mentions(workspace_rows(_engine(server), workspace.id), *needles)  # before: many

    erased = expect(api.post(f"/api/v1/assessments/{aid}/respondents/{erin['id']}/erase"), 200)
    assert erased == {"respondent_id": erin["id"], "assessment_id": aid, "mode": "anonymised"}

    assert _mentions(workspace_rows(_engine(server), workspace.id), *needles) == {}
    assert not eml.exists()
    with unit_of_work(_engine(server)) as session:
        kept = session.get(Respondent, erin["id"])
        assert kept is not None and kept.status == "submitted"
        assert (kept.name, kept.email, kept.attributes) == (None, None, {})
        (logged,) = session.exec(
            select(AuditEvent).where(
                AuditEvent.workspace_id == workspace.id, AuditEvent.action == "respondent.erased"
            )
        ).all()
        assert logged.detail == {"assessment_id": aid, "mode": "anonymised"}
        (event,) = session.exec(
            select(WebhookEvent).where(
                WebhookEvent.workspace_id == workspace.id, WebhookEvent.type == "respondent.erased"
            )
        ).all()
        data = json.loads(event.body)["data"]
        assert (data["respondent_id"], data["mode"]) == (erin["id"], "anonymised")
    # Her answers still count, anonymously: four respondents in the team's figures.
    results = expect(api.get(f"/api/v1/assessments/{aid}/results"), 200)
    assert results["results"]["respondent_count"] == 4
    # Her old link no longer opens anything.
    assert httpx.get(f"{server.url}/r/{erin['invite_token']}").status_code == 404
    # Erasing twice finds nothing more to erase, and says so alike.
    again = expect(api.post(f"/api/v1/assessments/{aid}/respondents/{erin['id']}/erase"), 200)
    assert again["mode"] == "anonymised"


def test_below_k_the_answers_go_and_the_results_are_rescored(
    server: LiveServer, workspace: Workspace
) -> None:
    api = workspace.api
    aid, created = _team(api, others=1)  # two submitted, k = 3
    erin = next(p for p in created if p["name"] == ERIN["name"])
    erased = expect(api.post(f"/api/v1/assessments/{aid}/respondents/{erin['id']}/erase"), 200)
    assert erased["mode"] == "removed"
    listed = expect(api.get(f"/api/v1/assessments/{aid}/respondents"), 200)
    assert [p["id"] for p in listed["respondents"]] == [p["id"] for p in created[1:]]
    assert _mentions(workspace_rows(_engine(server), workspace.id), ERIN["email"], IDEA) == {}


def test_erasing_a_self_assessment_lead_removes_the_self_assessment(
    server: LiveServer, workspace: Workspace
) -> None:
    api = workspace.api
    client_id = create_client(api, name="Online self-assessments")["id"]
    aid = open_self_assessment(server, workspace.id, client_id)
    with unit_of_work(_engine(server), writes=True) as session:
        (invited,) = add_respondents(
            session=session,
            catalog=server.app.state.runtime.catalog,
            workspace_id=workspace.id,
            actor="test",
            assessment_id=aid,
            respondents=[NewRespondent(name=None, email=None, attributes={"role": "executive"})],
            base_url=server.settings.base_url,
            now=utc_now(),
        )
        session.add(
            Lead(
                workspace_id=workspace.id,
                respondent_id=invited.respondent.id,
                name="Lee Lead",
                company="Leadco Industries",
                email="lee.lead@leadco.example",
                consent_wording="You may e-mail me.",
                consented_at=utc_now(),
            )
        )
        rid = invited.respondent.id
    _mail_erin(server, workspace.id, rid)
    erased = expect(api.post(f"/api/v1/assessments/{aid}/respondents/{rid}/erase"), 200)
    assert erased["mode"] == "removed"
    expect(api.get(f"/api/v1/assessments/{aid}"), 404)
    rows = workspace_rows(_engine(server), workspace.id)
    assert _mentions(rows, "Lee Lead", "Leadco Industries", "lee.lead@leadco.example") == {}
    assert _mentions(rows, ERIN["email"]) == {}


def test_the_console_erases_after_a_confirmation_that_says_what_goes(server: LiveServer) -> None:
    console = signed_in(server)
    try:
        aid, created = _team(console.api, others=3)
        erin = next(p for p in created if p["name"] == ERIN["name"])
        path = f"/console/assessments/{aid}/respondents/{erin['id']}/erase"
        confirm = console.browser.get(path)
        assert confirm.status_code == 200
        assert "Erin Erasable" in confirm.text and "cannot be undone" in confirm.text
        done = console.post(path)
        assert done.status_code == 303
        page = console.browser.get(done.headers["location"])
        assert "personal data erased" in page.text and "Erin Erasable" not in page.text
        assert "Erased on request" in page.text and f"{erin['id']}/erase" not in page.text
        assert console.browser.get(path).status_code in (200, 404)
    finally:
        console.close()

"""The public self-assessment as a lead source, on SQLite and PostgreSQL: the workspace writes
the consent wording and switches the form on; a person who leaves their details must tick
it, and the lead is kept with that exact wording and the time, sent the link to the results,
and carried in the `self_assessment.submitted` webhook with CRM flat fields. A refused form
submits nothing; an empty one is no lead."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import httpx
from sqlmodel import col, select

from app.models import Lead, MailMessage, Respondent, WebhookEvent, utc_now
from app.persistence.unit_of_work import unit_of_work
from app.services.respondents import NewRespondent, add_respondents
from tests.integration.console_session import Console, csrf_of, open_self_assessment, signed_in
from tests.integration.flow import create_client, expect
from tests.integration.live_server import LiveServer

WORDING = "Lead & Co. may e-mail me about my results and its services.\nI can withdraw at any time."


def _switch_on_the_lead_form(console: Console) -> None:
    slug = f"leads-{uuid.uuid4().hex[:8]}"
    hook = {
        "url": f"https://hooks-{slug}.invalid/",
        "event_types": ["self_assessment.submitted"],
        "enabled": True,  # .invalid never resolves: the event is recorded, nothing is sent
    }
    expect(console.api.post("/api/v1/webhook-endpoints", json=hook), 201)
    refused = console.post("/console/settings/lead-form", {"enabled": "yes", "consent_wording": ""})
    assert refused.status_code == 422 and "write what people agree to" in refused.text
    saved = console.post(
        "/console/settings/lead-form", {"enabled": "yes", "consent_wording": WORDING}
    )
    assert saved.status_code == 303


def _start(server: LiveServer, console: Console) -> str:
    """A started self-assessment of the example questionnaire (which public links do not
    list, so it is started through the services, as the link does): its private path."""
    client_id = create_client(console.api, name="Online self-assessments")["id"]
    assessment_id = open_self_assessment(server, console.workspace_id, client_id)
    with unit_of_work(server.app.state.runtime.database.engine, writes=True) as session:
        (invited,) = add_respondents(
            session=session,
            catalog=server.app.state.runtime.catalog,
            workspace_id=console.workspace_id,
            actor="test",
            assessment_id=assessment_id,
            respondents=[NewRespondent(name=None, email=None, attributes={"role": "executive"})],
            base_url=server.settings.base_url,
            now=utc_now(),
        )
    return f"/r/{invited.invite_token}"


def _submitted_event(server: LiveServer, workspace_id: str) -> dict[str, object]:
    with unit_of_work(server.app.state.runtime.database.engine) as session:
        (event,) = session.exec(
            select(WebhookEvent).where(
                WebhookEvent.workspace_id == workspace_id,
                WebhookEvent.type == "self_assessment.submitted",
            )
        ).all()
        data: dict[str, object] = json.loads(event.body)["data"]
        return data


def test_a_lead_is_kept_with_its_consent_and_sent_the_link_to_the_results(
    server: LiveServer,
) -> None:
    console = signed_in(server, firm="Lead & Co.")
    try:
        _switch_on_the_lead_form(console)
        with httpx.Client(base_url=server.url) as visitor:
            base = _start(server, console)
            review = visitor.get(f"{base}/review")
            assert "Get your results by e-mail" in review.text
            assert "Lead &amp; Co. may e-mail me about my results" in review.text
            lead = {
                "csrf_token": csrf_of(review),
                "lead.name": "Dana <Director>",
                "lead.company": "Globex",
                "lead.email": "Dana@Globex.Example",
            }
            unticked = visitor.post(f"{base}/submit", data=lead)
            assert unticked.status_code == 422 and "tick the box to agree" in unticked.text
            assert 'value="Dana@Globex.Example"' in unticked.text  # nothing typed is lost
            bad = visitor.post(
                f"{base}/submit", data={**lead, "lead.email": "dana@", "lead.consent": "yes"}
            )
            assert bad.status_code == 422 and "is not an e-mail address" in bad.text
            with unit_of_work(server.app.state.runtime.database.engine) as session:
                mine = select(Lead).where(Lead.workspace_id == console.workspace_id)
                assert session.exec(mine).all() == []  # a refused form submits nothing
            assert "Submit and see my result" in visitor.get(f"{base}/review").text
            before = utc_now()
            done = visitor.post(f"{base}/submit", data={**lead, "lead.consent": "yes"})
            assert done.status_code == 303 and done.headers["location"] == f"{base}/results"

        engine = server.app.state.runtime.database.engine
        with unit_of_work(engine) as session:
            (kept,) = session.exec(
                select(Lead).where(Lead.workspace_id == console.workspace_id)
            ).all()
            assert (kept.name, kept.company, kept.email) == (
                "Dana <Director>",
                "Globex",
                "Dana@globex.example",
            )
            assert kept.consent_wording == WORDING  # the exact words, line break and all
            assert before <= kept.consented_at <= utc_now() + timedelta(seconds=1)
            respondent = session.get(Respondent, kept.respondent_id)
            assert respondent is not None and respondent.status == "submitted"
            (mail,) = session.exec(
                select(MailMessage).where(
                    MailMessage.workspace_id == console.workspace_id,
                    col(MailMessage.template) == "self_assessment_results",
                )
            ).all()
            assert (mail.to_address, mail.to_name) == ("Dana@globex.example", "Dana <Director>")
            assert f"https://opsmaturity.test{base}/results" in mail.text_body
            assert "Dana &lt;Director&gt;" in mail.html_body
            consented_at = kept.consented_at.isoformat().replace("+00:00", "Z")

        data = _submitted_event(server, console.workspace_id)
        assert data["lead"] == {
            "name": "Dana <Director>",
            "company": "Globex",
            "email": "Dana@globex.example",
            "consent_wording": WORDING,
            "consented_at": consented_at,
        }
        fields = data["fields"]
        assert isinstance(fields, dict)
        assert fields["opsmaturity_lead_email"] == "Dana@globex.example"
        assert fields["opsmaturity_lead_company"] == "Globex"
        assert fields["opsmaturity_lead_consented_at"] == consented_at
    finally:
        console.close()


def test_an_empty_lead_form_is_no_lead(server: LiveServer) -> None:
    console = signed_in(server, firm="Quiet Firm")
    try:
        _switch_on_the_lead_form(console)
        with httpx.Client(base_url=server.url) as visitor:
            base = _start(server, console)
            review = visitor.get(f"{base}/review")
            empty = {"csrf_token": csrf_of(review), "lead.name": "", "lead.email": ""}
            assert visitor.post(f"{base}/submit", data=empty).status_code == 303
        with unit_of_work(server.app.state.runtime.database.engine) as session:
            mine = select(Lead).where(Lead.workspace_id == console.workspace_id)
            assert session.exec(mine).all() == []
        data = _submitted_event(server, console.workspace_id)
        assert data["lead"] is None
        fields = data["fields"]
        assert isinstance(fields, dict) and "opsmaturity_lead_email" not in fields
    finally:
        console.close()


def test_with_the_lead_form_off_the_last_page_asks_nothing(server: LiveServer) -> None:
    console = signed_in(server, firm="Plain Firm")
    try:
        slug = f"plain-{uuid.uuid4().hex[:8]}"
        assert (
            console.post("/console/settings/public-link", {"public_slug": slug}).status_code == 303
        )
        with httpx.Client(base_url=server.url) as visitor:
            base = _start(server, console)
            review = visitor.get(f"{base}/review")
            assert review.status_code == 200 and "lead." not in review.text
    finally:
        console.close()
